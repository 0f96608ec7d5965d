// Types of the well-known fetches: options, the per-hop record, the raw document outcome and the server result (ground-truth §2, §3).

import type { CacheAnswerInfo } from '../cache/types.js';
import type { DnsResolver } from '../dns/types.js';
import type { ErrorCode } from '../errors.js';
import type { ConnectAttempt } from '../net/connect.js';
import type { AddressPolicy } from '../net/types.js';
import type { ServerName } from '../server-name/index.js';
import type { ConnectionPool } from './connection-pool.js';

/** Options of `fetchWellKnownServer`. Only `dns` and `policy` are required; every default is listed. */
export interface WellKnownFetchOptions {
  /** Resolves the host of every hop (AAAA and A). */
  readonly dns: DnsResolver;
  /** Decides which resolved addresses may be contacted; checked before every connection. */
  readonly policy: AddressPolicy;
  /**
   * Port dialled for URLs without an explicit port. Default 443 (the spec's "port 443 always"); injectable so
   * that tests and labs can use an unprivileged port. The Host header and the recorded URLs stay port-less.
   */
  readonly port?: number;
  /** Budget of the whole operation: DNS, connections and every redirect hop. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Budget of each address's TCP connect (and then of its TLS handshake). Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Largest body accepted; a larger one is `WELL_KNOWN_TOO_LARGE`. Default 51 200 (Synapse's 50 KiB). */
  readonly maxBodyBytes?: number;
  /** Redirects followed before `WELL_KNOWN_TOO_MANY_REDIRECTS`. Default 20 (Synapse's redirect limit). */
  readonly maxRedirects?: number;
  /** Extra trusted CA certificates (PEM), added to Node's default roots. Default none. */
  readonly ca?: readonly string[];
  /** The User-Agent header. Default `matrix-delegation/<package version>`. */
  readonly userAgent?: string;
  /** Cancels the fetch: the promise then rejects with the signal's reason (a caller's choice, not a remote fault). */
  readonly signal?: AbortSignal;
  /**
   * Dial exactly these addresses (in order) instead of resolving the URL's host, for every hop on that same
   * host; a redirect to another host is resolved through `dns` as usual. The address policy still applies to
   * each. Lets a checker fetch a document from each A/AAAA address separately, to find a site that works on
   * IPv4 only or IPv6 only. Default: resolve the host.
   */
  readonly addresses?: readonly string[];
  /**
   * Keep-alive connections to share with other fetches (a check's, `createConnectionPool`): a request goes over an
   * idle connection already made for the same host, port, trust and addresses, instead of a handshake of its own.
   * Every fetch that shares a pool must use the same address policy. Default: the fetch's own connections, closed
   * when it ends.
   */
  readonly connections?: ConnectionPool;
}

/** What the fetch concluded. */
export type WellKnownFetchStatus =
  /** 200 with a valid document: `mServer` and `serverName` are set. */
  | 'delegated'
  /** A non-200 answer that is not a server error (404 and other 4xx, or an unfollowed 3xx): permanent, no delegation. */
  | 'absent'
  /** 200 but the body is not a valid document (bad JSON, not an object, missing or invalid `m.server`). */
  | 'invalid'
  /** DNS, network, TLS, timeout, 5xx, body too large, or a bad redirect: a possibly temporary failure. */
  | 'error'
  /** Every address of a hop was denied by the address policy: nothing was contacted on that hop. */
  | 'blocked';

/** The caching headers of a well-known response (null when absent): what the well-known cache reads. */
export interface WellKnownCacheHeaders {
  readonly cacheControl: string | null;
  readonly expires: string | null;
}

/** The caching-relevant and diagnostic headers of the final response (null when absent). */
export interface WellKnownHeaders extends WellKnownCacheHeaders {
  readonly contentType: string | null;
}

/** One request of the fetch (the first URL, then one per redirect followed). */
export interface WellKnownHop {
  /** The URL requested (without the injected `port`, which is not part of the URL). */
  readonly url: string;
  /** The HTTP status received, or null when no response came. */
  readonly status: number | null;
  /** The IP address the request was sent to, or null when no connection was made. */
  readonly address: string | null;
  /** Every address tried or skipped on this hop, in order: denied by the policy, failed, connected. */
  readonly attempts: readonly ConnectAttempt[];
  readonly durationMs: number;
}

/**
 * The outcome of a well-known fetch. Never an exception for remote faults: every failure is a status, a stable
 * `code` and plain-words `detail`.
 */
export interface WellKnownFetchResult {
  readonly status: WellKnownFetchStatus;
  /**
   * The `m.server` string as sent, when the document had one: set for `delegated`, and for `invalid` when the
   * string failed the server-name grammar (so a checker can show it); otherwise null.
   */
  readonly mServer: string | null;
  /** The parsed `m.server` when `status` is `delegated`, else null. */
  readonly serverName: ServerName | null;
  /** Why it is not `delegated`; null when it is. */
  readonly code: ErrorCode | null;
  /** Plain words for an admin: what happened, naming the URL, address or value involved. */
  readonly detail: string;
  /** The status of the last response received, or null when none came. */
  readonly httpStatus: number | null;
  /** Headers of the last response received (all null when none came). */
  readonly headers: WellKnownHeaders;
  /** True when the body started with a UTF-8 byte order mark (which makes it invalid, see `parseWellKnownServer`). */
  readonly hasBom: boolean;
  /** The URL of the last request made. */
  readonly url: string;
  readonly hops: readonly WellKnownHop[];
  readonly durationMs: number;
}

