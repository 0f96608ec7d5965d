// Pure checks of CORS response headers against what the Matrix client-server API asks of well-known documents.

/**
 * The CORS headers the spec asks for (client-server API "Web Browser Clients"; ground-truth §3): every
 * `/.well-known/matrix/client` response, and the answer to its `OPTIONS` preflight, should carry them.
 */
export const REQUIRED_CORS = Object.freeze({
  allowOrigin: '*',
  allowMethods: Object.freeze(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']),
  allowHeaders: Object.freeze(['X-Requested-With', 'Content-Type', 'Authorization']),
});

/** Response headers, names in any case; a list-valued header may be one comma-separated string or an array. */
export type CorsHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValue(headers: CorsHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  const parts: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') parts.push(value);
    else parts.push(...value);
  }
  return parts.length === 0 ? null : parts.join(', ');
}

/** The comma-separated tokens of a header, trimmed and lowercase (list order and case do not matter). */
function tokens(value: string | null): Set<string> {
  if (value === null) return new Set();
  return new Set(
    value
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== ''),
  );
}

/**
 * What a set of response headers lacks compared with the spec's CORS headers, as `Header: item` strings, e.g.
 * `Access-Control-Allow-Origin: *` or `Access-Control-Allow-Methods: PUT`. Empty means complete.
 *
 * Rules (ground-truth §3): `Access-Control-Allow-Origin` must be `*` (an echoed origin is not what the spec asks:
 * it only works if the server echoes every origin); `Access-Control-Allow-Methods` must cover GET, POST, PUT,
 * DELETE and OPTIONS and `Access-Control-Allow-Headers` X-Requested-With, Content-Type and Authorization, in any
 * order and case, where `*` covers every method or header.
 *
 * @example
 * ```ts
 * checkCorsHeaders({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS' });
 * // ['Access-Control-Allow-Methods: POST', 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Methods: DELETE',
 * //  'Access-Control-Allow-Headers: X-Requested-With', 'Access-Control-Allow-Headers: Content-Type',
 * //  'Access-Control-Allow-Headers: Authorization']
 * ```
 */
export function checkCorsHeaders(headers: CorsHeaders): string[] {
  const missing: string[] = [];
  const origin = headerValue(headers, 'access-control-allow-origin');
  if (origin === null || origin.trim() !== REQUIRED_CORS.allowOrigin)
    missing.push(`Access-Control-Allow-Origin: ${REQUIRED_CORS.allowOrigin}`);
  const lists: readonly [string, readonly string[]][] = [
    ['Access-Control-Allow-Methods', REQUIRED_CORS.allowMethods],
    ['Access-Control-Allow-Headers', REQUIRED_CORS.allowHeaders],
  ];
  for (const [name, required] of lists) {
    const given = tokens(headerValue(headers, name));
    if (given.has('*')) continue;
    for (const item of required) {
      if (!given.has(item.toLowerCase())) missing.push(`${name}: ${item}`);
    }
  }
  return missing;
}

/**
 * The missing CORS headers of {@link checkCorsHeaders} in words, each header once with the values it lacks:
 * `Access-Control-Allow-Methods: POST, PUT; Access-Control-Allow-Headers: Authorization`.
 *
 * @example
 * ```ts
 * formatMissingCors(['Access-Control-Allow-Methods: POST', 'Access-Control-Allow-Methods: PUT']);
 * // 'Access-Control-Allow-Methods: POST, PUT'
 * ```
 */
export function formatMissingCors(missing: readonly string[]): string {
  const byHeader = new Map<string, string[]>();
  for (const entry of missing) {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    const values = byHeader.get(name) ?? [];
    if (value !== '' && !values.includes(value)) values.push(value);
    byHeader.set(name, values);
  }
  return [...byHeader].map(([name, values]) => (values.length > 0 ? `${name}: ${values.join(', ')}` : name)).join('; ');
}
