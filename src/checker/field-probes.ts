// Probes for what admins meet in the field: a CDN on the target hosts, a firewall on the well-known, a proxy rewriting paths.

import type {
  BrowserRetry,
  CheckProblem,
  EncodedPathProbe,
  PathAnswer,
  TargetHttpsProbe,
} from '../check-report/index.js';
import { formatAddress } from '../check-report/index.js';
import { isMatrixDelegationError } from '../errors.js';
import type { ResolveResult, ResolvedTarget } from '../resolver/types.js';
import { WELL_KNOWN_SERVER_PATH } from '../well-known/index.js';
import { fetchWellKnownDocument } from '../well-known/fetch-document.js';
import { budgetExpired, rethrowIfAborted, withOperationSignal } from './abort.js';
import { BROWSER_USER_AGENT, answerHeaders, answersDiffer, browserRetryTrigger } from './answer-headers.js';
import type { CheckContext, CheckTransport, FetchContext } from './context.js';

/** What these probes need: the check's client and ports, and the fetch context. */
export type FieldProbeContext = Pick<CheckContext, 'client' | 'defaultPort'> & FetchContext;

/** At most this many target hosts are asked on the HTTPS port. */
const MAX_TARGET_HOSTS = 2;

/**
 * The event path of the encoded-path probe: an unsigned request for an event id, which a homeserver refuses with 401
 * whatever the id. The second id holds `%2F`, as room and event ids may (base64 with "/"); `%24` is the `$` sigil.
 */
export const ENCODED_PATH_PROBE = Object.freeze({
  plain: '/_matrix/federation/v1/event/%24matrix-delegation-check',
  encoded: '/_matrix/federation/v1/event/%24matrix-delegation%2Fcheck',
});

function problemOf(error: unknown, signal: AbortSignal): CheckProblem {
  if (budgetExpired(signal)) return { code: 'TIMEOUT', message: (signal.reason as Error).message };
  if (isMatrixDelegationError(error)) return { code: error.code, message: error.message };
  return { code: 'HTTP_ERROR', message: error instanceof Error ? error.message : String(error) };
}

function federationAnswered(status: number, body: Buffer): boolean {
  if (status !== 200) return false;
  try {
    const server = (JSON.parse(body.toString('utf8')) as { server?: unknown } | null)?.server;
    return typeof server === 'object' && server !== null;
  } catch {
    return false;
  }
}

/** Every target is on the default port (steps 3.5 and 6): the `httpsPort` probe already asks the first one's host. */
function httpsPortProbeApplies(resolution: ResolveResult, ctx: FieldProbeContext): boolean {
  const targets = resolution.targets;
  return (
    targets.length > 0 &&
    ctx.httpsPort !== ctx.defaultPort &&
    targets.every((t) => (t.step === '3.5' || t.step === '6') && t.port === ctx.defaultPort)
  );
}

/**
 * The federation version on the HTTPS port of each target host (at most two) that resolution sends to another port:
 * a CDN proxying the host's records answers there with its own headers (`server: cloudflare`, `CF-Ray`) while the
 * other port hangs. Hosts the `httpsPort` probe asks already are left out.
 */
export async function probeTargetHttps(
  resolution: ResolveResult,
  ctx: FieldProbeContext,
  transport: CheckTransport,
): Promise<TargetHttpsProbe[]> {
  const covered = httpsPortProbeApplies(resolution, ctx) ? resolution.targets[0]?.tlsServerName : undefined;
  const firstOfHost = new Map<string, ResolvedTarget>();
  for (const t of resolution.targets) {
    if (t.sni === null || t.port === ctx.httpsPort || t.tlsServerName === covered) continue;
    if (!firstOfHost.has(t.tlsServerName) && firstOfHost.size < MAX_TARGET_HOSTS) firstOfHost.set(t.tlsServerName, t);
  }
  return Promise.all(
    [...firstOfHost.values()].map(async (first): Promise<TargetHttpsProbe> => {
      const host = first.tlsServerName;
      const hostHeader = `${host}:${ctx.httpsPort}`;
      const base = { host, ip: first.ip, port: ctx.httpsPort, hostHeader };
      try {
        const res = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) =>
          ctx.client.requestTarget({ ...first, port: ctx.httpsPort, hostHeader }, '/_matrix/federation/v1/version', {
            signal,
          }),
        );
        const answer = answerHeaders(res.headers);
        return { ...base, httpStatus: res.status, ok: federationAnswered(res.status, res.body), answer, error: null };
      } catch (error) {
        rethrowIfAborted(ctx.signal);
        return { ...base, httpStatus: null, ok: false, answer: null, error: problemOf(error, ctx.signal) };
      }
    }),
  );
}

