// Typed readers of config values: each reports a precise error (key, problem, fix) and returns a fallback.

import { DEFAULT_LOCALE, localize, type Locale, type Localized } from '../i18n/index.js';
import { CONFIG_TEXTS } from './config-texts.js';
import type { ConfigIssues } from './issues.js';
import { suggestKey } from './suggest.js';
import type { ConfigPathSegment } from './types.js';

/** The shared config words in the issues' language. */
export function configText(issues: Pick<ConfigIssues, 'locale'>): Localized<(typeof CONFIG_TEXTS)['en']> {
  return localize(CONFIG_TEXTS, issues.locale);
}

/** A YAML mapping as plain JavaScript. */
export type RawMapping = Record<string, unknown>;

/** True for a plain object (a YAML mapping), false for lists, null and everything else. */
export function isMapping(value: unknown): value is RawMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** How a value reads in a message, in `locale`: `the string "8448"`, `a list`, `the number 3.5`. */
export function describeValue(value: unknown, locale: Locale = DEFAULT_LOCALE): string {
  const t = localize(CONFIG_TEXTS, locale);
  if (value === null || value === undefined) return t('value.nothing');
  if (typeof value === 'string') return t('value.string', { text: JSON.stringify(value) });
  if (typeof value === 'number') return t('value.number', { number: String(value) });
  if (typeof value === 'boolean') return t('value.boolean', { value: String(value) });
  if (Array.isArray(value)) return t('value.list');
  if (isMapping(value)) return t('value.mapping');
  if (value instanceof Date) return t('value.date');
  return t('value.other', { type: typeof value });
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
  const t = configText(issues);
  issues.error(
    [...path, key],
    'wrong-type',
    t('boolean.problem', { value: describeValue(value, issues.locale) }),
    t('boolean.fix', { key }),
  );
  return fallback;
}

/** Bounds and default of {@link readInteger}. */
export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
  /** The unit in messages (`seconds`: a word of the config catalogue, `unit.seconds`). */
  readonly unit?: 'seconds' | 'milliseconds' | 'entries' | 'bytes' | 'checks' | 'days';
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
  const t = configText(issues);
  const range = t('integer.range', {
    min: rule.min,
    max: rule.max,
    unit: rule.unit === undefined ? null : t(`unit.${rule.unit}`),
  });
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    issues.error(
      [...path, key],
      'wrong-type',
      t('integer.quotedProblem', { value: describeValue(value, issues.locale) }),
      t('integer.quotedFix', { key, number: value.trim() }),
    );
    return rule.fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.error(
      [...path, key],
      'wrong-type',
      t('integer.notWholeProblem', { value: describeValue(value, issues.locale) }),
      t('integer.fix', { range }),
    );
    return rule.fallback;
  }
  if (value < rule.min || value > rule.max) {
    issues.error([...path, key], 'out-of-range', t('integer.rangeProblem', { value }), t('integer.fix', { range }));
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
    const t = configText(issues);
    issues.error(
      [...path, key],
      'wrong-type',
      t('string.problem', { value: describeValue(value, issues.locale) }),
      t('string.fix', { key, example: JSON.stringify(example) }),
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
  const t = configText(issues);
  if (!Array.isArray(value)) {
    const fix =
      typeof value === 'string'
        ? t('list.fixFromString', { key, item: JSON.stringify(value) })
        : t('list.fix', { key, example: JSON.stringify(example) });
    issues.error([...path, key], 'wrong-type', t('list.problem', { value: describeValue(value, issues.locale) }), fix);
    return undefined;
  }
  const entries: { value: string; index: number }[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item === 'string') entries.push({ value: item, index });
    else
      issues.error(
        [...path, key, index],
        'wrong-type',
        t('string.problem', { value: describeValue(item, issues.locale) }),
        t('listItem.fix', { example: JSON.stringify(example) }),
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
    const t = configText(issues);
    issues.error(
      [...path, key],
      'not-a-mapping',
      t('section.problem', { value: describeValue(value, issues.locale) }),
      t('section.fix', { key }),
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
  const t = configText(issues);
  for (const key of Object.keys(section)) {
    if (known.includes(key) || quiet.has(key)) continue;
    const suggestion = suggestKey(key, known);
    if (suggestion === undefined) issues.warn([...path, key], t('unknown.key'));
    else issues.warn([...path, key], t('unknown.keyDidYouMean', { suggestion }), suggestion);
  }
}
