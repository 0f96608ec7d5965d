// Requests repeated on one address to tell a firewall (by User-Agent) or a proxy routing on the Host form from a missing homeserver.

import type {
  AddressRetries,
  BrowserRetry,
  CheckProblem,
  HostFormRetry,
  KeysReport,
  VersionReport,
} from '../check-report/index.js';
import { isMatrixDelegationError } from '../errors.js';
import type { ResolvedTarget } from '../resolver/types.js';
import { budgetExpired, rethrowIfAborted, withOperationSignal } from './abort.js';
import { BROWSER_USER_AGENT, answerHeaders, answersDiffer, browserRetryTrigger, isHtmlType } from './answer-headers.js';
import type { CheckContext } from './context.js';

/** What the retries need: the check's client, limits and signal. */
export type RetryContext = Pick<CheckContext, 'client' | 'operationTimeoutMs'> &
  Partial<Pick<CheckContext, 'signal' | 'budget'>>;

const VERSION_PATH = '/_matrix/federation/v1/version';
const KEYS_PATH = '/_matrix/key/v2/server';

function limit(ctx: RetryContext): number {
  return ctx.budget === undefined ? ctx.operationTimeoutMs : ctx.budget.operationMs(1);
}

function problemOf(error: unknown, ctx: RetryContext): CheckProblem {
  if (budgetExpired(ctx.signal)) return { code: 'TIMEOUT', message: (ctx.signal?.reason as Error).message };
  if (isMatrixDelegationError(error)) return { code: error.code, message: error.message };
  return { code: 'HTTP_ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** The version answer looks like a web server's, not the homeserver's (as `reverse-proxy-not-forwarding` reads it). */
function looksLikeProxyMiss(v: VersionReport): boolean {
  const s = v.httpStatus;
  return s === 404 || s === 405 || s === 421 || isHtmlType(v.contentType) || (s === 200 && !v.ok);
}

/** The other form of a Host header: `host` for `host:port`, `host:port` for `host` (IPv6 literals bracketed). */
export function otherHostForm(hostHeader: string, port: number): string {
  const withPort = /^(\[[^\]]+\]|[^:[\]]+):\d+$/.exec(hostHeader);
  if (withPort !== null) return withPort[1] ?? hostHeader;
  return `${hostHeader}:${port}`;
}

async function retryAsBrowser(
  target: ResolvedTarget,
  path: string,
  first: { status: number | null; contentType: string | null },
  trigger: BrowserRetry['trigger'],
  ctx: RetryContext,
): Promise<BrowserRetry> {
  const base = {
    path,
    trigger,
    firstStatus: first.status,
    firstContentType: first.contentType,
    userAgent: BROWSER_USER_AGENT,
  };
  const timeoutMs = limit(ctx);
  try {
    const res = await withOperationSignal(timeoutMs, ctx.signal, (signal) =>
      ctx.client.requestTarget(target, path, { signal, headers: { 'user-agent': BROWSER_USER_AGENT } }),
    );
    const answer = answerHeaders(res.headers);
    const second = { status: res.status, contentType: answer.contentType };
    return { ...base, httpStatus: res.status, answer, differs: answersDiffer(first, second), error: null };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    return { ...base, httpStatus: null, answer: null, differs: false, error: problemOf(error, ctx) };
  }
}

async function retryHostForm(target: ResolvedTarget, ctx: RetryContext): Promise<HostFormRetry> {
  const hostHeader = otherHostForm(target.hostHeader, target.port);
  const base = { firstHostHeader: target.hostHeader, hostHeader };
  const timeoutMs = limit(ctx);
  try {
    const res = await withOperationSignal(timeoutMs, ctx.signal, (signal) =>
      ctx.client.requestTarget({ ...target, hostHeader }, VERSION_PATH, { signal }),
    );
    let ok = false;
    if (res.status === 200) {
      try {
        const server = (JSON.parse(res.body.toString('utf8')) as { server?: unknown } | null)?.server;
        ok = typeof server === 'object' && server !== null;
      } catch {
        ok = false;
      }
    }
    return { ...base, httpStatus: res.status, ok, error: null };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    return { ...base, httpStatus: null, ok: false, error: problemOf(error, ctx) };
  }
}

/**
 * Repeats, on one address whose TLS handshake worked, the requests whose answers do not tell what is wrong:
 * - the version or key request whose answer was 401, 403, 429, 503 or an HTML page, once, with a browser's
 *   User-Agent (a firewall or bot protection that blocks robots answers a browser differently);
 * - the version request whose answer looked like a web server's (404, 405, 421, HTML, not JSON), once, with the
 *   other form of the Host header (a proxy routing on `host` sees `host:port` when the delegation names a port).
 *
 * Nothing else is ever retried: a homeserver's own answers get no second request. Each retry takes its share of
 * the check's budget (at most `operationTimeoutMs`). Returns null when nothing was retried. Rejects only when the
 * caller aborts.
 */
export async function retryAddress(
  target: ResolvedTarget,
  ctx: RetryContext,
  version: VersionReport,
  keys: KeysReport,
): Promise<AddressRetries | null> {
  const asked: Promise<BrowserRetry>[] = [];
  const versionFirst = { status: version.httpStatus, contentType: version.answer?.contentType ?? version.contentType };
  const versionTrigger = browserRetryTrigger(versionFirst.status, versionFirst.contentType);
  if (versionTrigger !== null) asked.push(retryAsBrowser(target, VERSION_PATH, versionFirst, versionTrigger, ctx));
  const keysFirst = { status: keys.httpStatus, contentType: keys.answer?.contentType ?? null };
  const keysTrigger = browserRetryTrigger(keysFirst.status, keysFirst.contentType);
  if (keysTrigger !== null) asked.push(retryAsBrowser(target, KEYS_PATH, keysFirst, keysTrigger, ctx));
  const hostForm = version.httpStatus !== null && looksLikeProxyMiss(version) ? retryHostForm(target, ctx) : null;
  if (asked.length === 0 && hostForm === null) return null;
  const [browser, host] = await Promise.all([Promise.all(asked), hostForm]);
  return { browser, hostForm: host };
}
