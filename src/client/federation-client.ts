// createFederationClient(): resolves a server name, then makes an HTTPS request (signed when given a key) through its targets.

import { readBodyAtMost } from '../net/read-body.js';
import { isIP } from 'node:net';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { checkServerIdentity } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { MatrixDelegationError } from '../errors.js';
import { operationSignal } from '../net/abort.js';
import { classifyNetworkError } from '../net/errors.js';
import { buildTrustedCas, secureContextFor } from '../net/trust.js';
import type { RequestSigner } from '../keys/signing-key.js';
import { USER_AGENT } from '../version.js';
import {
  booleanOption,
  byteLimitOption,
  invalidOption,
  optionsObject,
  portOption,
  serverNameArgument,
  signalOption,
  stringOption,
  timeoutOption,
} from '../options/validate.js';
import { createResolverCache } from '../resolver/cache.js';
import type { ResolverCache } from '../resolver/cache.js';
import { checkResolveOptions, resolveDependencies } from '../resolver/options.js';
import { resolveServerName } from '../resolver/resolve.js';
import type { ResolveOptions, ResolveResult, ResolvedTarget } from '../resolver/types.js';
import { parseServerName } from '../server-name/parse.js';
import { toFederationFetchResponse, type FederationFetchResponse } from './fetch-response.js';
import { prepareRequest, type PreparedRequest, type RequestSigning } from './prepare-request.js';
import type { FederationAttempt, FederationRequestInit } from './types.js';

export type { FederationAttempt, FederationHeadersInit, FederationRequestInit } from './types.js';
export { FederationFetchResponse } from './fetch-response.js';
export type { FederationResponseDetails } from './fetch-response.js';

/** Options of a federation client: resolution options plus request limits. Defaults in brackets. */
export interface FederationClientOptions extends ResolveOptions {
  /** Connect (TCP + TLS) timeout per target in milliseconds [10000]. */
  readonly connectTimeoutMs?: number;
  /** Time to wait for response headers, and between body chunks, in milliseconds [30000]. */
  readonly requestTimeoutMs?: number;
  /** Largest response body accepted, in bytes [16 MiB]. */
  readonly maxBodyBytes?: number;
  /** The User-Agent header [matrix-delegation/<version>]. */
  readonly userAgent?: string;
  /**
   * Verify certificates [true]. Only a checker turns this off, to read a server's keys even when its
   * certificate is wrong (it reports the certificate separately); a homeserver must never do so.
   */
  readonly verifyCertificates?: boolean;
  /**
   * The resolver cache every request's resolution uses and fills, for the client's whole life [one the client
   * creates with `createResolverCache()`, in memory]. Give one to share answers beyond this client, e.g. through a
   * Redis store used by several processes: `createResolverCache({ store: createCacheStore({ kind: 'redis', url }) })`.
   * A cache given here is the caller's: {@link FederationClient.close} leaves it open (close it yourself); the one
   * the client creates is closed with the client. Like any resolver cache, use it with one configuration only
   * (DNS servers, address policy, CAs, ports): it does not tell apart answers obtained under others.
   */
  readonly cache?: ResolverCache;
  /**
   * This server's name, the `origin` of signed requests (before any delegation: `example.org`, not the host it
   * delegates to). Required with `signingKey`.
   */
  readonly origin?: string;
  /**
   * Sign every request with this key (server-server API "Request Authentication": an X-Matrix Authorization header
   * over the method, the target, both server names and the JSON body) [none: requests are not signed]. A
   * `SigningKey` from `loadSigningKey` / `parseSigningKey`, or any `RequestSigner`. A request that sets its own
   * Authorization header is sent with it, unsigned.
   */
  readonly signingKey?: RequestSigner;
}

/**
 * The buffered response of {@link FederationClient.fetchBuffered} and {@link federationFetch} (what `client.fetch`
 * returned before 0.2.0).
 */
export interface FederationResponse {
  /** The target that answered. */
  readonly target: ResolvedTarget;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** Every target tried, in order (the last one answered). */
  readonly attempts: readonly FederationAttempt[];
  /** The resolution the request went through. */
  readonly resolution: ResolveResult;
  /** The body parsed as JSON; throws a SyntaxError when it is not JSON. */
  json(): unknown;
}

/** A response from one given target. */
export interface TargetResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

