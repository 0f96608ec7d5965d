// Parsing the request target: the decoded path and the query parameters, with strict percent-decoding.

/** The default limit on the request target's length, in characters. */
export const DEFAULT_MAX_URL_LENGTH = 4096;

/** A parsed request target: the decoded path, and the query still encoded (see {@link parseQuery}). */
export interface RequestTarget {
  /** The percent-decoded path, always starting with `/`. */
  readonly path: string;
  /** The text after `?`, not decoded yet (empty when there is none). */
  readonly rawQuery: string;
}

/** Why a request target or a query was refused. */
export interface RequestTargetError {
  readonly status: 400 | 414;
  readonly message: string;
}

/** "/", the first character of an origin-form request target. */
const SLASH = 0x2f;

/** The query of a request without one: shared, since no caller changes it. */
const EMPTY_QUERY: ReadonlyMap<string, readonly string[]> = new Map();

/** Decodes one percent-encoded component, or returns null when the encoding (or the UTF-8 it encodes) is broken. */
function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Parses `req.url` into the decoded path and the raw query. Refuses (400) a target that is neither a path nor
 * an absolute URL, a path with broken percent-encoding or invalid UTF-8, and a path holding a NUL; refuses (414)
 * a target longer than `maxLength`. The query is decoded separately, once the route is known, so that a broken
 * query on a tester endpoint is answered with that endpoint's CORS headers.
 *
 * @example
 * ```ts
 * parseRequestTarget('/api/report?server_name=example.com');
 * // { path: '/api/report', rawQuery: 'server_name=example.com' }
 * ```
 */
export function parseRequestTarget(
  url: string | undefined,
  maxLength: number = DEFAULT_MAX_URL_LENGTH,
): RequestTarget | RequestTargetError {
  if (url === undefined || url === '') return { status: 400, message: 'the request has no target' };
  if (url.length > maxLength)
    return { status: 414, message: `the request target is longer than ${maxLength} characters` };
  let target = url;
  // Absolute form (RFC 9112 section 3.2.2), which proxies send: keep the path and query only. The usual
  // origin form (starting with "/") skips the regular expression: this runs for every request.
  if (target.charCodeAt(0) !== SLASH) {
    const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
    if (absolute !== null) target = target.slice(absolute[0].length) || '/';
    if (!target.startsWith('/')) return { status: 400, message: 'the request target must be a path starting with /' };
  }
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const questionMark = target.indexOf('?');
  const rawPath = questionMark === -1 ? target : target.slice(0, questionMark);
  // Without a "%" there is nothing to decode (decodeURIComponent would return the same text).
  const path = rawPath.includes('%') ? decode(rawPath) : rawPath;
  if (path === null) return { status: 400, message: 'the path has a broken percent-encoding' };
  if (path.includes('\0')) return { status: 400, message: 'the path holds a NUL character' };
  return { path, rawQuery: questionMark === -1 ? '' : target.slice(questionMark + 1) };
}

/**
 * Decodes a query string (`+` is a space) into each name with all its values in order. Node's URLSearchParams
 * is not used because it silently keeps broken escapes (`%zz`), which would reach the server-name check as text.
 *
 * @example
 * ```ts
 * parseQuery('server_name=example.com&a=1&a=2'); // Map { 'server_name' => ['example.com'], 'a' => ['1', '2'] }
 * parseQuery('server_name=%zz');                 // { status: 400, message: '...' }
 * ```
 */
export function parseQuery(rawQuery: string): ReadonlyMap<string, readonly string[]> | RequestTargetError {
  // Most requests (the well-known documents) have no query: no need for a Map of their own.
  if (rawQuery === '') return EMPTY_QUERY;
  const query = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode((equals === -1 ? part : part.slice(0, equals)).replaceAll('+', ' '));
    const value = decode((equals === -1 ? '' : part.slice(equals + 1)).replaceAll('+', ' '));
    if (name === null || value === null)
      return { status: 400, message: 'the query string has a broken percent-encoding' };
    const values = query.get(name);
    if (values === undefined) query.set(name, [value]);
    else values.push(value);
  }
  return query;
}

/** True when a parse result is a refusal. */
export function isRequestTargetError(value: unknown): value is RequestTargetError {
  return typeof value === 'object' && value !== null && 'status' in value && 'message' in value;
}
