// Fetches one document over HTTPS with DNS and address policy on every hop, redirects, size and time limits: the raw outcome.

import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { MatrixDelegationError, type ErrorCode } from '../errors.js';
import { createAbortController, onAbort } from '../net/abort.js';
import { connectTls, type ConnectAttempt } from '../net/connect.js';
import { classifyNetworkError } from '../net/errors.js';
import { buildTrustedCas, secureContextFor, trustIdentity } from '../net/trust.js';
import type { DnsResolver } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import { resolveHost, type HostLookup } from './resolve-host.js';
import { WELL_KNOWN_ERROR_EN as SAY } from './well-known-error-texts.js';
import type {
  WellKnownDocumentMethod,
  WellKnownDocumentOptions,
  WellKnownDocumentResult,
  WellKnownHop,
} from './types.js';
import { USER_AGENT } from '../version.js';
import { WELL_KNOWN_FETCH_DEFAULTS } from './defaults.js';
import type * as Pooling from './connection-pool.js';
import type { ConnectionPool, PoolConnection, PoolRoute } from './connection-pool.js';

/** Addresses of one hop's host tried at most, in order, before the hop fails (hardening against hostile zones). */
export const MAX_HOP_ADDRESSES = 32;

export { WELL_KNOWN_FETCH_DEFAULTS };

/**
 * The connections (undici's Client), loaded on the first fetch: a program that never fetches (it resolves IP literals
 * only) does not pay for it.
 */
let undiciModule: Promise<typeof Pooling> | undefined;

/** Starts loading undici and the pool over it (once per process) and returns the pending module. */
function loadUndici(): Promise<typeof Pooling> {
  if (undiciModule === undefined) {
    undiciModule = import('./connection-pool.js');
    // A failed load is retried by the next fetch, not remembered.
    undiciModule.catch(() => {
      undiciModule = undefined;
    });
  }
  return undiciModule;
}

/** Builds (and caches) the TLS context of a CA list ahead of its first connection; a failure is the connection's to report. */
function warmSecureContext(ca: readonly string[]): void {
  try {
    secureContextFor(ca);
  } catch {
    // A CA list Node cannot load fails the same way when connectTls builds the context: reported there.
  }
}

/** The redirect statuses followed (RFC 9110 §15.4; 300, 304 and 305 are not redirects to follow). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

interface Settings {
  readonly dns: DnsResolver;
  readonly policy: AddressPolicy;
  readonly port: number;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly ca: readonly string[] | undefined;
  readonly userAgent: string;
  readonly method: WellKnownDocumentMethod;
  readonly headers: Readonly<Record<string, string>>;
  readonly addresses: readonly string[] | undefined;
  readonly followRedirects: boolean;
  readonly connections: ConnectionPool | undefined;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `${name} must be an integer from ${min} to ${max}, not ${String(value)}`,
    );
  }
  return value;
}

function normalizeOptions(options: WellKnownDocumentOptions): Settings {
  const d = WELL_KNOWN_FETCH_DEFAULTS;
  const method = options.method ?? 'GET';
  if (method !== 'GET' && method !== 'OPTIONS') {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `method must be GET or OPTIONS, not ${String(method)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    // The Host header is the URL's host: letting a caller change it would make the recorded URL a lie.
    if (lower === 'host')
      throw new MatrixDelegationError('INVALID_ARGUMENT', "the Host header cannot be set: it is always the URL's host");
    headers[lower] = value;
  }
  if (options.addresses !== undefined) {
    if (options.addresses.length === 0)
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'addresses must list at least one IP address');
    for (const address of options.addresses) {
      if (isIP(address) === 0)
        throw new MatrixDelegationError(
          'INVALID_ARGUMENT',
          `addresses must be IP literals without brackets, not "${address}"`,
        );
    }
  }
  return {
    dns: options.dns,
    policy: options.policy,
    port: integerOption('port', options.port, d.port, 1, 65_535),
    timeoutMs: integerOption('timeoutMs', options.timeoutMs, d.timeoutMs, 1, 2 ** 31 - 1),
    connectTimeoutMs: integerOption('connectTimeoutMs', options.connectTimeoutMs, d.connectTimeoutMs, 1, 2 ** 31 - 1),
    maxBodyBytes: integerOption('maxBodyBytes', options.maxBodyBytes, d.maxBodyBytes, 0, Number.MAX_SAFE_INTEGER),
    maxRedirects: integerOption('maxRedirects', options.maxRedirects, d.maxRedirects, 0, 1_000),
    ca: buildTrustedCas(options.ca),
    userAgent: options.userAgent ?? USER_AGENT,
    method,
    headers,
    addresses: options.addresses === undefined ? undefined : [...options.addresses],
    followRedirects: options.followRedirects ?? true,
    connections: options.connections,
  };
}

/**
 * The first URL of a well-known fetch: the hostname alone (an IPv6 literal may come with or without brackets)
 * and an absolute path; anything else is caller misuse.
 */