/** A federation HTTPS client with connections pooled per target. Close it when done. */
export interface FederationClient {
  /**
   * Resolves `serverName` and requests `path` from its targets in order (see {@link createFederationClient}); returns a
   * WHATWG `Response` whose body streams as it arrives (no size limit unless `init.maxBytes`), with `target`,
   * `attempts`, `resolution` and the `authorization` sent. A signing client signs for `serverName` as `destination`.
   * An abort of `init.signal` rejects (or errors the body) with the signal's reason, as `fetch` does.
   */
  fetch(serverName: string, path: string, init?: FederationRequestInit): Promise<FederationFetchResponse>;
  /**
   * {@link FederationClient.fetch} with the body read into a Buffer (at most `maxBodyBytes`), as `fetch` answered
   * before 0.2.0.
   *
   * @deprecated Use `fetch` and read the Response (`await res.json()`, `res.headers.get()`,
   * `Buffer.from(await res.arrayBuffer())`); removed in 0.3.0.
   */
  fetchBuffered(serverName: string, path: string, init?: FederationRequestInit): Promise<FederationResponse>;
  /**
   * Requests `path` from one target exactly (SNI, certificate name, Host from the target), with no fallback:
   * what a checker needs to test every address on its own. Failures throw `MatrixDelegationError` with the
   * network code (`CONNECT_REFUSED`, `TLS_NAME_MISMATCH`, `BODY_TOO_LARGE`, ...).
   */
  requestTarget(target: ResolvedTarget, path: string, init?: FederationRequestInit): Promise<TargetResponse>;
  /** Closes the pooled connections, and the resolver cache when the client created it (not one given as `options.cache`). */
  close(): Promise<void>;
}

const DEFAULTS = { connectTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxBodyBytes: 16 * 1024 * 1024 } as const;

/** An HTTP token (RFC 9110 §5.6.2): a method or a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value (RFC 9110 §5.5): no CR, LF or NUL, which would end the header or the request head. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** An origin-form request target (RFC 9112 §3.2.1): "/" then visible ASCII; anything else must be percent-encoded. */
const REQUEST_PATH = /^\/[\x21-\x7e]*$/;

/** Checks a request's path and init (the caller's mistakes reject with `INVALID_ARGUMENT` before any connection). */
function checkRequest(path: unknown, init: unknown): FederationRequestInit {
  stringOption('path', path, {
    test: REQUEST_PATH,
    words: 'a request path: "/" followed by visible ASCII characters (percent-encode the rest)',
  });
  const checked = optionsObject<FederationRequestInit>('init', init);
  stringOption('init.method', checked.method, { test: TOKEN, words: 'an HTTP method such as GET or PUT' });
  if (checked.headers !== undefined) {
    const given = checked.headers as unknown;
    const entries: unknown[] =
      given instanceof Headers
        ? [...given.entries()]
        : Array.isArray(given)
          ? given
          : Object.entries(optionsObject<Record<string, unknown>>('init.headers', given));
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2)
        throw invalidOption('init.headers', 'a Headers object, a record or [name, value] pairs', entry);
      const [name, value] = entry as [unknown, unknown];
      if (typeof name !== 'string' || !TOKEN.test(name))
        throw invalidOption('init.headers', 'an object of header names (HTTP tokens) to values', name);
      stringOption(`init.headers[${JSON.stringify(name)}]`, value, {
        test: HEADER_VALUE,
        words: 'a header value: a string without CR, LF or NUL',
      });
    }
  }
  if (
    checked.body !== undefined &&
    typeof checked.body !== 'string' &&
    !(checked.body instanceof Uint8Array) &&
    !(checked.body instanceof ArrayBuffer)
  ) {
    throw invalidOption('init.body', 'a string, a Uint8Array or an ArrayBuffer', checked.body);
  }
  if (checked.body !== undefined && checked.json !== undefined)
    throw invalidOption('init.json', 'left out when init.body is given', checked.json);
  if (checked.maxBytes !== undefined) byteLimitOption('init.maxBytes', checked.maxBytes, 0);
  stringOption('init.destination', checked.destination);
  signalOption('init.signal', checked.signal);
  return checked;
}

