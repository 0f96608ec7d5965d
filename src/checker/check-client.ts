// The check's requests to target addresses: one connection per address (the TLS probe's, kept), never one address's for another.

import { readBodyAtMost } from '../net/read-body.js';
import type { TargetResponse } from '../client/federation-client.js';
import { CHECKER_ERROR_EN } from '../check-report/checker-error-texts.js';
import { MatrixDelegationError } from '../errors.js';
import { connectTls } from '../net/connect.js';
import { classifyNetworkError } from '../net/errors.js';
import type { TlsProbeConnection } from '../net/tls-probe.js';
import { buildTrustedCas, trustIdentity } from '../net/trust.js';
import type { AddressPolicy } from '../net/types.js';
import type { ResolvedTarget } from '../resolver/types.js';
import { USER_AGENT } from '../version.js';
import {
  createConnectionPool,
  PoolConnectError,
  type ConnectionPool,
  type PoolRoute,
} from '../well-known/connection-pool.js';

export type { TargetResponse } from '../client/federation-client.js';

/** Largest response body a target request reads (a key response is a few KiB; the check reads what it judges). */
export const TARGET_MAX_BODY_BYTES = 512 * 1024;

/** Options of one request to a target. */
export interface TargetRequestInit {
  /** Ends the request with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Headers besides ours, names lowercase: a `user-agent` here replaces ours; the `host` is always the target's. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The request's limit on the response head and each pause in the body, in milliseconds [the client's]. */
  readonly timeoutMs?: number;
}

/** The check's client for target addresses. Close it when the check ends. */
export interface CheckClient {
  /**
   * GETs `path` from one target exactly (SNI and Host from the target; the certificate is not enforced: the TLS probe
   * judges it, the requests read what the server answers). Requests to one address (IP, port and SNI) share its
   * connections: the TLS probe's first, kept alive; a request that finds them busy waits briefly, then opens its own.
   * Every new connection is dialled to the target's address only, after the address policy allowed it again.
   * Failures throw `MatrixDelegationError` with the network code (`CONNECT_REFUSED`, `TIMEOUT`, `BODY_TOO_LARGE`, ...).
   */
  requestTarget(target: ResolvedTarget, path: string, init?: TargetRequestInit): Promise<TargetResponse>;
  /**
   * Says that a TLS probe of `target`'s address is under way: requests to the address wait for its connection rather
   * than dial one of their own. Call the returned function once the probe is done, with what it found (or null): its
   * open socket becomes the address's first connection, and when the probe found the chain trusted and valid for the
   * name the probe was made with, verified fetches of the check to that address and name may use it too.
   */
  expectConnection(target: ResolvedTarget): (probe: TlsProbeConnection | null) => void;
  /** Connections used so far (dialled, or the probes' and used). */
  readonly connectionsOpened: number;
  /** Destroys the connections (of its own pool; a pool given to it is its creator's to close). */
  close(): Promise<void>;
}

/** Options of {@link createTargetClient}. */
export interface TargetClientOptions {
  /** Checked before every new connection. */
  readonly policy: AddressPolicy;
  /** Extra trusted CAs (the certificate is not enforced; the list keeps the TLS context the probe's). */
  readonly ca?: readonly string[] | undefined;
  /** TCP connect and TLS handshake limit of a new connection, in milliseconds [10000]. */
  readonly connectTimeoutMs?: number;
  /** Default limit of a request's response head and of each pause in its body, in milliseconds [10000]. */
  readonly requestTimeoutMs?: number;
  /** The connections to use (the check's, shared with its document fetches) [a pool of its own]. */
  readonly pool?: ConnectionPool;
  /** Ends the connection attempts under way (for a pool of its own). */
  readonly signal?: AbortSignal;
}

