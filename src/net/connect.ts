// Opens a verified TLS connection to the first reachable address of a list, checking each address just before dialling it.

import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { ErrorCode } from '../errors.js';
import { onAbort } from './abort.js';
import { classifyNetworkError } from './errors.js';
import { NET_ERROR_EN as SAY } from './net-error-texts.js';
import type { RefusedAddresses } from './refused-addresses.js';
import { secureContextFor } from './trust.js';
import type { AddressPolicy } from './types.js';

/** Options of {@link connectTls}. */
export interface TlsConnectOptions {
  /** Addresses to try, in order (IP literals, as DNS answered them). */
  readonly addresses: readonly string[];
  readonly port: number;
  /**
   * The name sent as SNI and that the certificate must be valid for; `null` when the host is an IP literal:
   * no SNI is sent and the certificate must carry the dialled IP address (spec "Resolving server names").
   */
  readonly servername: string | null;
  /** Checked for every address immediately before it is dialled: a denied address is never contacted. */
  readonly policy: AddressPolicy;
  /** The complete list of trusted CA PEMs, or undefined for Node's default trust store. */
  readonly ca?: readonly string[] | undefined;
  /** Budget of each address for the TCP connect, and again for the TLS handshake. */
  readonly attemptTimeoutMs: number;
  /** Aborts the attempt in progress; the result is then a failure with code `TIMEOUT`. */
  readonly signal?: AbortSignal | undefined;
  /** ALPN protocols to offer (default `['http/1.1']`). */
  readonly alpnProtocols?: readonly string[];
  /**
   * Verify the certificate (chain and name) [true]. Only a checker turns this off, for the requests that follow its
   * TLS probe of an address (the probe judges the certificate; the requests read what the server answers anyway).
   */
  readonly verifyCertificate?: boolean;
  /**
   * The addresses that refused a connection earlier in the same task (a check's, see `createRefusedAddresses`): one
   * of them is not dialled again, its attempt fails with the refusal it gave then; refusals met here are added.
   */
  readonly refused?: RefusedAddresses;
}

/** What happened to one address. */
export interface ConnectAttempt {
  readonly address: string;
  /** `denied` by the policy (never dialled), `failed` to connect or handshake, or `connected`. */
  readonly outcome: 'denied' | 'failed' | 'connected';
  readonly code: ErrorCode | null;
  /** Plain words: the policy's reason, the socket or TLS error, or "connected". */
  readonly message: string;
  readonly durationMs: number;
}

/** The result of {@link connectTls}: a verified socket, or why none could be opened. */
export type TlsConnectResult =
  | {
      readonly ok: true;
      readonly socket: TLSSocket;
      readonly address: string;
      readonly attempts: readonly ConnectAttempt[];
    }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message: string;
      readonly attempts: readonly ConnectAttempt[];
    };

type AttemptOutcome =
  | { readonly ok: true; readonly socket: TLSSocket }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string; readonly retryable: boolean };

/**
 * Connects to `addresses` in order and returns the first socket whose TLS handshake and certificate check
 * succeeded.
 *
 * - Each address is checked against `policy` right before it is dialled, and the socket dials that very IP
 *   (no second name lookup), so DNS rebinding cannot slip a denied address in (ground-truth §2).
 * - Only failures to reach an address (refused, unreachable, TCP connect timeout) move on to the next one; once
 *   TCP is up, a TLS or certificate failure ends the attempt, because the spec's fallback is for unreachable
 *   servers, not for servers presenting a wrong certificate.
 *
 * Never throws for network faults: a failure is a result with a stable code.
 *
 * @example
 * ```ts
 * const r = await connectTls({ addresses: ['2001:db8::1', '192.0.2.1'], port: 443, servername: 'example.org',
 *   policy: createAddressPolicy(), attemptTimeoutMs: 5_000 });
 * if (r.ok) r.socket.end();
 * ```
 */