/** Checks a target given to `requestTarget` (normally one of a resolution's). */
function checkTarget(target: unknown): ResolvedTarget {
  const t = optionsObject<Partial<Record<keyof ResolvedTarget, unknown>>>('target', target);
  if (typeof t.ip !== 'string' || isIP(t.ip) === 0)
    throw invalidOption('target.ip', 'an IP address without brackets', t.ip);
  portOption('target.port', t.port ?? Number.NaN, 0);
  stringOption('target.hostHeader', t.hostHeader ?? null, { test: HEADER_VALUE, words: 'a Host header value' });
  stringOption('target.tlsServerName', t.tlsServerName ?? null);
  if (t.sni !== null) stringOption('target.sni', t.sni ?? 0, { test: /^[^\0]+$/, words: 'a DNS name or null' });
  return target as ResolvedTarget;
}

/**
 * Creates a federation client. Requests resolve the server name (spec "Resolving server names") through the client's
 * resolver cache (`options.cache`, or one it creates: a homeserver resolves the same names all day; well-known answers
 * are kept as ground-truth §2 says, DNS answers by their TTLs), then try the targets in order: SNI = `target.sni`,
 * certificate verified for `target.tlsServerName`, `Host` = `target.hostHeader`.
 * Only connection failures (refused, unreachable, connect timeout) move on to the next target; a certificate
 * error fails the request, since trying elsewhere would hide a misconfiguration and could reach the wrong server.
 *
 * @example
 * ```ts
 * const client = createFederationClient({});
 * const res = await client.fetch('matrix.org', '/_matrix/federation/v1/version');
 * console.log(res.status, await res.json(), res.target);
 * await client.close();
 *
 * // Signed requests (X-Matrix), as the homeserver example.org.
 * const signing = createFederationClient({ origin: 'example.org', signingKey: await loadSigningKey('/etc/matrix-synapse/homeserver.signing.key') });
 * const profile = await signing.fetch('matrix.org', '/_matrix/federation/v1/query/profile?user_id=%40a%3Amatrix.org');
 *
 * // Answers shared with other processes through Redis; the cache outlives the client.
 * const cache = createResolverCache({ store: createCacheStore({ kind: 'redis', url: 'redis://127.0.0.1:6379' }) });
 * const shared = createFederationClient({ cache });
 * await shared.fetch('matrix.org', '/_matrix/federation/v1/version');
 * await shared.close();
 * await cache.close();
 * ```
 */
