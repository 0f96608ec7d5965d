// Checks one target address: TLS handshake and certificate, federation version, and the server keys.

import { isMatrixDelegationError } from '../errors.js';
import { ed25519KeyChecks, ed25519VerifyKeys, formatAddress } from '../check-report/address.js';
import type { AddressReport, CheckProblem, KeysReport, TlsReport, VersionReport } from '../check-report/index.js';
import { endpointAnswerEnglish, endpointBodyEnglish } from '../check-report/endpoint-answer-texts.js';
import { CHECKER_ERROR_EN } from '../check-report/checker-error-texts.js';
import { inspectServerKeys } from '../keys/key-response.js';
import { probeTlsConnection, type TlsProbeResult } from '../net/tls-probe.js';
import { NET_ERROR_EN } from '../net/net-error-texts.js';
import { trustProblem } from './trust-problem.js';
import { retryAddress } from './address-retries.js';
import { answerHeaders } from './answer-headers.js';
import type { ResolvedTarget } from '../resolver/types.js';
import { budgetExpired, rethrowIfAborted, withOperationSignal } from './abort.js';
import { isBudgetExpiry } from './budget.js';
import type { CheckContext } from './context.js';

/**
 * What checking one address needs: the check's context (see `CheckContext`), or the part of it named here. Without
 * `budget`, each operation may take `operationTimeoutMs`; without `signal`, only its own limit stops it. Without
 * `policy`, the TLS probe dials the target without asking (the resolver's targets passed the policy already); the
 * client asks its own before every new connection.
 */
export type AddressCheckContext = Pick<CheckContext, 'serverName' | 'client' | 'ca' | 'operationTimeoutMs' | 'now'> &
  Partial<Pick<CheckContext, 'signal' | 'budget' | 'policy'>>;

// The client is part of the check's context; its maker is named here too, beside the checks that use it.
export { createCheckClient } from './context.js';

/**
 * Checks one address end to end. Never throws for remote faults: a dead address gives `connectionError`,
 * and its limits (each operation's share of `ctx.budget`, at most `operationTimeoutMs`) keep it from holding up
 * the others. When `ctx.signal` aborts with the check's budget expiry, what had not finished is `TIMEOUT`; for any
 * other reason it rejects with that reason, having stopped the TLS probe and the requests in flight.
 */
