// Canonical JSON (spec appendix "Signing JSON" > "Canonical JSON"): the exact bytes that Matrix signatures cover.

import { MatrixDelegationError } from '../errors.js';
import { keyCheckEnglish as say } from './key-check-texts.js';

/** Largest integer canonical JSON allows: 2^53 - 1 (spec: `[-(2**53)+1, (2**53)-1]`). */
export const CANONICAL_JSON_MAX_INTEGER = Number.MAX_SAFE_INTEGER;
/** Smallest integer canonical JSON allows: -(2^53) + 1. */
export const CANONICAL_JSON_MIN_INTEGER = Number.MIN_SAFE_INTEGER;

/**
 * Compares two strings by Unicode code point, the key order canonical JSON requires.
 *
 * JavaScript's default sort compares UTF-16 code units, which puts an astral character (a surrogate pair,
 * units 0xD800-0xDFFF) *before* BMP characters U+E000-U+FFFF, although its code point is larger. Only that
 * case differs, so the comparison walks the code units and, at the first difference, lifts surrogates above
 * U+E000-U+FFFF. For well-formed strings the result equals comparing the UTF-8 bytes, which is what
 * Python's `sort_keys=True` (the spec's reference) does.
 *
 * @example
 * ```ts
 * ['\u{1F600}', '\uFB01'].sort(compareCodePoints); // ['\uFB01', '\u{1F600}'] (default sort gives the reverse)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

/** Maps a UTF-16 code unit so that surrogates (astral code points) rank above U+E000-U+FFFF. */
function codeUnitRank(unit: number): number {
  if (unit < 0xd800) return unit;
  // Surrogates D800-DFFF move to F800-FFFF; E000-FFFF move down to D800-F7FF. Order within each range is kept.
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * Encodes a JSON value as Matrix canonical JSON: no insignificant whitespace, object keys sorted by Unicode
 * code point, integers only, non-ASCII characters written raw.
 *
 * Rules (spec appendix "Canonical JSON", its grammar and examples):
 * - Numbers must be integers in [-(2^53)+1, 2^53-1]. Floats, NaN, Infinity and integers outside that range
 *   throw. `-0` is written `0` (the spec's own example). JavaScript cannot tell `1.0` from `1`: a parsed
 *   `1.0` is the number 1 and is written `1`.
 * - Strings: only `\"`, `\\`, `\b`, `\t`, `\n`, `\f`, `\r` and lowercase `\u00xx` for the other C0 controls
 *   (U+0000-U+001F) are escaped; everything else, including `/`, DEL and U+2028/U+2029, is written raw.
 * - Lone surrogates (a string that is not valid Unicode) throw: the spec defines canonical JSON as UTF-8,
 *   which cannot carry them, and `JSON.stringify`'s `\udxxx` escape is not in the canonical grammar.
 * - Only JSON values are accepted: `null`, booleans, strings, numbers as above, arrays (no holes) and plain
 *   objects (prototype `Object.prototype` or `null`). `undefined`, functions, symbols, bigints, class
 *   instances (Date, Map, ...), cycles and sparse arrays throw; there is no `toJSON` support. Symbol-keyed
 *   properties are not JSON members and are ignored, as `JSON.stringify` does.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` naming the JSON path of the offending value (`$.a[0]`).
 *
 * @example
 * ```ts
 * canonicalJson({ two: 'Two', one: 1 }); // '{"one":1,"two":"Two"}'
 * canonicalJson({ 本: 2, 日: 1 });        // '{"日":1,"本":2}'
 * canonicalJson({ a: 1.5 });             // throws INVALID_ARGUMENT: $.a is not an integer
 * ```
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  try {
    encodeValue(value, '$', out, new Set());
  } catch (error) {
    // A remote document can nest deeper than the stack allows; callers must get a stable code, not a RangeError.
    if (error instanceof RangeError) {
      throw new MatrixDelegationError('INVALID_ARGUMENT', say('canonical.tooDeep'), { cause: error });
    }
    throw error;
  }
  return out.join('');
}

/**
 * {@link canonicalJson} encoded as UTF-8: the exact bytes a Matrix signature covers.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` as {@link canonicalJson}.
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  // Safe: canonicalJson rejected lone surrogates, so the UTF-8 encoding is lossless.
  return new TextEncoder().encode(canonicalJson(value));
}

/** The error of a value at `path` that canonical JSON cannot encode, its message one of the `canonical.*` sentences. */
function invalid(path: string, message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', message, { detail: { path } });
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function memberPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function encodeValue(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(encodeString(value, path));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(encodeNumber(value, path));
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (ancestors.has(value)) throw invalid(path, say('canonical.circular', { path }));
      ancestors.add(value);
      if (Array.isArray(value)) encodeArray(value, path, out, ancestors);
      else encodeObject(value, path, out, ancestors);
      ancestors.delete(value);
      return;
    default:
      // undefined, function, symbol, bigint: not JSON values.
      throw invalid(path, say('canonical.notJsonValue', { path, type: typeof value }));
  }
}

function encodeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw invalid(path, say('canonical.notFinite', { path, number: String(value) }));
  if (!Number.isInteger(value)) throw invalid(path, say('canonical.float', { path, number: String(value) }));
  if (!Number.isSafeInteger(value)) throw invalid(path, say('canonical.range', { path, number: String(value) }));
  // -0 must not appear (spec); String(-0) is already '0', but say so explicitly.
  return Object.is(value, -0) ? '0' : String(value);
}

function encodeArray(value: readonly unknown[], path: string, out: string[], ancestors: Set<object>): void {
  out.push('[');
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out.push(',');
    const itemPath = `${path}[${i}]`;
    if (!Object.hasOwn(value, i)) throw invalid(itemPath, say('canonical.sparse', { path: itemPath }));
    encodeValue(value[i], itemPath, out, ancestors);
  }
  out.push(']');
}

function encodeObject(value: object, path: string, out: string[], ancestors: Set<object>): void {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    throw invalid(
      path,
      typeof name === 'string' && name !== ''
        ? say('canonical.notPlainNamed', { path, name })
        : say('canonical.notPlain', { path }),
    );
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(compareCodePoints);
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const valuePath = memberPath(path, key);
    if (i > 0) out.push(',');
    out.push(encodeString(key, valuePath), ':');
    encodeValue(record[key], valuePath, out, ancestors);
  }
  out.push('}');
}

/** Short escapes allowed by the canonical grammar, by code unit. */
const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

function encodeString(value: string, path: string): string {
  let result = '"';
  let start = 0; // start of the pending run of characters written raw
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      // A high surrogate must be followed by a low one; a low one must never come first.
      const next = value.charCodeAt(i + 1); // NaN past the end
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      throw invalid(
        path,
        say('canonical.loneSurrogate', { path, unit: unit.toString(16).toUpperCase(), index: String(i) }),
      );
    }
    if (unit >= 0x20 && unit !== 0x22 && unit !== 0x5c) continue;
    result += value.slice(start, i) + (SHORT_ESCAPES[unit] ?? `\\u00${unit.toString(16).padStart(2, '0')}`);
    start = i + 1;
  }
  return `${result}${value.slice(start)}"`;
}
