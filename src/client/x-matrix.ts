// The X-Matrix Authorization header (server-server API "Request Authentication"): parsing and formatting.

import { parseServerName } from '../server-name/parse.js';

/** One `X-Matrix` credential of an Authorization header. */
export interface XMatrixCredentials {
  /** The sending server's name (`origin`), a valid server name. */
  readonly origin: string;
  /** The receiving server's name (`destination`, added in v1.3), or null when the sender left it out. */
  readonly destination: string | null;
  /** The signing key id (`key`), e.g. `ed25519:a_AbCd`. */
  readonly key: string;
  /** The signature (`sig`), unpadded base64 as sent. */
  readonly sig: string;
}

/**
 * Why an Authorization header gave no usable credentials:
 * - `AUTH_MISSING`: no `X-Matrix` credentials at all (no header, or only other schemes);
 * - `AUTH_MALFORMED`: an `X-Matrix` credential that does not follow the grammar, lacks `origin`, `key` or `sig`, has
 *   an `origin` that is not a server name, repeats a parameter, or the header is too long or has too many credentials.
 */
export type XMatrixParseCode = 'AUTH_MISSING' | 'AUTH_MALFORMED';

/** The result of {@link parseXMatrixAuthorization}. */
export type XMatrixParseResult =
  | { readonly ok: true; readonly credentials: readonly XMatrixCredentials[] }
  | { readonly ok: false; readonly code: XMatrixParseCode; readonly message: string };

/** Longest Authorization header text read (all headers together): real ones are ~250 bytes. */
export const MAX_AUTHORIZATION_LENGTH = 8192;
/** Most `X-Matrix` credentials read from one request: each one costs a key look-up and a signature check. */
export const MAX_X_MATRIX_CREDENTIALS = 8;

/** tchar (RFC 9110 §5.6.2), as a table by character code (a regular expression per character cost more than the rest). */
const TCHAR_CODES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    table[c.charCodeAt(0)] = 1;
  return table;
})();
/** A token, and the spec's extension for values: "recipients should allow colons ... without requiring quotes". */
const UNQUOTED_VALUE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z:]+$/;
const SCHEME = 'x-matrix';
/** The parameters X-Matrix defines; others are ignored. */
const KNOWN_PARAMS: ReadonlySet<string> = new Set(['origin', 'destination', 'key', 'sig']);

/**
 * Parses the Authorization header(s) of a federation request, per the spec's grammar (server-server API "Request
 * Authentication", RFC 9110 §11 / RFC 7235 §2.1): the scheme `X-Matrix` (case-insensitive), one or more spaces, then
 * comma-separated `name=value` parameters; names are case-insensitive and in any order; a value is a token (colons
 * allowed, as the spec asks of recipients) or a quoted string whose backslash escapes are undone; empty list elements
 * and spaces around `,` and `=` are allowed; unknown parameters are ignored.
 *
 * Several `X-Matrix` credentials are read, whether they come as several headers (pass every value: in Node,
 * `req.headersDistinct.authorization`, since `req.headers` keeps only the first) or as one header joined with commas.
 * Credentials of other schemes are skipped. Never throws; at most {@link MAX_AUTHORIZATION_LENGTH} characters and
 * {@link MAX_X_MATRIX_CREDENTIALS} credentials are accepted.
 *
 * @example
 * ```ts
 * parseXMatrixAuthorization('X-Matrix origin="origin.example",destination=dest.example:8448,key="ed25519:1",sig="ABC"');
 * // { ok: true, credentials: [{ origin: 'origin.example', destination: 'dest.example:8448', key: 'ed25519:1', sig: 'ABC' }] }
 * parseXMatrixAuthorization('Bearer abc'); // { ok: false, code: 'AUTH_MISSING', ... }
 * ```
 */