export async function connectTls(options: TlsConnectOptions): Promise<TlsConnectResult> {
  const attempts: ConnectAttempt[] = [];
  const secureContext = secureContextFor(options.ca);
  let last: { code: ErrorCode; message: string } | null = null;
  for (const address of options.addresses) {
    if (options.signal?.aborted === true) break;
    const started = performance.now();
    const verdict = options.policy.check(address);
    if (!verdict.allowed) {
      attempts.push({ address, outcome: 'denied', code: 'ADDRESS_DENIED', message: verdict.reason, durationMs: 0 });
      continue;
    }
    const earlier = options.refused?.get(address, options.port);
    if (earlier !== undefined) {
      // Refused within this task already: the same answer, without another SYN (it is never a reason to stop).
      options.refused?.spare();
      attempts.push({ address, outcome: 'failed', code: earlier.code, message: earlier.message, durationMs: 0 });
      last = earlier;
      continue;
    }
    const outcome = await attemptAddress(address, options, secureContext);
    const durationMs = performance.now() - started;
    if (!outcome.ok && outcome.code === 'CONNECT_REFUSED')
      options.refused?.add(address, options.port, { code: outcome.code, message: outcome.message });
    if (outcome.ok) {
      attempts.push({ address, outcome: 'connected', code: null, message: 'connected', durationMs });
      return { ok: true, socket: outcome.socket, address, attempts };
    }
    attempts.push({ address, outcome: 'failed', code: outcome.code, message: outcome.message, durationMs });
    last = { code: outcome.code, message: outcome.message };
    if (!outcome.retryable) return { ok: false, code: outcome.code, message: outcome.message, attempts };
  }
  if (options.signal?.aborted === true) return { ok: false, code: 'TIMEOUT', message: SAY.aborted, attempts };
  if (last !== null) return { ok: false, code: last.code, message: last.message, attempts };
  if (attempts.length > 0) {
    const reasons = attempts.map((a) => a.message).join('; ');
    return { ok: false, code: 'ADDRESS_DENIED', message: SAY.noAddressAllowed({ reasons }), attempts };
  }
  return { ok: false, code: 'NO_TARGETS', message: SAY.noAddress, attempts };
}

/** One address: TCP connect, then the TLS handshake over that socket, each within `attemptTimeoutMs`. */
function attemptAddress(
  address: string,
  options: TlsConnectOptions,
  secureContext: SecureContext | undefined,
): Promise<AttemptOutcome> {
  if (options.signal?.aborted === true) {
    return Promise.resolve({
      ok: false,
      code: 'TIMEOUT',
      message: SAY.aborted,
      retryable: false,
    });
  }
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    // `host` is an IP literal, so node:net dials it directly without any name lookup. No Nagle delay (undici's
    // own connector sets the same): the request follows the client's last handshake flight at once, instead of
    // waiting for that flight's ACK.
    const tcp: Socket = tcpConnect({ host: address, port: options.port, noDelay: true });
    let secure: TLSSocket | undefined;
    let timer: NodeJS.Timeout | undefined;

    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      stopAbort?.();
      // On success the error listeners stay: they are no-ops now, and they keep a late error from being
      // unhandled before the caller attaches its own.
      if (!outcome.ok) {
        secure?.destroy();
        tcp.destroy();
      }
      resolve(outcome);
    };
    const aborted = (): void => finish({ ok: false, code: 'TIMEOUT', message: SAY.aborted, retryable: false });
    const onTlsError = (error: Error): void => {
      const failure = classifyNetworkError(error);
      // After TCP is up nothing is retried: a reset here is a TLS failure of this server, not an unreachable one.
      finish({
        ok: false,
        code: failure.code,
        message: SAY.systemAt({ address, system: failure.message }),
        retryable: false,
      });
    };
    const arm = (what: 'tcpTimeout' | 'tlsTimeout', code: ErrorCode, retryable: boolean): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(
        () =>
          finish({
            ok: false,
            code,
            message: SAY[what]({ address, ms: options.attemptTimeoutMs }),
            retryable,
          }),
        options.attemptTimeoutMs,
      );
    };

    // Fanned out (see onAbort): a document check's signal is shared by its fetches' connections.
    const stopAbort = options.signal === undefined ? undefined : onAbort(options.signal, aborted);
    arm('tcpTimeout', 'CONNECT_TIMEOUT', true);
    tcp.once('error', (error) => {
      const failure = classifyNetworkError(error);
      finish({
        ok: false,
        code: failure.code,
        message: SAY.systemAt({ address, system: failure.message }),
        retryable: failure.connectFailure,
      });
    });
    tcp.once('connect', () => {
      if (settled) return;
      arm('tlsTimeout', 'TIMEOUT', false);
      secure = tlsConnect({
        socket: tcp,
        // Node checks the certificate against `servername`, or else `host`: the hostname, or the dialled IP.
        ...(options.servername === null ? { host: address } : { servername: options.servername }),
        ...(secureContext === undefined ? {} : { secureContext }),
        ALPNProtocols: [...(options.alpnProtocols ?? ['http/1.1'])],
        ...(options.verifyCertificate === false
          ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
          : { rejectUnauthorized: true }),
      });
      secure.on('error', onTlsError);
      secure.once('secureConnect', () => {
        if (secure !== undefined) finish({ ok: true, socket: secure });
      });
    });
  });
}