/** The first answer of the server well-known, as the resolution's trace recorded it. */
function firstWellKnownAnswer(resolution: ResolveResult): { status: number | null; contentType: string | null } | null {
  const entry = resolution.trace.find((e) => e.step === '3');
  const data = entry?.step === '3' ? entry.data : undefined;
  if (data === undefined) return null;
  return { status: data.httpStatus, contentType: data.headers?.contentType ?? null };
}

/**
 * The server well-known fetched once more with a browser's User-Agent, when its first answer was 401, 403, 429, 503
 * or an HTML page (a firewall's or bot protection's answer to robots); null otherwise. Same transport, address
 * policy and limits as every fetch of the check.
 */
export async function probeWellKnownBrowserRetry(
  resolution: ResolveResult,
  host: string,
  ctx: FieldProbeContext,
  transport: CheckTransport,
): Promise<BrowserRetry | null> {
  const first = firstWellKnownAnswer(resolution);
  if (first === null) return null;
  const trigger = browserRetryTrigger(first.status, first.contentType);
  if (trigger === null) return null;
  const base = {
    path: WELL_KNOWN_SERVER_PATH,
    trigger,
    firstStatus: first.status,
    firstContentType: first.contentType,
    userAgent: BROWSER_USER_AGENT,
  };
  try {
    const doc = await fetchWellKnownDocument(host, WELL_KNOWN_SERVER_PATH, {
      ...transport,
      userAgent: BROWSER_USER_AGENT,
    });
    if (doc.outcome !== 'response' || doc.httpStatus === null) {
      return {
        ...base,
        httpStatus: null,
        answer: null,
        differs: false,
        error: { code: doc.code ?? 'HTTP_ERROR', message: doc.detail },
      };
    }
    const answer = answerHeaders(doc.headers);
    const second = { status: doc.httpStatus, contentType: answer.contentType };
    return { ...base, httpStatus: doc.httpStatus, answer, differs: answersDiffer(first, second), error: null };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    return { ...base, httpStatus: null, answer: null, differs: false, error: problemOf(error, ctx.signal) };
  }
}

async function askPath(
  target: ResolvedTarget,
  path: string,
  ctx: FieldProbeContext,
  transport: CheckTransport,
): Promise<PathAnswer> {
  try {
    const res = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) =>
      ctx.client.requestTarget(target, path, { signal }),
    );
    let errcode: string | null = null;
    try {
      const value = JSON.parse(res.body.toString('utf8')) as { errcode?: unknown } | null;
      errcode = typeof value?.errcode === 'string' ? value.errcode.slice(0, 64) : null;
    } catch {
      errcode = null;
    }
    return { path, httpStatus: res.status, errcode, error: null };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    return { path, httpStatus: null, errcode: null, error: problemOf(error, ctx.signal) };
  }
}

/**
 * The same unsigned event request twice on `target`, the id plain and with an encoded slash: a homeserver refuses
 * both alike (401), a proxy that decodes or rewrites the path sends the second one elsewhere. Asked once per check,
 * on the first target once its TLS handshake has worked (`checkServer`), so that it never waits on a dead address.
 * Two small requests, within the check's limits.
 */
export async function probeEncodedPath(
  target: ResolvedTarget,
  ctx: FieldProbeContext,
  transport: CheckTransport,
): Promise<EncodedPathProbe> {
  const [plain, encoded] = await Promise.all([
    askPath(target, ENCODED_PATH_PROBE.plain, ctx, transport),
    askPath(target, ENCODED_PATH_PROBE.encoded, ctx, transport),
  ]);
  return { address: formatAddress(target.ip, target.port), hostHeader: target.hostHeader, plain, encoded };
}