function wellKnownUrl(hostname: string, path: string): URL {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  const family = isIP(bare);
  // A server name's hostname is an IP literal or letters, digits, "-" and "."; checking it here stops the URL
  // parser from quietly accepting "host:8448", "user@host" or "host/path".
  const misuse = (): MatrixDelegationError =>
    new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `"${hostname}" is not a host name to fetch a well-known document from (give the host alone, without scheme, port or path)`,
    );
  if (family === 0 && !/^[A-Za-z0-9_.-]+$/.test(bare)) throw misuse();
  // "//other.host/x" would be read as a network-path reference and change the host.
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the path must be absolute ("/.well-known/..."), not "${path}"`,
    );
  }
  try {
    return new URL(`https://${family === 6 ? `[${bare}]` : bare}${path}`);
  } catch {
    // e.g. an IPv6 zone id ("fe80::1%eth0"), which URLs cannot carry.
    throw misuse();
  }
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** All headers, names lowercase, repeated values joined (undici already lowercases names). */
function allHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = header(headers, name);
    if (value !== null) out[name.toLowerCase()] = value;
  }
  return out;
}

/** The outcome of one request, before the redirect logic looks at it. */
type HopOutcome =
  | {
      readonly kind: 'failed';
      readonly status: 'failed' | 'blocked';
      readonly code: ErrorCode;
      readonly detail: string;
    }
  | {
      readonly kind: 'response';
      readonly statusCode: number;
      readonly headers: Record<string, string>;
      readonly location: string | null;
      readonly body: Uint8Array | null;
    }
  | {
      readonly kind: 'too-large';
      readonly statusCode: number;
      readonly headers: Record<string, string>;
      readonly detail: string;
    };

/** Thrown inside the fetch when the overall budget is spent, to tell it apart from the caller's own abort. */
class BudgetExceeded extends Error {
  constructor(timeoutMs: number) {
    super(SAY.budget({ ms: timeoutMs }));
    this.name = 'TimeoutError';
  }
}

/** Drops a body without reading it. Destroying it emits an abort error, which is expected here and ignored. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** The most of an unwanted body (a 404 page, a redirect's) read to keep its connection for the next request. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * Drops a body the fetch does not need, reading it to its end in the background when it is small, so that its
 * connection can serve the next request (a redirect to the same origin, another document); a larger one is destroyed
 * with its connection. The fetch's result does not wait for it.
 */
function drain(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.dump({ limit: DRAIN_LIMIT_BYTES }).catch(() => undefined);
}