export function createFederationClient(options: FederationClientOptions = {}): FederationClient {
  // Every option is checked here, once: the resolver's through checkResolveOptions, the client's below.
  const given = checkResolveOptions(options).options as FederationClientOptions;
  const connectTimeoutMs = timeoutOption('connectTimeoutMs', given.connectTimeoutMs, DEFAULTS.connectTimeoutMs);
  const requestTimeoutMs = timeoutOption('requestTimeoutMs', given.requestTimeoutMs, DEFAULTS.requestTimeoutMs);
  const maxBodyBytes = byteLimitOption('maxBodyBytes', given.maxBodyBytes, DEFAULTS.maxBodyBytes);
  const userAgent =
    stringOption('userAgent', given.userAgent, {
      test: HEADER_VALUE,
      words: 'a header value: a string without CR, LF or NUL',
    }) ?? USER_AGENT;
  const verifyCertificates = booleanOption('verifyCertificates', given.verifyCertificates, true);
  // Build the DNS resolver and policy once so every request shares them (bad CIDRs and DNS servers throw now).
  const { dns, policy } = resolveDependencies(given);
  // One cache for the client's life, so that repeated requests to a server resolve it once (within its TTLs).
  const ownsCache = given.cache === undefined;
  const cache = given.cache ?? createResolverCache();
  const resolveOptions: ResolveOptions = { ...given, deps: { ...given.deps, dns, policy }, cache };
  const signing = checkSigning(given);
  const secureContext = secureContextFor(buildTrustedCas(given.ca));
  const pools = new Map<string, Pool>();

  const poolFor = (target: ResolvedTarget): Pool => {
    const key = `${target.ip}|${target.port}|${target.sni ?? ''}|${target.tlsServerName}`;
    let pool = pools.get(key);
    if (!pool) {
      const host = target.ip.includes(':') ? `[${target.ip}]` : target.ip;
      pool = new Pool(`https://${host}:${target.port}`, {
        connections: 8,
        connectTimeout: connectTimeoutMs,
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
        connect: {
          ...(target.sni !== null ? { servername: target.sni } : {}),
          ...(secureContext ? { secureContext } : {}),
          rejectUnauthorized: verifyCertificates,
          // The certificate must be valid for the server-name-derived host, never the SRV target or the IP dialled.
          checkServerIdentity: (_host: string, cert: PeerCertificate) =>
            verifyCertificates ? checkServerIdentity(target.tlsServerName, cert) : undefined,
        },
      });
      pools.set(key, pool);
    }
    return pool;
  };

  /** Sends a prepared request to one target. The body is still to be read; call `release` once it has been. */
  const dispatch = async (
    target: ResolvedTarget,
    path: string,
    prepared: PreparedRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ readonly data: Dispatcher.ResponseData; readonly release: () => void }> => {
    // undici adds an abort listener per request to the signal it gets: a caller's signal shared by many requests at
    // once would pass Node's limit of 10 (MaxListenersExceededWarning), so each request gets a child of its own.
    const child = signal === undefined ? undefined : operationSignal(undefined, signal);
    try {
      const data = await poolFor(target).request({
        path,
        method: prepared.method as Dispatcher.HttpMethod,
        headers: { 'user-agent': userAgent, ...prepared.headers, host: target.hostHeader },
        ...(prepared.body !== undefined ? { body: prepared.body } : {}),
        ...(child ? { signal: child.signal } : {}),
      });
      return { data, release: () => child?.dispose() };
    } catch (error) {
      child?.dispose();
      throw networkError(target, error);
    }
  };

  /** One request to one target, its body read into a Buffer of at most `maxBodyBytes`. */
  const requestChecked = async (
    target: ResolvedTarget,
    path: string,
    prepared: PreparedRequest,
    signal: AbortSignal | undefined,
  ): Promise<TargetResponse> => {
    const { data, release } = await dispatch(target, path, prepared, signal);
    try {
      const body = await readBodyAtMost(data.body, maxBodyBytes);
      // undici reuses a keep-alive connection only one event-loop turn after its response ends (to see a close the
      // server sent anyway); a request made before then opens a second connection. With resolutions answered from
      // the cache at once, back-to-back requests would do exactly that: wait that turn here, so they share one.
      await nextLoopTurn();
      return { status: data.statusCode, headers: data.headers as Record<string, string | string[]>, body };
    } catch (error) {
      throw networkError(target, error);
    } finally {
      release();
    }
  };

  const requestTarget = async (
    target: ResolvedTarget,
    path: string,
    init: FederationRequestInit = {},
  ): Promise<TargetResponse> => {
    checkTarget(target);
    checkRequest(path, init);
    return requestChecked(target, path, prepareRequest(path, init, signing, init.destination), init.signal);
  };

  /**
   * Resolves `serverName` and tries its targets in order with `send`: only a failure to reach a target moves on to the
   * next (a certificate or protocol error ends the request).
   */
  const throughTargets = async <T>(
    serverName: string,
    path: string,
    init: FederationRequestInit,
    send: (
      target: ResolvedTarget,
      prepared: PreparedRequest,
      attempts: FederationAttempt[],
      resolution: ResolveResult,
    ) => Promise<T>,
  ): Promise<T> => {
    // The arguments were checked by the caller (fetch, fetchBuffered).
    // Signed once for all targets: the signature names the server, not the address (spec "Request Authentication").
    const prepared = prepareRequest(path, init, signing, serverName);
    const resolution = await resolveServerName(serverName, {
      ...resolveOptions,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (resolution.error !== null && resolution.targets.length === 0) {
      throw new MatrixDelegationError(resolution.error.code, resolution.error.message, { detail: { serverName } });
    }
    const attempts: FederationAttempt[] = [];
    for (const target of resolution.targets) {
      try {
        return await send(target, prepared, attempts, resolution);
      } catch (error) {
        if (!(error instanceof MatrixDelegationError)) throw error;
        attempts.push({ target, error: { code: error.code, message: error.message } });
        // Only a failure to reach the target moves on; a certificate or protocol error ends the request.
        if (error.detail?.['connectFailure'] !== true) {
          throw new MatrixDelegationError(error.code, error.message, {
            cause: error.cause,
            detail: { serverName, attempts },
          });
        }
      }
    }
    const tried = attempts.map((a) => a.error?.message ?? '').join('; ');
    throw new MatrixDelegationError('ALL_TARGETS_FAILED', `no target of ${serverName} could be reached (${tried})`, {
      detail: { serverName, attempts },
    });
  };

  const fetchBuffered = async (
    serverName: string,
    path: string,
    init: FederationRequestInit = {},
  ): Promise<FederationResponse> => {
    serverNameArgument(serverName);
    checkRequest(path, init);
    return throughTargets(serverName, path, init, async (target, prepared, attempts, resolution) => {
      const response = await requestChecked(target, path, prepared, init.signal);
      attempts.push({ target, error: null });
      const { body } = response;
      return { ...response, target, attempts, resolution, json: () => JSON.parse(body.toString('utf8')) as unknown };
    });
  };

  return {
    requestTarget,
    fetchBuffered,
    async fetch(serverName, path, init = {}) {
      serverNameArgument(serverName);
      // Checked before anything else, so that only a real AbortSignal's reason can be what a failure rejects with.
      checkRequest(path, init);
      const maxBytes = init.maxBytes;
      try {
        return await throughTargets(serverName, path, init, async (target, prepared, attempts, resolution) => {
          const { data, release } = await dispatch(target, path, prepared, init.signal);
          attempts.push({ target, error: null });
          return toFederationFetchResponse(
            data,
            { target, attempts, resolution, authorization: prepared.authorization },
            {
              ...(maxBytes !== undefined ? { maxBytes } : {}),
              ...(init.signal ? { signal: init.signal } : {}),
              onDone: release,
              describe: describe(target),
            },
          );
        });
      } catch (error) {
        // As fetch does: an abort by the caller rejects with the signal's reason.
        if (init.signal?.aborted === true) throw init.signal.reason;
        throw error;
      }
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close().catch(() => undefined)));
      pools.clear();
      // A cache given by the caller may serve other clients (and holds the caller's Redis connection): theirs to close.
      if (ownsCache) await cache.close();
    },
  };
}