export function parseXMatrixAuthorization(header: string | readonly string[] | null | undefined): XMatrixParseResult {
  try {
    const values =
      header === null || header === undefined
        ? []
        : typeof header === 'string'
          ? [header]
          : Array.isArray(header)
            ? header
            : null;
    if (values === null) return malformed('the Authorization header must be a string or a list of strings');
    let total = 0;
    const credentials: XMatrixCredentials[] = [];
    for (const value of values as readonly unknown[]) {
      if (typeof value !== 'string') return malformed('the Authorization header must be a string or a list of strings');
      total += value.length;
      if (total > MAX_AUTHORIZATION_LENGTH)
        return malformed(`the Authorization header is longer than ${MAX_AUTHORIZATION_LENGTH} characters`);
      const parsed = parseHeaderValue(value);
      if (typeof parsed === 'string') return malformed(parsed);
      for (const params of parsed) {
        const checked = toCredentials(params);
        if (typeof checked === 'string') return malformed(checked);
        credentials.push(checked);
        if (credentials.length > MAX_X_MATRIX_CREDENTIALS)
          return malformed(`the request carries more than ${MAX_X_MATRIX_CREDENTIALS} X-Matrix credentials`);
      }
    }
    if (credentials.length === 0)
      return { ok: false, code: 'AUTH_MISSING', message: 'the request has no X-Matrix Authorization header' };
    return { ok: true, credentials };
  } catch (error) {
    // Nothing above should throw; if it does, the header is still bad input, not a crash.
    return malformed(
      `the Authorization header could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Formats one X-Matrix credential as the spec's example does and as it asks senders to: one space after `X-Matrix`,
 * lower-case names, every value quoted (`"` and `\` escaped, which valid server names, key ids and base64 never need).
 *
 * @example
 * ```ts
 * formatXMatrixAuthorization({ origin: 'a.example', destination: 'b.example', key: 'ed25519:1', sig: 'ABC' });
 * // 'X-Matrix origin="a.example",destination="b.example",key="ed25519:1",sig="ABC"'
 * ```
 */
export function formatXMatrixAuthorization(credentials: XMatrixCredentials): string {
  const quote = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const destination = credentials.destination === null ? '' : `destination=${quote(credentials.destination)},`;
  return `X-Matrix origin=${quote(credentials.origin)},${destination}key=${quote(credentials.key)},sig=${quote(credentials.sig)}`;
}

function malformed(message: string): XMatrixParseResult {
  return { ok: false, code: 'AUTH_MALFORMED', message };
}

/** The parameters of one X-Matrix credential: lower-case name -> value (unescaped). */
type Params = Map<string, string>;

/**
 * Reads one header value into the parameter lists of its X-Matrix credentials (other schemes' are skipped), or
 * returns what is wrong. A scanner, not a regular expression: quoted strings may hold commas and `=`.
 *
 * Each comma-separated element is either `name BWS "=" BWS value` (a parameter of the credential being read) or
 * `scheme [ 1*SP ( token68 / name=value ) ]` (the start of a credential): after a token and optional spaces, an `=`
 * means a parameter, anything else a scheme (a token68 never starts with `=`).
 */
function parseHeaderValue(text: string): Params[] | string {
  const result: Params[] = [];
  const n = text.length;
  let i = 0;
  // undefined before the first scheme; null inside another scheme's credential (skipped); else the X-Matrix one.
  let current: Params | null | undefined;
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const skipSpaces = (): void => {
    while (i < n && isSpace(text[i])) i++;
  };
  const readToken = (): string => {
    const from = i;
    while (i < n && TCHAR_CODES[text.charCodeAt(i)] === 1) i++;
    return text.slice(from, i);
  };
  const skipToComma = (): string | undefined => {
    // Another scheme's text (token68 or parameters): skipped, but its quoted strings may hold commas.
    while (i < n && text[i] !== ',') {
      if (text[i] === '"') {
        const quoted = readQuoted(text, i);
        if (typeof quoted === 'string') return quoted;
        i = quoted.end;
      } else i++;
    }
    return undefined;
  };
  /** name BWS "=" BWS value, with `i` on the "=": stores it in `current` (unless another scheme's). */
  const readParam = (name: string): string | undefined => {
    i++;
    skipSpaces();
    if (current === null) return skipToComma();
    let value: string;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i);
      if (typeof quoted === 'string') return quoted;
      value = quoted.value;
      i = quoted.end;
    } else {
      const from = i;
      while (i < n && text[i] !== ',' && !isSpace(text[i])) i++;
      value = text.slice(from, i);
      if (!UNQUOTED_VALUE.test(value)) {
        return `the value of "${name.slice(0, 32)}" is neither a token nor a quoted string (values with characters such as / or = must be quoted)`;
      }
    }
    const key = name.toLowerCase();
    if (current === undefined) return `the parameter "${key.slice(0, 32)}" comes before any authentication scheme`;
    // Unknown parameters are ignored (the spec), even repeated; ours must be unambiguous.
    if (!KNOWN_PARAMS.has(key)) return undefined;
    if (current.has(key)) return `the parameter "${key}" appears twice in one X-Matrix credential`;
    current.set(key, value);
    return undefined;
  };

  while (i < n) {
    skipSpaces();
    if (i >= n) break;
    if (text[i] === ',') {
      // An empty list element (RFC 9110 §5.6.1: recipients accept them).
      i++;
      continue;
    }
    const word = readToken();
    if (word === '') return `unexpected character ${describe(text[i] as string)} at position ${i}`;
    const afterWord = i;
    skipSpaces();
    if (text[i] === '=') {
      const problem = readParam(word);
      if (problem !== undefined) return problem;
    } else {
      // A new credential. The scheme must be followed by a space, a comma or the end.
      if (i === afterWord && i < n && text[i] !== ',')
        return `unexpected character ${describe(text[i] as string)} after "${word.slice(0, 32)}"`;
      if (word.toLowerCase() === SCHEME) {
        current = new Map();
        result.push(current);
        if (i < n && text[i] !== ',') {
          // The first parameter follows the scheme after spaces (X-Matrix has no token68 form).
          const name = readToken();
          if (name === '') return `unexpected character ${describe(text[i] as string)} after X-Matrix`;
          skipSpaces();
          if (text[i] !== '=') return `X-Matrix must be followed by name=value parameters, not "${name.slice(0, 32)}"`;
          const problem = readParam(name);
          if (problem !== undefined) return problem;
        }
      } else {
        current = null;
        const problem = skipToComma();
        if (problem !== undefined) return problem;
      }
    }
    skipSpaces();
    if (i < n && text[i] !== ',') return `expected "," at position ${i}, found ${describe(text[i] as string)}`;
  }
  return result;
}

/** Reads a quoted-string starting at `text[start] === '"'`: its unescaped value and the index after it. */
function readQuoted(text: string, start: number): { value: string; end: number } | string {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    const code = c.charCodeAt(0);
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      const nextCode = next.charCodeAt(0);
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      if (!(nextCode === 0x09 || (nextCode >= 0x20 && nextCode !== 0x7f && nextCode <= 0xff))) {
        return `a quoted value holds the escaped control character ${describe(next)}`;
      }
      value += next;
      i += 2;
      continue;
    }
    // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
    if (!(code === 0x09 || (code >= 0x20 && code !== 0x7f && code <= 0xff)))
      return `a quoted value holds the character ${describe(c)}`;
    value += c;
    i++;
  }
  return 'a quoted value is not closed';
}

/** Checks the parameters of one X-Matrix credential. */
function toCredentials(params: Params): XMatrixCredentials | string {
  const origin = params.get('origin');
  const key = params.get('key');
  const sig = params.get('sig');
  const destination = params.get('destination') ?? null;
  if (origin === undefined || origin === '') return 'an X-Matrix credential has no "origin"';
  if (key === undefined || key === '') return 'an X-Matrix credential has no "key"';
  if (sig === undefined || sig === '') return 'an X-Matrix credential has no "sig"';
  // The origin names whose keys are fetched: it must be a server name (appendix "Server Name"), as Synapse checks.
  if (!parseServerName(origin).ok) return `the origin ${describeValue(origin)} is not a valid server name`;
  if (destination === '') return 'the X-Matrix "destination" is empty';
  return { origin, destination, key, sig };
}

function describe(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code > 0x20 && code < 0x7f ? `"${c}" (${hex})` : hex;
}

function describeValue(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);
}