/** Reads the body up to `max` bytes; returns null when it is longer (and destroys the stream). */
async function readLimited(body: Dispatcher.ResponseData['body'], max: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      discard(body);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Fetches `https://<hostname><path>` and returns the raw outcome: final status, every response header, the body
 * of a 200, the hops and timings. This is the machinery behind `fetchWellKnownServer`, open to the other
 * well-known documents (`/.well-known/matrix/client`, `/.well-known/matrix/support`, ground-truth §3) and to CORS
 * preflights (`method: 'OPTIONS'` with `Origin` and `Access-Control-Request-Method` headers).
 *
 * - Every hop resolves its host through `dns` (AAAA and A, every address), or dials `addresses` when given,
 *   checks each address against `policy` before dialling it and dials that very address (DNS rebinding cannot
 *   bypass the check); addresses are tried in order until one accepts a TCP connection. If the policy denies
 *   them all the outcome is `blocked` and nothing was contacted.
 * - TLS: SNI and certificate name are the URL's host (no SNI for an IP literal, whose certificate must carry the
 *   IP); normal X.509 validation against Node's roots plus `ca`. A certificate failure ends the fetch.
 * - Redirects 301/302/303/307/308 are followed by hand (unless `followRedirects` is false), to https URLs only
 *   (`WELL_KNOWN_BAD_REDIRECT`), never to a URL already requested (`WELL_KNOWN_REDIRECT_LOOP`), at most
 *   `maxRedirects` times (`WELL_KNOWN_TOO_MANY_REDIRECTS`). A URL without a port is dialled on `port`.
 * - The body of a 200 is read up to `maxBodyBytes` (`WELL_KNOWN_TOO_LARGE`); other bodies are discarded.
 *
 * Never rejects for remote faults; rejects only when the caller's `signal` aborts (with its reason), and throws
 * `INVALID_ARGUMENT` for an unusable `hostname`, `path` or option.
 *
 * @example
 * ```ts
 * const r = await fetchWellKnownDocument('example.org', '/.well-known/matrix/client', {
 *   dns: createDnsClient(), policy: createAddressPolicy(), headers: { origin: 'https://app.example' } });
 * if (r.outcome === 'response') console.log(r.httpStatus, r.headers['access-control-allow-origin']);
 * else console.log(r.code, r.detail);
 * ```
 */
export function fetchWellKnownDocument(
  hostname: string,
  path: string,
  options: WellKnownDocumentOptions,
): Promise<WellKnownDocumentResult> {
  const settings = normalizeOptions(options);
  const url = wellKnownUrl(hostname, path);
  return run(url, settings, options.signal);
}

/**
 * Fetches any `https://` URL through the same machinery as {@link fetchWellKnownDocument} (DNS resolver, address
 * policy on every hop, redirects, limits), e.g. `<base_url>/_matrix/client/versions` of a client well-known
 * document. A URL without a port is dialled on `options.port` (default 443).
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` when `url` is not an absolute https URL, or for a bad option.
 *
 * @example
 * ```ts
 * const r = await fetchHttpsDocument('https://matrix.example.org/_matrix/client/versions', { dns, policy });
 * if (r.outcome === 'response' && r.httpStatus === 200) console.log(JSON.parse(new TextDecoder().decode(r.body!)));
 * ```
 */
export function fetchHttpsDocument(
  url: string | URL,
  options: WellKnownDocumentOptions,
): Promise<WellKnownDocumentResult> {
  const settings = normalizeOptions(options);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `"${String(url)}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:')
    throw new MatrixDelegationError('INVALID_ARGUMENT', `only https:// URLs can be fetched, not ${parsed.href}`);
  parsed.hash = '';
  return run(parsed, settings, options.signal);
}

