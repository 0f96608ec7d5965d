// Fetches https://<hostname>/.well-known/matrix/server: DNS and address policy on every hop, redirects, size and time limits.

import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, type Dispatcher, type buildConnector } from 'undici';
import { MatrixDelegationError, type ErrorCode } from '../errors.js';
import { connectTls, type ConnectAttempt, type TlsConnectResult } from '../net/connect.js';
import { classifyNetworkError } from '../net/errors.js';
import { buildTrustedCas } from '../net/trust.js';
import type { DnsPort } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import { parseWellKnownServer } from './parse-server.js';
import { resolveHost } from './resolve-host.js';
import type { WellKnownFetchOptions, WellKnownFetchResult, WellKnownHeaders, WellKnownHop, WellKnownFetchStatus } from './types.js';
import { USER_AGENT } from '../version.js';

/** The path of the server well-known document (spec server-server API, "Server discovery"). */
export const WELL_KNOWN_SERVER_PATH = '/.well-known/matrix/server';

/** Defaults of {@link WellKnownFetchOptions}. */
export const WELL_KNOWN_FETCH_DEFAULTS = Object.freeze({
  port: 443,
  timeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  maxBodyBytes: 51_200,
  maxRedirects: 20,
});

/** The redirect statuses followed (RFC 9110 §15.4; 300, 304 and 305 are not redirects to follow). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

interface Settings {
  readonly dns: DnsPort;
  readonly policy: AddressPolicy;
  readonly port: number;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly ca: readonly string[] | undefined;
  readonly userAgent: string;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `${name} must be an integer from ${min} to ${max}, not ${String(value)}`);
  }
  return value;
}

function normalizeOptions(options: WellKnownFetchOptions): Settings {
  const d = WELL_KNOWN_FETCH_DEFAULTS;
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
  };
}

/** The first URL: the hostname alone (an IPv6 literal may come with or without brackets); anything else is caller misuse. */
function initialUrl(hostname: string): URL {
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
  try {
    return new URL(`https://${family === 6 ? `[${bare}]` : bare}${WELL_KNOWN_SERVER_PATH}`);
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

function pickHeaders(headers: Dispatcher.ResponseData['headers']): WellKnownHeaders {
  return { cacheControl: header(headers, 'cache-control'), expires: header(headers, 'expires'), contentType: header(headers, 'content-type') };
}

const NO_HEADERS: WellKnownHeaders = { cacheControl: null, expires: null, contentType: null };

/** The outcome of one request, before the redirect logic looks at it. */
type HopOutcome =
  | { readonly kind: 'failed'; readonly status: 'error' | 'blocked'; readonly code: ErrorCode; readonly detail: string }
  | { readonly kind: 'response'; readonly statusCode: number; readonly headers: WellKnownHeaders; readonly location: string | null; readonly body: Uint8Array | null }
  | { readonly kind: 'too-large'; readonly statusCode: number; readonly headers: WellKnownHeaders; readonly detail: string };

/** Thrown inside the fetch when the overall budget is spent, to tell it apart from the caller's own abort. */
class BudgetExceeded extends Error {
  constructor(timeoutMs: number) {
    super(`the fetch did not finish within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** Drops a body without reading it. Destroying it emits an abort error, which is expected here and ignored. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
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
 * Fetches and parses `https://<hostname>/.well-known/matrix/server` (spec server-server API "Resolving server
 * names", step 3; spec-notes §2 "The well-known fetch").
 *
 * - Every hop resolves its host through `dns` (AAAA and A, every address), checks each address against `policy`
 *   before dialling it and dials that very address (DNS rebinding cannot bypass the check); addresses are tried
 *   in order until one accepts a TCP connection. If the policy denies them all the result is `blocked` and
 *   nothing was contacted.
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
export async function fetchWellKnownServer(hostname: string, options: WellKnownFetchOptions): Promise<WellKnownFetchResult> {
  const settings = normalizeOptions(options);
  let url = initialUrl(hostname);
  const callerSignal = options.signal;
  callerSignal?.throwIfAborted();

  const started = performance.now();
  const controller = new AbortController();
  const budget = new BudgetExceeded(settings.timeoutMs);
  const timer = setTimeout(() => controller.abort(budget), settings.timeoutMs);
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

  const hops: WellKnownHop[] = [];
  let httpStatus: number | null = null;
  let headers: WellKnownHeaders = NO_HEADERS;
  const finish = (status: WellKnownFetchStatus, code: ErrorCode | null, detail: string, extra: Partial<WellKnownFetchResult> = {}): WellKnownFetchResult => ({
    status,
    mServer: null,
    serverName: null,
    code,
    detail,
    httpStatus,
    headers,
    hasBom: false,
    url: url.href,
    hops,
    durationMs: performance.now() - started,
    ...extra,
  });

  try {
    const visited = new Set<string>();
    let redirects = 0;
    while (true) {
      visited.add(url.href);
      const outcome = await fetchHop(url, settings, controller.signal, hops);
      if (outcome.kind === 'failed') {
        if (controller.signal.aborted) break;
        return finish(outcome.status, outcome.code, outcome.detail);
      }
      httpStatus = outcome.statusCode;
      headers = outcome.headers;
      if (outcome.kind === 'too-large') return finish('error', 'WELL_KNOWN_TOO_LARGE', outcome.detail);

      const status = outcome.statusCode;
      if (REDIRECT_STATUSES.has(status)) {
        if (outcome.location === null) {
          return finish('error', 'WELL_KNOWN_BAD_REDIRECT', `${url.href} answered ${status} (a redirect) without a Location header`);
        }
        let next: URL;
        try {
          next = new URL(outcome.location, url);
        } catch {
          return finish('error', 'WELL_KNOWN_BAD_REDIRECT', `${url.href} redirects to "${outcome.location}", which is not a valid URL`);
        }
        if (next.protocol !== 'https:') {
          return finish(
            'error',
            'WELL_KNOWN_BAD_REDIRECT',
            `${url.href} redirects to ${next.href}; only https:// redirects are followed, so the well-known document must stay on HTTPS`,
          );
        }
        // The fragment is never sent (RFC 9110 §7.1), so it does not make a different URL.
        next.hash = '';
        if (visited.has(next.href)) {
          return finish('error', 'WELL_KNOWN_REDIRECT_LOOP', `${url.href} redirects to ${next.href}, which was already requested: a redirect loop`);
        }
        if (redirects >= settings.maxRedirects) {
          return finish('error', 'WELL_KNOWN_TOO_MANY_REDIRECTS', `gave up after following ${redirects} redirects (the limit); the last one pointed to ${next.href}`);
        }
        redirects += 1;
        url = next;
        continue;
      }
      if (status === 200) {
        const parsed = parseWellKnownServer(outcome.body ?? new Uint8Array());
        if (parsed.ok) {
          return finish('delegated', null, `${url.href} delegates to ${parsed.mServer}`, { mServer: parsed.mServer, serverName: parsed.serverName });
        }
        return finish('invalid', parsed.code, `${url.href}: ${parsed.detail}`, { mServer: parsed.mServer, hasBom: parsed.hasBom });
      }
      if (status >= 500) {
        return finish('error', 'WELL_KNOWN_HTTP_STATUS', `${url.href} answered ${status}, a server error (possibly temporary)`);
      }
      if (status === 404) return finish('absent', 'WELL_KNOWN_NOT_FOUND', `${url.href} answered 404: there is no well-known document`);
      return finish('absent', 'WELL_KNOWN_HTTP_STATUS', `${url.href} answered ${status} instead of 200, which counts as no well-known document`);
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
  // Only an abort leads here: the caller's own, which is not a remote fault, or the time budget.
  if (controller.signal.reason !== budget) throw controller.signal.reason;
  return finish('error', 'TIMEOUT', `${budget.message} (at ${url.href})`);
}

/**
 * One request: DNS, policy and connection through our connector, then the response. Appends its hop record.
 * Rejects only on abort.
 */
async function fetchHop(url: URL, settings: Settings, signal: AbortSignal, hops: WellKnownHop[]): Promise<HopOutcome> {
  const started = performance.now();
  let statusCode: number | null = null;
  let connection: TlsConnectResult | undefined;
  const record = (): void => {
    const attempts: readonly ConnectAttempt[] = connection?.attempts ?? [];
    hops.push({
      url: url.href,
      status: statusCode,
      address: connection?.ok === true ? connection.address : null,
      attempts,
      durationMs: performance.now() - started,
    });
  };

  const host = url.hostname;
  const lookup = await resolveHost(settings.dns, host, signal).catch((error: unknown) => {
    record();
    throw error;
  });
  if (!lookup.ok) {
    record();
    return { kind: 'failed', status: 'error', code: lookup.code, detail: `${url.href}: ${lookup.message}` };
  }

  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const servername = isIP(bare) === 0 ? bare : null;
  const port = url.port === '' ? settings.port : Number(url.port);
  const connector: buildConnector.connector = (_options, callback) => {
    connectTls({
      addresses: lookup.addresses,
      port,
      servername,
      policy: settings.policy,
      ca: settings.ca,
      attemptTimeoutMs: settings.connectTimeoutMs,
      signal,
    }).then(
      (result) => {
        connection = result;
        if (result.ok) callback(null, result.socket);
        else callback(new MatrixDelegationError(result.code, result.message), null);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };

  // One client per hop: it dials through our connector only, so every socket it uses passed the policy.
  const client = new Client(url.origin, { connect: connector, pipelining: 1 });
  try {
    const response = await client.request({
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      headers: { 'user-agent': settings.userAgent, accept: 'application/json' },
      signal,
    });
    statusCode = response.statusCode;
    const headers = pickHeaders(response.headers);
    if (response.statusCode !== 200) {
      const location = header(response.headers, 'location');
      discard(response.body);
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
        detail: `${url.href} sent a body larger than ${settings.maxBodyBytes} bytes; the well-known document should be a few dozen bytes`,
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
    record();
    if (signal.aborted) throw signal.reason;
    if (connection !== undefined && !connection.ok) {
      const blocked = connection.code === 'ADDRESS_DENIED';
      const detail = blocked
        ? `${url.href}: not contacted, because the address policy denies every address of ${host}: ${connection.attempts.map((a) => a.message).join('; ')}`
        : `${url.href}: ${connection.message}`;
      return { kind: 'failed', status: blocked ? 'blocked' : 'error', code: connection.code, detail };
    }
    const failure = classifyNetworkError(error);
    return { kind: 'failed', status: 'error', code: failure.code, detail: `${url.href}: ${failure.message}` };
  } finally {
    client.destroy().catch(() => undefined);
  }
}
