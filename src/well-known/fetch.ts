// Fetches https://<hostname>/.well-known/matrix/server through the document fetch and interprets status and `m.server`.

import type { ErrorCode } from '../errors.js';
import { WELL_KNOWN_ERROR_EN as SAY } from './well-known-error-texts.js';
import { WELL_KNOWN_FETCH_DEFAULTS } from './defaults.js';
import type * as DocumentFetch from './fetch-document.js';
import { parseWellKnownServer } from './parse-server.js';
import type { WellKnownFetchOptions, WellKnownFetchResult, WellKnownHeaders, WellKnownFetchStatus } from './types.js';

export { WELL_KNOWN_FETCH_DEFAULTS };

/**
 * The transport (TLS, the HTTP client, the address policy per hop), loaded by the first fetch: a program that only
 * resolves IP literals or explicit ports, or only imports the resolver, does not load it. A resolution with
 * overlapping lookups asks the host's addresses before calling the fetch, so the load overlaps a DNS round trip.
 */
let documentFetch: Promise<typeof DocumentFetch> | undefined;

function loadDocumentFetch(): Promise<typeof DocumentFetch> {
  if (documentFetch === undefined) {
    documentFetch = import('./fetch-document.js');
    // A failed load is retried by the next fetch, not remembered.
    documentFetch.catch(() => {
      documentFetch = undefined;
    });
  }
  return documentFetch;
}

/** The path of the server well-known document (spec server-server API, "Server discovery"). */
export const WELL_KNOWN_SERVER_PATH = '/.well-known/matrix/server';

/** The caching-relevant and diagnostic headers, picked from the full header map. */
function pickHeaders(headers: Readonly<Record<string, string>>): WellKnownHeaders {
  return {
    cacheControl: headers['cache-control'] ?? null,
    expires: headers['expires'] ?? null,
    contentType: headers['content-type'] ?? null,
  };
}

/**
 * Fetches and parses `https://<hostname>/.well-known/matrix/server` (spec server-server API "Resolving server
 * names", step 3; ground-truth §2 "The well-known fetch").
 *
 * - Every hop resolves its host through `dns` (AAAA and A, every address), or dials `addresses` when given,
 *   checks each address against `policy` before dialling it and dials that very address (DNS rebinding cannot
 *   bypass the check); addresses are tried in order until one accepts a TCP connection. If the policy denies
 *   them all the result is `blocked` and nothing was contacted.
 * - TLS: SNI and certificate name are the URL's host (no SNI for an IP literal, whose certificate must carry the
 *   IP); normal X.509 validation against Node's roots plus `ca`. A certificate failure ends the fetch.
 * - Redirects 301/302/303/307/308 are followed by hand, to https URLs only (`WELL_KNOWN_BAD_REDIRECT`),
 *   never to a URL already requested (`WELL_KNOWN_REDIRECT_LOOP`), at most `maxRedirects` times
 *   (`WELL_KNOWN_TOO_MANY_REDIRECTS`). A URL without a port is dialled on `port`.
 * - The body is read up to `maxBodyBytes` (`WELL_KNOWN_TOO_LARGE`) and parsed as JSON whatever its Content-Type
 *   (see {@link parseWellKnownServer}).
 * - Status: 200 -> `delegated` or `invalid`; other non-200 below 500 -> `absent` (`WELL_KNOWN_NOT_FOUND` for 404,
 *   else `WELL_KNOWN_HTTP_STATUS`); 5xx, DNS, network, TLS, timeout, too large, bad redirect -> `error`. This is
 *   Synapse's split between permanent and temporary failures, which its cache treats differently.
 *
 * The transport is `fetchWellKnownDocument`; this function only interprets its outcome.
 *
 * Never rejects for remote faults; rejects only when the caller's `signal` aborts (with its reason), and throws
 * `INVALID_ARGUMENT` for an unusable `hostname` or option.
 *
 * @example
 * ```ts
 * const result = await fetchWellKnownServer('example.org', { dns: createDnsClient(), policy: createAddressPolicy() });
 * if (result.status === 'delegated') console.log(result.serverName); // { host: 'matrix.example.org', kind: 'dns', port: 443 }
 * else console.log(result.code, result.detail);
 * ```
 */
export async function fetchWellKnownServer(
  hostname: string,
  options: WellKnownFetchOptions,
): Promise<WellKnownFetchResult> {
  const { fetchWellKnownDocument } = await loadDocumentFetch();
  const doc = await fetchWellKnownDocument(hostname, WELL_KNOWN_SERVER_PATH, options);
  const finish = (
    status: WellKnownFetchStatus,
    code: ErrorCode | null,
    detail: string,
    extra: Partial<WellKnownFetchResult> = {},
  ): WellKnownFetchResult => ({
    status,
    mServer: null,
    serverName: null,
    code,
    detail,
    httpStatus: doc.httpStatus,
    headers: pickHeaders(doc.headers),
    hasBom: false,
    url: doc.url,
    hops: doc.hops,
    durationMs: doc.durationMs,
    ...extra,
  });

  if (doc.outcome === 'blocked') return finish('blocked', doc.code, doc.detail);
  if (doc.outcome === 'failed') return finish('error', doc.code, doc.detail);
  const status = doc.httpStatus ?? 0;
  const url = doc.url;
  if (status === 200) {
    const parsed = parseWellKnownServer(doc.body ?? new Uint8Array());
    if (parsed.ok) {
      return finish('delegated', null, `${url} delegates to ${parsed.mServer}`, {
        mServer: parsed.mServer,
        serverName: parsed.serverName,
      });
    }
    return finish('invalid', parsed.code, SAY.failedAt({ url, inner: parsed.detail }), {
      mServer: parsed.mServer,
      hasBom: parsed.hasBom,
    });
  }
  if (status >= 500) {
    return finish('error', 'WELL_KNOWN_HTTP_STATUS', SAY.serverError({ url, status }));
  }
  if (status === 404) return finish('absent', 'WELL_KNOWN_NOT_FOUND', SAY.notFound({ url }));
  return finish('absent', 'WELL_KNOWN_HTTP_STATUS', SAY.status({ url, status }));
}