/** The fetch loop shared by both entry points: hops, redirects and the overall budget. */
async function run(
  firstUrl: URL,
  settings: Settings,
  callerSignal: AbortSignal | undefined,
): Promise<WellKnownDocumentResult> {
  let url = firstUrl;
  callerSignal?.throwIfAborted();

  const started = performance.now();
  const controller = createAbortController();
  // Made only if the budget runs out: an Error captures a stack trace when created, a cost every fetch would pay.
  let budget: BudgetExceeded | undefined;
  const timer = setTimeout(
    () => controller.abort((budget = new BudgetExceeded(settings.timeoutMs))),
    settings.timeoutMs,
  );
  // Fanned out (see onAbort): a check passes one signal to the fetches of every address of a host.
  const stopCallerAbort =
    callerSignal === undefined ? undefined : onAbort(callerSignal, () => controller.abort(callerSignal.reason));

  // The caller's connections (a check's), or this fetch's own, closed when it ends.
  let ownPool: ConnectionPool | undefined;
  const pool = async (): Promise<ConnectionPool> => {
    if (settings.connections !== undefined) return settings.connections;
    ownPool ??= (await loadUndici()).createConnectionPool({ signal: controller.signal });
    return ownPool;
  };

  const hops: WellKnownHop[] = [];
  let httpStatus: number | null = null;
  let headers: Record<string, string> = {};
  const finish = (
    outcome: WellKnownDocumentResult['outcome'],
    code: ErrorCode | null,
    detail: string,
    body: Uint8Array | null = null,
  ): WellKnownDocumentResult => ({
    outcome,
    code,
    detail,
    httpStatus,
    headers,
    body,
    url: url.href,
    hops,
    durationMs: performance.now() - started,
  });

  try {
    const visited = new Set<string>();
    let redirects = 0;
    while (true) {
      visited.add(url.href);
      const outcome = await fetchHop(url, firstUrl.hostname, settings, controller.signal, hops, pool);
      if (outcome.kind === 'failed') {
        if (controller.signal.aborted) break;
        return finish(outcome.status, outcome.code, outcome.detail);
      }
      httpStatus = outcome.statusCode;
      headers = outcome.headers;
      if (outcome.kind === 'too-large') return finish('failed', 'WELL_KNOWN_TOO_LARGE', outcome.detail);

      const status = outcome.statusCode;
      if (settings.followRedirects && REDIRECT_STATUSES.has(status)) {
        if (outcome.location === null) {
          return finish('failed', 'WELL_KNOWN_BAD_REDIRECT', SAY.noLocation({ url: url.href, status }));
        }
        let next: URL;
        try {
          next = new URL(outcome.location, url);
        } catch {
          return finish(
            'failed',
            'WELL_KNOWN_BAD_REDIRECT',
            SAY.badLocation({ url: url.href, location: outcome.location }),
          );
        }
        if (next.protocol !== 'https:') {
          return finish('failed', 'WELL_KNOWN_BAD_REDIRECT', SAY.plainRedirect({ url: url.href, next: next.href }));
        }
        // The fragment is never sent (RFC 9110 §7.1), so it does not make a different URL.
        next.hash = '';
        if (visited.has(next.href)) {
          return finish('failed', 'WELL_KNOWN_REDIRECT_LOOP', SAY.redirectLoop({ url: url.href, next: next.href }));
        }
        if (redirects >= settings.maxRedirects) {
          return finish(
            'failed',
            'WELL_KNOWN_TOO_MANY_REDIRECTS',
            SAY.tooManyRedirects({ count: redirects, next: next.href }),
          );
        }
        redirects += 1;
        url = next;
        continue;
      }
      return finish('response', null, SAY.answered({ url: url.href, status }), outcome.body);
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    stopCallerAbort?.();
    // Not awaited: closing only destroys sockets.
    ownPool?.close().catch(() => undefined);
  }
  // Only an abort leads here: the caller's own, which is not a remote fault, or the time budget.
  if (budget === undefined || controller.signal.reason !== budget) throw controller.signal.reason;
  return finish('failed', 'TIMEOUT', SAY.budgetAt({ inner: budget.message, url: url.href }));
}

/** A request's longest wait for a connection another request of the pool is using (see `PoolRequest.waitMs`). */
function connectionWaitMs(timeoutMs: number): number {
  return Math.min(1_000, Math.ceil(timeoutMs / 8));
}

/**
 * One request: DNS (or the given addresses), policy and connection through our dialer (or a connection of the pool that
 * one made for the same origin and addresses), then the response. Appends its hop record. Rejects only on abort.
 */
async function fetchHop(
  url: URL,
  firstHost: string,
  settings: Settings,
  signal: AbortSignal,
  hops: WellKnownHop[],
  pool: () => Promise<ConnectionPool>,
): Promise<HopOutcome> {
  const started = performance.now();
  let statusCode: number | null = null;
  let connection: Pick<PoolConnection, 'address' | 'attempts'> | undefined;
  const record = (): void => {
    const attempts: readonly ConnectAttempt[] = connection?.attempts ?? [];
    hops.push({
      url: url.href,
      status: statusCode,
      address: connection?.address === undefined || connection.address === '' ? null : connection.address,
      attempts,
      durationMs: performance.now() - started,
    });
  };

  const host = url.hostname;
  // The HTTP client's code loads while the host's addresses are asked: the first fetch of a process waits for it only
  // if it takes longer than a DNS round trip.
  const connections = pool();
  let lookup: HostLookup;
  if (settings.addresses !== undefined && host === firstHost) {
    lookup = { ok: true, addresses: settings.addresses };
  } else {
    const asked = resolveHost(settings.dns, host, signal);
    // The TLS context for the trusted CAs (Node's roots plus the extra ones: about 35 ms of CPU the first time, then
    // cached per list) is built while the addresses are asked, not after the answer, on the way to the connection.
    // In the next turn of the event loop, so that the questions are sent first.
    if (settings.ca !== undefined) setImmediate(warmSecureContext, settings.ca);
    lookup = await asked.catch((error: unknown) => {
      record();
      throw error;
    });
  }
  if (!lookup.ok) {
    record();
    return {
      kind: 'failed',
      status: 'failed',
      code: lookup.code,
      detail: SAY.failedAt({ url: url.href, inner: lookup.message }),
    };
  }
  // A hostile zone can give a host 1,000 addresses: dial at most the first MAX_HOP_ADDRESSES of them (IPv6 first),
  // as the resolver uses at most 32 SRV records and the checker checks at most 32 addresses.
  const addresses = lookup.addresses.slice(0, MAX_HOP_ADDRESSES);

  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const servername = isIP(bare) === 0 ? bare : null;
  const port = url.port === '' ? settings.port : Number(url.port);
  // A connection to the first address, verified under the same trust for this name, is what this dial would give: any
  // such connection of the pool will do (the address policy let it through when it was made).
  const route: PoolRoute = {
    address: addresses[0] ?? '',
    port,
    servername,
    trust: trustIdentity(settings.ca),
    dial: (dialSignal, refused) =>
      connectTls({
        addresses,
        port,
        servername,
        policy: settings.policy,
        ca: settings.ca,
        attemptTimeoutMs: settings.connectTimeoutMs,
        signal: dialSignal,
        refused,
      }),
  };
  const [{ PoolConnectError, failedConnection }, shared] = await Promise.all([loadUndici(), connections]);
  try {
    const response = await shared.request(route, {
      method: settings.method,
      path: `${url.pathname}${url.search}`,
      // The Host is the URL's (a connection of the pool may have been opened for another request).
      headers: { 'user-agent': settings.userAgent, accept: 'application/json', ...settings.headers, host: url.host },
      signal,
      waitMs: connectionWaitMs(settings.timeoutMs),
    });
    connection = response.connection;
    statusCode = response.statusCode;
    const headers = allHeaders(response.headers);
    if (response.statusCode !== 200) {
      const location = header(response.headers, 'location');
      drain(response.body);
      record();
      return { kind: 'response', statusCode: response.statusCode, headers, location, body: null };
    }
    const declared = Number(header(response.headers, 'content-length') ?? Number.NaN);
    const tooLarge = (): HopOutcome => {
      record();
      return {
        kind: 'too-large',
        statusCode: response.statusCode,
        headers,
        detail: SAY.tooLarge({ url: url.href, max: settings.maxBodyBytes }),
      };
    };
    if (Number.isFinite(declared) && declared > settings.maxBodyBytes) {
      discard(response.body);
      return tooLarge();
    }
    const body = await readLimited(response.body, settings.maxBodyBytes);
    if (body === null) return tooLarge();
    record();
    return { kind: 'response', statusCode: response.statusCode, headers, location: null, body };
  } catch (error) {
    const failed = error instanceof PoolConnectError ? error.result : undefined;
    connection = failed !== undefined ? { address: '', attempts: failed.attempts } : failedConnection(error);
    record();
    if (signal.aborted) throw signal.reason;
    if (failed !== undefined) {
      const blocked = failed.code === 'ADDRESS_DENIED';
      const detail = blocked
        ? SAY.blocked({ url: url.href, host, reasons: failed.attempts.map((a) => a.message).join('; ') })
        : SAY.failedAt({ url: url.href, inner: failed.message });
      return { kind: 'failed', status: blocked ? 'blocked' : 'failed', code: failed.code, detail };
    }
    const failure = classifyNetworkError(error);
    return {
      kind: 'failed',
      status: 'failed',
      code: failure.code,
      detail: SAY.failedAt({ url: url.href, inner: failure.message }),
    };
  }
}
