// Typed readers of config values: each reports a precise error (key, problem, fix) and returns a fallback.

import type { ConfigIssues } from './issues.js';
import { suggestKey } from './suggest.js';
import type { ConfigPathSegment } from './types.js';

/** A YAML mapping as plain JavaScript. */
export type RawMapping = Record<string, unknown>;

/** True for a plain object (a YAML mapping), false for lists, null and everything else. */
export function isMapping(value: unknown): value is RawMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** How a value reads in a message: `the string "8448"`, `a list`, `the number 3.5`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (isMapping(value)) return 'a mapping';
  if (value instanceof Date) return 'a date';
  return `a value of type ${typeof value}`;
}

/** Reads `section[key]`, treating YAML's `key:` (null) as absent, like Synapse's `None` means "use the default". */
export function present(section: RawMapping, key: string): unknown {
  const value = section[key];
  return value === null ? undefined : value;
}

/**
 * The strings PyYAML (YAML 1.1, which Synapse uses) reads as booleans but YAML 1.2 reads as strings. Accepted in
 * boolean keys so that a homeserver.yaml with `serve_server_wellknown: yes` means the same here.
 */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = {
  yes: true,
  Yes: true,
  YES: true,
  on: true,
  On: true,
  ON: true,
  no: false,
  No: false,
  NO: false,
  off: false,
  Off: false,
  OFF: false,
};

/** Reads a boolean key; `fallback` when absent or invalid. */
export function readBoolean(
  issues: ConfigIssues,
  section: RawMapping,
  key: string,
  path: readonly ConfigPathSegment[],
  fallback: boolean,
): boolean {
  const value = present(section, key);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value in YAML11_BOOLEANS) return YAML11_BOOLEANS[value] ?? fallback;
  issues.error(
    [...path, key],
    'wrong-type',
    `expected true or false, got ${describeValue(value)}`,
    `write ${key}: true or ${key}: false`,
  );
  return fallback;
}

/** Bounds and default of {@link readInteger}. */
export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
  /** A word for the unit in messages, e.g. `seconds`. */
  readonly unit?: string;
}

/** Reads a whole number within `[min, max]`; `fallback` when absent or invalid. */
export function readInteger(
  issues: ConfigIssues,
  section: RawMapping,
  key: string,
  path: readonly ConfigPathSegment[],
  rule: IntegerRule,
): number {
  const value = present(section, key);
  if (value === undefined) return rule.fallback;
  const range = `${rule.min} to ${rule.max}${rule.unit === undefined ? '' : ` ${rule.unit}`}`;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    issues.error(
      [...path, key],
      'wrong-type',
      `expected a number, got ${describeValue(value)}`,
      `write the number without quotes: ${key}: ${value.trim()}`,
    );
    return rule.fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.error(
      [...path, key],
      'wrong-type',
      `expected a whole number, got ${describeValue(value)}`,
      `use a whole number from ${range}`,
    );
    return rule.fallback;
  }
  if (value < rule.min || value > rule.max) {
    issues.error(
      [...path, key],
      'out-of-range',
      `${value} is outside the allowed range`,
      `use a whole number from ${range}`,
    );
    return rule.fallback;
  }
  return value;
}

/** Reads a string key; undefined when absent (null included) or invalid. */
export function readString(
  issues: ConfigIssues,
  section: RawMapping,
  key: string,
  path: readonly ConfigPathSegment[],
  example: string,
): string | undefined {
  const value = present(section, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    issues.error(
      [...path, key],
      'wrong-type',
      `expected a string, got ${describeValue(value)}`,
      `write it as a quoted string, e.g. ${key}: ${JSON.stringify(example)}`,
    );
    return undefined;
  }
  return value;
}

/**
 * Reads a list of strings; `fallback` when absent. A single string is refused rather than wrapped, because
 * Synapse's list keys are lists too and a silent wrap would hide a mistaken key.
 * Returns the entries with their index so callers can name `key[i]` in errors.
 */
export function readStringList(
  issues: ConfigIssues,
  section: RawMapping,
  key: string,
  path: readonly ConfigPathSegment[],
  example: string,
): { readonly value: string; readonly index: number }[] | undefined {
  const value = present(section, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    const fix =
      typeof value === 'string'
        ? `write a list: ${key}: [${JSON.stringify(value)}]`
        : `write a list, e.g. ${key}: [${JSON.stringify(example)}]`;
    issues.error([...path, key], 'wrong-type', `expected a list of strings, got ${describeValue(value)}`, fix);
    return undefined;
  }
  const entries: { value: string; index: number }[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item === 'string') entries.push({ value: item, index });
    else
      issues.error(
        [...path, key, index],
        'wrong-type',
        `expected a string, got ${describeValue(item)}`,
        `write it as a quoted string, e.g. ${JSON.stringify(example)}`,
      );
  });
  return entries;
}

/**
 * Reads a sub-section that must be a mapping and warns about its unknown keys; undefined when absent or not
 * a mapping (an error is recorded for the latter).
 */
export function readSection(
  issues: ConfigIssues,
  section: RawMapping,
  key: string,
  path: readonly ConfigPathSegment[],
  known: readonly string[],
): RawMapping | undefined {
  const value = present(section, key);
  if (value === undefined) return undefined;
  if (!isMapping(value)) {
    issues.error(
      [...path, key],
      'not-a-mapping',
      `expected a mapping of settings, got ${describeValue(value)}`,
      `indent its settings under "${key}:", one "name: value" per line`,
    );
    return undefined;
  }
  warnUnknownKeys(issues, value, [...path, key], known);
  return value;
}

/**
 * Warns about each key of `section` not in `known` (and not in `quiet`), with a "did you mean" when a known
 * key is close. Unknown keys are warnings, not errors: a newer config read by an older version still starts.
 */
export function warnUnknownKeys(
  issues: ConfigIssues,
  section: RawMapping,
  path: readonly ConfigPathSegment[],
  known: readonly string[],
  quiet: ReadonlySet<string> = new Set(),
): void {
  for (const key of Object.keys(section)) {
    if (known.includes(key) || quiet.has(key)) continue;
    const suggestion = suggestKey(key, known);
    if (suggestion === undefined) issues.warn([...path, key], 'unknown key, ignored');
    else issues.warn([...path, key], `unknown key, ignored; did you mean "${suggestion}"?`, suggestion);
  }
}