/**
 * One request through a throwaway client: resolve `serverName`, request `path`, read the body (at most `maxBodyBytes`),
 * close. Use {@link createFederationClient} for many requests (it pools connections per target and keeps one resolver
 * cache), and its `fetch` for a streaming `Response`.
 */
export async function federationFetch(
  serverName: string,
  path: string,
  init: FederationRequestInit & FederationClientOptions = {},
): Promise<FederationResponse> {
  const client = createFederationClient(init);
  try {
    // Buffered: the client's connections close before this returns, so the body is read first.
    return await client.fetchBuffered(serverName, path, init);
  } finally {
    await client.close();
  }
}

/** A MatrixDelegationError for a failure of a request to `target` (network codes; `connectFailure` lets the next target be tried). */
function networkError(target: ResolvedTarget, error: unknown): MatrixDelegationError {
  if (error instanceof MatrixDelegationError) return error;
  const failure = classifyNetworkError(error);
  return new MatrixDelegationError(failure.code, `${describe(target)}: ${failure.message}`, {
    cause: error,
    detail: { connectFailure: failure.connectFailure },
  });
}

/** The signing options, checked: both `origin` and `signingKey`, or neither. */
function checkSigning(options: FederationClientOptions): RequestSigning | null {
  const { origin, signingKey } = options;
  if (origin === undefined && signingKey === undefined) return null;
  if (signingKey === undefined)
    throw invalidOption('signingKey', 'given with origin (the key that signs as origin)', signingKey);
  if (origin === undefined) throw invalidOption('origin', "this server's name, given with signingKey", origin);
  if (typeof origin !== 'string') throw invalidOption('origin', "this server's name", origin);
  const parsed = parseServerName(origin);
  if (!parsed.ok)
    throw new MatrixDelegationError('INVALID_SERVER_NAME', `origin: ${parsed.error.message}`, {
      detail: { option: 'origin', rule: parsed.error.rule, input: origin },
    });
  const signer = signingKey as Partial<RequestSigner> | null;
  if (
    typeof signer !== 'object' ||
    signer === null ||
    typeof signer.sign !== 'function' ||
    typeof signer.keyId !== 'string' ||
    !/^ed25519:[a-zA-Z0-9_]+$/.test(signer.keyId)
  ) {
    throw invalidOption(
      'signingKey',
      'a SigningKey (loadSigningKey, parseSigningKey) or an object with an ed25519 keyId and sign()',
      signingKey,
    );
  }
  return { origin, signingKey: signer as RequestSigner };
}

function describe(target: ResolvedTarget): string {
  const ip = target.ip.includes(':') ? `[${target.ip}]` : target.ip;
  return `${ip}:${target.port} (step ${target.step}, certificate name ${target.tlsServerName})`;
}