/**
 * Creates the client a check's address checks and probes share. Connections are keyed by address (IP, port, SNI): a
 * request never goes over another address's connection, so each address's answers are its own; the requests of one
 * address (its version and keys, and the probes' to the same address) go over one connection, its TLS probe's.
 *
 * @example
 * ```ts
 * const client = createTargetClient({ policy: createAddressPolicy() });
 * const res = await client.requestTarget(target, '/_matrix/federation/v1/version');
 * await client.close();
 * ```
 */
export function createTargetClient(options: TargetClientOptions): CheckClient {
  const pool = options.pool ?? createConnectionPool(options.signal ? { signal: options.signal } : {});
  const ownsPool = options.pool === undefined;
  const ca = buildTrustedCas(options.ca);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const routes = new Map<string, PoolRoute>();

  /**
   * The route of `target`'s requests: its address, port and SNI, any connection (the requests read what the server
   * answers whatever its certificate), and new connections unverified, as the probe's handshake.
   */
  const routeOf = (target: ResolvedTarget): PoolRoute => {
    const key = `${target.ip}|${target.port}|${target.sni ?? ''}`;
    let route = routes.get(key);
    if (route === undefined) {
      route = {
        address: target.ip,
        port: target.port,
        servername: target.sni,
        trust: null,
        dial: (signal, refused) =>
          connectTls({
            addresses: [target.ip],
            port: target.port,
            servername: target.sni,
            policy: options.policy,
            ca,
            attemptTimeoutMs: connectTimeoutMs,
            signal,
            verifyCertificate: false,
            refused,
          }),
      };
      routes.set(key, route);
    }
    return route;
  };

  return {
    async requestTarget(target, path, init = {}) {
      const timeoutMs = init.timeoutMs ?? requestTimeoutMs;
      let response;
      let body: Buffer;
      try {
        response = await pool.request(routeOf(target), {
          method: 'GET',
          path,
          headers: { 'user-agent': USER_AGENT, ...init.headers, host: target.hostHeader },
          ...(init.signal ? { signal: init.signal } : {}),
          waitMs: Math.min(1_000, Math.ceil(timeoutMs / 8)),
          timeoutMs,
        });
        body = await readBodyAtMost(response.body, TARGET_MAX_BODY_BYTES);
      } catch (error) {
        throw networkError(target, error);
      }
      return { status: response.statusCode, headers: response.headers as Record<string, string | string[]>, body };
    },
    expectConnection(target) {
      const arrived = pool.reserve(routeOf(target));
      return (probe) => {
        const result = probe?.result;
        // Verified as a verifying client would have found it: the chain against the same trust store, the name it
        // would check (the SNI, or the address without one).
        const verified =
          result?.ok === true &&
          result.trusted &&
          result.nameMatches &&
          result.tlsServerName === (target.sni ?? target.ip);
        arrived(probe?.socket ?? null, verified ? trustIdentity(ca) : null);
      };
    },
    get connectionsOpened() {
      return pool.connectionsOpened;
    },
    async close() {
      if (ownsPool) await pool.close();
    },
  };
}

/** A MatrixDelegationError for a failure of a request to `target`, with the network code. */
function networkError(target: ResolvedTarget, error: unknown): MatrixDelegationError {
  if (error instanceof PoolConnectError)
    return new MatrixDelegationError(error.code, targetFailed(target, error.message), { cause: error });
  if (error instanceof MatrixDelegationError) return error;
  const failure = classifyNetworkError(error);
  return new MatrixDelegationError(failure.code, targetFailed(target, failure.message), { cause: error });
}

/** `<address> (step <step>, certificate name <name>): <inner>`, through the checker's catalogue (checker-error-texts.ts). */
function targetFailed(target: ResolvedTarget, inner: string): string {
  const ip = target.ip.includes(':') ? `[${target.ip}]` : target.ip;
  return CHECKER_ERROR_EN.targetFailed({
    address: `${ip}:${target.port}`,
    step: target.step,
    name: target.tlsServerName,
    inner,
  });
}
