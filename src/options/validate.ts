// Checks of caller-given arguments and options: one error class and code, a message naming the option and what it accepts.

import { constants as bufferConstants } from 'node:buffer';
import { MatrixDelegationError } from '../errors.js';

/**
 * The longest wait a Node timer can make: 2^31 - 1 ms (about 24.8 days). A longer one is not a long wait: Node
 * prints a `TimeoutOverflowWarning` and fires after 1 ms. Every `...Ms` budget option is checked against it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The largest body a Buffer can hold: the ceiling of every `max...Bytes` option. */
export const MAX_BODY_BYTES = bufferConstants.MAX_LENGTH;

/** An inclusive range of whole numbers. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** How to say the unit in messages ("milliseconds", "bytes"). */
  readonly unit?: string;
}

/** A short description of a value for a message: the value itself when it is short, else its kind. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${String(value)}n (a bigint)`;
    case 'string':
      return value.length <= 60
        ? JSON.stringify(value)
        : `${JSON.stringify(value.slice(0, 60))}... (a string of ${value.length} characters)`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}

/**
 * The error for an unusable argument or option: `INVALID_ARGUMENT`, with a message that names it, says what it
 * accepts and what it got, and the same in `detail` (`option`, `value`).
 *
 * @example
 * ```ts
 * throw invalidOption('defaultPort', 'a whole number from 1 to 65535', -1);
 * // MatrixDelegationError INVALID_ARGUMENT: defaultPort must be a whole number from 1 to 65535, not -1
 * ```
 */
export function invalidOption(option: string, expected: string, value: unknown): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', `${option} must be ${expected}, not ${describeValue(value)}`, {
    detail: { option, value },
  });
}

/** The words of a range: "a whole number of milliseconds from 1 to 2147483647", "a whole number of at least 1". */
function rangeWords(range: IntegerRange): string {
  const what = range.unit === undefined ? 'a whole number' : `a whole number of ${range.unit}`;
  return range.max >= Number.MAX_SAFE_INTEGER
    ? `${what} of at least ${range.min}`
    : `${what} from ${range.min} to ${range.max}`;
}

/** An options object: `undefined` stands for `{}`; anything but a plain object (null, an array, a string) is refused. */
export function optionsObject<T extends object>(name: string, value: unknown): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidOption(name, 'an object of options', value);
  return value as T;
}

/** A whole number within `range`, or `fallback` when `value` is undefined. NaN, Infinity and fractions are refused. */
export function integerOption(option: string, value: unknown, fallback: number, range: IntegerRange): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidOption(option, rangeWords(range), value);
  }
  return value;
}

/**
 * A time budget in milliseconds: a whole number from 1 to {@link MAX_TIMER_MS}. `Infinity` and huge values are
 * refused rather than clamped (CONTRIBUTING.md, Decisions): every network operation has a limit, and 1e12 is more
 * likely seconds taken for milliseconds, or a date, than a wish to wait 31 years.
 */
export function timeoutOption(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS) {
    throw invalidOption(
      option,
      `a whole number of milliseconds from 1 to ${MAX_TIMER_MS} (about 24.8 days, the longest a Node timer waits)`,
      value,
    );
  }
  return value;
}

/** A TCP port: a whole number from 1 to 65535. */
export function portOption(option: string, value: unknown, fallback: number): number {
  return integerOption(option, value, fallback, { min: 1, max: 65_535 });
}

/** A size limit in bytes: a whole number from 0 to the largest Buffer. */
export function byteLimitOption(option: string, value: unknown, fallback: number): number {
  return integerOption(option, value, fallback, { min: 0, max: MAX_BODY_BYTES, unit: 'bytes' });
}

/** `true` or `false`, or `fallback` when undefined. */
export function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(option, 'true or false', value);
  return value;
}

/** A function, or undefined. */
export function functionOption<F>(option: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidOption(option, 'a function', value);
  return value as F;
}

/** A string, or undefined; `pattern` (with its words) restricts it further. */
export function stringOption(
  option: string,
  value: unknown,
  pattern?: { readonly test: RegExp; readonly words: string },
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidOption(option, pattern?.words ?? 'a string', value);
  if (pattern !== undefined && !pattern.test.test(value)) throw invalidOption(option, pattern.words, value);
  return value;
}

/** An array of strings, or undefined. What each string must be is checked where it is used (CIDRs, DNS servers). */
export function stringListOption(option: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidOption(option, 'an array of strings', value);
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'string') throw invalidOption(`${option}[${i}]`, 'a string', item);
  });
  return value as readonly string[];
}

/** An object with the given methods (an injected dependency such as a DNS resolver or an address policy), or undefined. */
export function dependencyOption<T>(option: string, value: unknown, methods: readonly string[]): T | undefined {
  if (value === undefined) return undefined;
  // A loop, not `every` with a closure: this runs on every resolution, a memo hit included (about 400 ns in all).
  let fits = typeof value === 'object' && value !== null;
  for (let i = 0; fits && i < methods.length; i += 1)
    fits = typeof (value as Record<string, unknown>)[methods[i]!] === 'function';
  if (!fits) throw invalidOption(option, `an object with the methods ${methods.join(', ')}`, value);
  return value as T;
}

/** An AbortSignal (or anything with `aborted` and `addEventListener`, as other realms' signals have), or undefined. */
export function signalOption(option: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const fits =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { aborted?: unknown }).aborted === 'boolean' &&
    typeof (value as { addEventListener?: unknown }).addEventListener === 'function' &&
    typeof (value as { removeEventListener?: unknown }).removeEventListener === 'function';
  if (!fits) throw invalidOption(option, 'an AbortSignal', value);
  return value as AbortSignal;
}

/**
 * A server name argument: it must be a string (`INVALID_ARGUMENT` otherwise). Whether the string is a valid server
 * name is the grammar's business: a throwing API reports `INVALID_SERVER_NAME`, a resolution reports it as a result.
 */
export function serverNameArgument(value: unknown, option = 'serverName'): string {
  if (typeof value !== 'string') throw invalidOption(option, 'a string (a server name such as example.com)', value);
  return value;
}