export async function checkAddress(target: ResolvedTarget, ctx: AddressCheckContext): Promise<AddressReport> {
  const address = formatAddress(target.ip, target.port);
  const family = target.ip.includes(':') ? 6 : 4;
  // An SRV record may say port 0 (RFC 2782 allows 0-65535): remote data, so a result, not probeTls's INVALID_ARGUMENT.
  if (target.port < 1 || target.port > 65_535) {
    const connectionError = {
      code: 'CONNECT_UNREACHABLE' as const,
      message: NET_ERROR_EN.portUnusable({ address, port: target.port }),
    };
    return { target, address, family, connectionError, tls: null, version: null, keys: null, ok: false };
  }
  // Requests to this address (its version and keys, and the probes') wait for the handshake below and go over its
  // connection: one TLS handshake per address, where each request used to make its own.
  const arrived = ctx.client.expectConnection(target);
  let probe: TlsProbeResult;
  try {
    const probed = await probeTlsConnection({
      ip: target.ip,
      port: target.port,
      sni: target.sni,
      tlsServerName: target.tlsServerName,
      // The handshake leaves as much time again for the requests that follow it.
      timeoutMs: operationMs(ctx, 2),
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      now: ctx.now,
      ...(ctx.policy ? { policy: ctx.policy } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    probe = probed.result;
    arrived(probed);
  } catch (error) {
    arrived(null);
    if (!isBudgetExpiry(error)) throw error;
    return timedOutAddress(target, error.message);
  }
  if (!probe.ok) {
    return { target, address, family, connectionError: probe.error, tls: null, version: null, keys: null, ok: false };
  }
  const tls: TlsReport = {
    protocol: probe.protocol,
    cipher: probe.cipher?.standardName ?? probe.cipher?.name ?? null,
    // What the server sent: Node appends the trust-store root when it completes the chain.
    chain: probe.chain.filter((c) => c.source === 'peer'),
    trusted: probe.trusted,
    trustError: probe.trustError === null ? null : trustProblem(probe.trustError),
    nameMatches: probe.nameMatches,
    nameError: probe.nameError,
    expiresInDays: probe.expiresInDays,
    durationMs: probe.durationMs,
  };
  const [version, keys] = await Promise.all([checkVersion(target, ctx), checkKeys(target, ctx)]);
  const ok = tls.trusted && tls.nameMatches && version.ok && keys.ok;
  // A firewall's or a proxy's answer gets one more request that tells it apart (address-retries.ts).
  const retries = await retryAddress(target, ctx, version, keys);
  return { target, address, family, connectionError: null, tls, version, keys, ok, retries };
}

/** The limit of the next operation, `stages` of them still to come in sequence (see `CheckBudget.operationMs`). */
function operationMs(ctx: AddressCheckContext, stages: number): number {
  return ctx.budget === undefined ? ctx.operationTimeoutMs : ctx.budget.operationMs(stages);
}

/**
 * The report of an address the check's budget ran out on before its TLS handshake finished: a `TIMEOUT`
 * connection error, like a handshake that ran into its own limit.
 */
export function timedOutAddress(target: ResolvedTarget, message: string): AddressReport {
  const address = formatAddress(target.ip, target.port);
  const family = target.ip.includes(':') ? 6 : 4;
  return {
    target,
    address,
    family,
    connectionError: { code: 'TIMEOUT', message: CHECKER_ERROR_EN.addressTimedOut({ address, inner: message }) },
    tls: null,
    version: null,
    keys: null,
    ok: false,
  };
}

/** The problem of a request the check's budget ended (its own limit gives the client's TIMEOUT error instead). */
function budgetProblem(ctx: AddressCheckContext): CheckProblem | null {
  return budgetExpired(ctx.signal) ? { code: 'TIMEOUT', message: (ctx.signal?.reason as Error).message } : null;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; durationMs: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, durationMs: Math.round(performance.now() - start) };
}

function problemOf(error: unknown): CheckProblem {
  if (isMatrixDelegationError(error)) return { code: error.code, message: error.message };
  return { code: 'HTTP_ERROR', message: error instanceof Error ? error.message : String(error) };
}

function headerText(value: string | readonly string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Deepest key response kept as `raw` in the report. A real one nests four levels; JSON.parse accepts far deeper
 * ones (a 512 KiB body can nest 250 000 arrays), which every recursive renderer (`JSON.stringify` included)
 * would then fail on with a RangeError, so such a body is checked but not carried into the report.
 */
const MAX_RAW_DEPTH = 64;

/** True when `value` nests arrays and objects at most `max` levels deep (iterative: the value may be very deep). */
function nestedAtMost(value: unknown, max: number): boolean {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= max) return false;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
  return true;
}

/** `GET /_matrix/federation/v1/version`: `{"server": {"name", "version"}}` (server-server API "Server implementation"). */
async function checkVersion(target: ResolvedTarget, ctx: AddressCheckContext): Promise<VersionReport> {
  const { value, durationMs } = await timed(async (): Promise<Omit<VersionReport, 'durationMs'>> => {
    try {
      const limit = operationMs(ctx, 1);
      const res = await withOperationSignal(limit, ctx.signal, (signal) =>
        ctx.client.requestTarget(target, '/_matrix/federation/v1/version', { signal, timeoutMs: limit }),
      );
      const contentType = headerText(res.headers['content-type']);
      const base = { httpStatus: res.status, contentType, answer: answerHeaders(res.headers) };
      if (res.status !== 200) {
        return {
          ...base,
          ok: false,
          name: null,
          version: null,
          error: { code: 'HTTP_ERROR', message: endpointAnswerEnglish('version', { status: String(res.status) }) },
        };
      }
      const parsed = parseJson(res.body);
      if (!parsed.ok)
        return {
          ...base,
          ok: false,
          name: null,
          version: null,
          error: { code: 'HTTP_ERROR', message: endpointBodyEnglish('version', { reason: parsed.message }) },
        };
      const server = (parsed.value as { server?: { name?: unknown; version?: unknown } } | null)?.server;
      const name = typeof server?.name === 'string' ? server.name : null;
      const version = typeof server?.version === 'string' ? server.version : null;
      return { ...base, ok: true, name, version, error: null };
    } catch (error) {
      // The client reports an abort as a network error: the caller's abort is no fault of the server.
      rethrowIfAborted(ctx.signal);
      return {
        ok: false,
        httpStatus: null,
        contentType: null,
        name: null,
        version: null,
        error: budgetProblem(ctx) ?? problemOf(error),
        answer: null,
      };
    }
  });
  return { ...value, durationMs };
}

/** `GET /_matrix/key/v2/server`, then every key check of `src/keys/`. */
async function checkKeys(target: ResolvedTarget, ctx: AddressCheckContext): Promise<KeysReport> {
  const empty = {
    matchingServerName: false,
    futureValidUntilTs: false,
    hasEd25519Key: false,
    allEd25519ChecksOk: false,
    ed25519Checks: {},
    verifyKeys: {},
    serverName: null,
    validUntilTs: null,
    raw: null,
  };
  let answer: KeysReport['answer'] = null;
  const { value, durationMs } = await timed(async (): Promise<Omit<KeysReport, 'durationMs'>> => {
    let status: number | null = null;
    try {
      const limit = operationMs(ctx, 1);
      const res = await withOperationSignal(limit, ctx.signal, (signal) =>
        ctx.client.requestTarget(target, '/_matrix/key/v2/server', { signal, timeoutMs: limit }),
      );
      status = res.status;
      answer = answerHeaders(res.headers);
      if (res.status !== 200) {
        return {
          ...empty,
          ok: false,
          httpStatus: status,
          problems: [{ code: 'HTTP_ERROR', message: endpointAnswerEnglish('keys', { status: String(res.status) }) }],
        };
      }
      const parsed = parseJson(res.body);
      if (!parsed.ok) {
        return {
          ...empty,
          ok: false,
          httpStatus: status,
          problems: [
            { code: 'KEYS_INVALID_RESPONSE', message: endpointBodyEnglish('keys', { reason: parsed.message }) },
          ],
        };
      }
      const inspection = inspectServerKeys(parsed.value, ctx.serverName, ctx.now());
      return {
        ok: inspection.ok,
        httpStatus: status,
        matchingServerName: inspection.matchingServerName,
        futureValidUntilTs: inspection.futureValidUntilTs,
        hasEd25519Key: inspection.hasEd25519Key,
        allEd25519ChecksOk: inspection.allEd25519ChecksOk,
        ed25519Checks: ed25519KeyChecks(inspection),
        verifyKeys: ed25519VerifyKeys(inspection),
        serverName: inspection.serverName,
        validUntilTs: inspection.validUntilTs,
        raw: nestedAtMost(parsed.value, MAX_RAW_DEPTH) ? parsed.value : null,
        problems: inspection.errors.map((e) => ({ code: e.code, message: e.message })),
      };
    } catch (error) {
      rethrowIfAborted(ctx.signal);
      return { ...empty, ok: false, httpStatus: status, problems: [budgetProblem(ctx) ?? problemOf(error)] };
    }
  });
  return { ...value, durationMs, answer };
}