/**
 * Facts of one well-known fetch, as the resolver's trace shows them (the `data` of step 3). A fresh fetch gives all
 * of them; an answer from the cache keeps only `httpStatus`, plus `refreshFailed` when a refresh failed and the
 * previous answer is served.
 */
export interface WellKnownFacts {
  /** The status of the last response received, or null when none came. */
  readonly httpStatus: number | null;
  /** Every request made (the first URL, then one per redirect followed). */
  readonly hops?: readonly WellKnownHop[];
  /** Headers of the last response received. */
  readonly headers?: WellKnownHeaders;
  readonly durationMs?: number;
  /** Set by the cache: why the refresh of a still valid answer failed (the answer served is the previous one). */
  readonly refreshFailed?: string;
}

/**
 * What the resolver needs from a well-known fetch: the outcome, `m.server` as served and parsed, the caching headers
 * and the facts for the trace. `fetchWellKnownServer` gives it (see `normalizeResolveOptions`); the well-known cache
 * keeps and returns it.
 */
export interface WellKnownAnswer {
  readonly status: WellKnownFetchStatus;
  /** The `m.server` string as served (see {@link WellKnownFetchResult.mServer}), else null. */
  readonly mServer: string | null;
  /**
   * `m.server` parsed by the well-known parser (`parseWellKnownServer`), set when `status` is `delegated`, else null.
   * The resolver and the checker use this one parse; a `delegated` answer without it counts as `invalid`.
   */
  readonly serverName: ServerName | null;
  readonly code: ErrorCode | null;
  readonly detail: string;
  /** Facts for the trace (hops, HTTP status...); a cached answer keeps only `httpStatus`. */
  readonly data?: WellKnownFacts;
  /** The response's caching headers (a fetch that sets none gets the default lifetime). */
  readonly headers?: WellKnownCacheHeaders;
  /** Set by the cache: where the answer came from. */
  readonly cache?: CacheAnswerInfo;
}

/**
 * Fetches `https://<hostname>/.well-known/matrix/server` for the resolver (`ResolveOptions.deps.fetchWellKnown`);
 * rejects only when `signal` aborts.
 */
export type WellKnownFetcher = (
  hostname: string,
  options: { readonly signal: AbortSignal },
) => Promise<WellKnownAnswer>;

/** The HTTP methods a well-known document fetch may use: GET, and OPTIONS for a CORS preflight. */
export type WellKnownDocumentMethod = 'GET' | 'OPTIONS';

/**
 * Options of `fetchWellKnownDocument` / `fetchHttpsDocument`: those of the server fetch plus the request's
 * shape. Defaults as in {@link WellKnownFetchOptions}.
 */
export interface WellKnownDocumentOptions extends WellKnownFetchOptions {
  /** The request method. Default `GET`. */
  readonly method?: WellKnownDocumentMethod;
  /**
   * Extra request headers (e.g. `Origin`, `Access-Control-Request-Method`). They are added to, and may replace,
   * the defaults `User-Agent` and `Accept: application/json`; `Host` cannot be set (it is always the URL's host).
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Follow redirects (default true). When false a redirect is the final response, as for a CORS preflight,
   * which browsers never redirect.
   */
  readonly followRedirects?: boolean;
}

/** How a document fetch ended, before any interpretation of the status or body. */
export type WellKnownDocumentOutcome =
  /** A final response arrived (any status); `body` is set for a 200. */
  | 'response'
  /** DNS, network, TLS, timeout, body too large, or a bad redirect: `code` and `detail` say which. */
  | 'failed'
  /** Every address of a hop was denied by the address policy: nothing was contacted on that hop. */
  | 'blocked';

/** The raw outcome of `fetchWellKnownDocument` / `fetchHttpsDocument`. Never an exception for remote faults. */
export interface WellKnownDocumentResult {
  readonly outcome: WellKnownDocumentOutcome;
  /** Why the fetch failed (`failed` / `blocked`); null for a response. */
  readonly code: ErrorCode | null;
  /** Plain words: what happened, naming the URL or address involved. */
  readonly detail: string;
  /** The status of the last response received, or null when none came. */
  readonly httpStatus: number | null;
  /**
   * Every header of the last response received, names lowercase, repeated headers joined with ", " (empty when
   * no response came). Holds all `access-control-*` headers for CORS checks.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The body of a final 200 response (at most `maxBodyBytes`); null for any other status or a failure. */
  readonly body: Uint8Array | null;
  /** The URL of the last request made. */
  readonly url: string;
  readonly hops: readonly WellKnownHop[];
  readonly durationMs: number;
}
