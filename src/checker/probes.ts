// Extra evidence for the hint catalogue that resolution and the address checks do not gather (SRV both ways, port 443, misplaced well-knowns).

import { NO_PROBES } from '../check-report/probes.js';
import type {
  HttpsPortProbe,
  ProbeReport,
  SrvProbe,
  WellKnownBodyProbe,
  WellKnownElsewhereProbe,
} from '../check-report/probes.js';
import { isMatrixDelegationError } from '../errors.js';
import type { ResolveResult, ResolvedTarget } from '../resolver/types.js';
import { isSrvLookup } from '../resolver/trace-facts.js';
import { hasUtf8Bom } from '../net/json-body.js';
import { fetchWellKnownServer, WELL_KNOWN_SERVER_PATH } from '../well-known/index.js';
import { fetchWellKnownDocument } from '../well-known/fetch-document.js';
import { rethrowIfAborted, withOperationSignal } from './abort.js';
import { answerHeaders } from './answer-headers.js';
import { fetchTransport, type CheckContext, type CheckTransport, type FetchContext } from './context.js';
import { probeTargetHttps, probeWellKnownBrowserRetry } from './field-probes.js';
import { probeSrvMistakes } from './srv-mistakes.js';

/**
 * What the probes need: the check's context (see `CheckContext`), or the part of it named here. Each probe's limit is
 * its share of the time left when it starts (at most `operationTimeoutMs`). The check's signal stops every probe in
 * flight: the caller's abort rejects; the check's budget running out leaves what the probes found by then.
 */
export type ProbeContext = Pick<CheckContext, 'client' | 'defaultPort'> & FetchContext;

/** At most this many SRV targets are tried as well-known hosts. */
const MAX_SRV_TARGET_CANDIDATES = 2;

/**
 * Gathers the extra evidence some hints need, in parallel, after resolution (and alongside the address checks):
 * - SRV records of both services on the server name's host and on the delegated host, because the resolver stops
 *   at the first service with records and skips SRV on the server name once a well-known delegates;
 * - the federation version on the HTTPS port when resolution used the default port (a missing `:443`);
 * - the server well-known on the federation port, on `matrix.<name>`, `www.<name>` and SRV targets, when the server
 *   name's own well-known did not delegate (a document put in the wrong place);
 * - the body of an invalid server well-known (a byte order mark, an HTML page);
 * - what answers on the HTTPS port of target hosts sent to another port (a CDN), the server well-known again as a
 *   browser when its answer looked like a firewall's, and SRV records under names DNS panels make by mistake (see
 *   `field-probes.ts`, `srv-mistakes.ts`; `encodedPath` is asked by `checkServer` once the first address answered).
 *
 * Never throws for remote faults: a probe that fails says so in its result. Rejects with the reason of
 * `ctx.signal` when it aborts, having stopped the DNS questions and requests in flight.
 */
export async function runProbes(resolution: ResolveResult, ctx: ProbeContext): Promise<ProbeReport> {
  const parsed = resolution.parsed;
  if (parsed === null || parsed.kind !== 'dns' || parsed.port !== undefined) return NO_PROBES;
  const host = parsed.host.toLowerCase();
  // Every probe is one operation: its share of what is left now.
  const transport = fetchTransport(ctx, 1);
  const [srv, httpsPort, wellKnownElsewhere, wellKnownBody, targetHttps, wellKnownBrowserRetry, srvMistakes] =
    await Promise.all([
      probeSrv(srvHosts(resolution, host), ctx, transport),
      probeHttpsPort(resolution, ctx, transport),
      probeWellKnownElsewhere(resolution, host, ctx, transport),
      probeWellKnownBody(resolution, host, ctx, transport),
      probeTargetHttps(resolution, ctx, transport),
      probeWellKnownBrowserRetry(resolution, host, ctx, transport),
      probeSrvMistakes(resolution, host, ctx, transport),
    ]);
  return {
    srv,
    httpsPort,
    wellKnownElsewhere,
    wellKnownBody,
    targetHttps,
    wellKnownBrowserRetry,
    srvMistakes,
    encodedPath: null,
  };
}

/** The hosts whose SRV records matter: the server name's, and the delegated one when `m.server` has no port. */
function srvHosts(resolution: ResolveResult, host: string): string[] {
  const hosts = [host];
  const delegated = delegatedName(resolution);
  if (delegated !== null && delegated.kind === 'dns' && delegated.port === undefined) {
    const name = delegated.host.toLowerCase();
    if (!hosts.includes(name)) hosts.push(name);
  }
  return hosts;
}

/** The delegated server name, as the well-known parser parsed it (the resolver's outcome carries it). */
function delegatedName(resolution: ResolveResult) {
  return resolution.wellKnown.status === 'delegated' ? resolution.wellKnown.serverName : null;
}

async function probeSrv(hosts: readonly string[], ctx: ProbeContext, transport: CheckTransport): Promise<SrvProbe[]> {
  const questions = hosts.flatMap((host) =>
    (['_matrix-fed._tcp', '_matrix._tcp'] as const).map((service) => ({ host, service })),
  );
  // One operation for all of them: asked at once, with one limit (one signal, not one per question).
  const answers = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) =>
    Promise.all(questions.map(({ host, service }) => ctx.dns.resolveSrv(`${service}.${host}`, { signal }))),
  );
  // An aborted question is answered DNS_TIMEOUT: when the caller gave up, the zone is not at fault (the check's
  // budget running out leaves it a DNS_TIMEOUT).
  rethrowIfAborted(ctx.signal);
  return questions.map(({ host, service }, i): SrvProbe => {
    const name = `${service}.${host}`;
    const answer = answers[i]!;
    if (answer.ok) return { host, service, name, records: answer.records, error: null };
    const noRecords = answer.code === 'DNS_NXDOMAIN' || answer.code === 'DNS_NODATA';
    return {
      host,
      service,
      name,
      records: [],
      error: noRecords ? null : { code: answer.code, message: answer.message },
    };
  });
}

/** Asks the federation version on the HTTPS port of the first target, when every target is on the default port (3.5 / 6). */
async function probeHttpsPort(
  resolution: ResolveResult,
  ctx: ProbeContext,
  transport: CheckTransport,
): Promise<HttpsPortProbe | null> {
  const targets = resolution.targets;
  const first = targets[0];
  if (first === undefined || ctx.httpsPort === ctx.defaultPort) return null;
  if (!targets.every((t) => (t.step === '3.5' || t.step === '6') && t.port === ctx.defaultPort)) return null;
  const host = first.tlsServerName;
  const hostHeader = `${host}:${ctx.httpsPort}`;
  const target: ResolvedTarget = { ...first, port: ctx.httpsPort, hostHeader };
  const base = { host, ip: first.ip, port: ctx.httpsPort, hostHeader };
  try {
    const res = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) =>
      ctx.client.requestTarget(target, '/_matrix/federation/v1/version', { signal }),
    );
    let software: string | null = null;
    let ok = false;
    if (res.status === 200) {
      try {
        const server = (JSON.parse(res.body.toString('utf8')) as { server?: { name?: unknown } } | null)?.server;
        ok = typeof server === 'object' && server !== null;
        software = typeof server?.name === 'string' ? server.name : null;
      } catch {
        ok = false;
      }
    }
    return { ...base, ok, httpStatus: res.status, software, error: null, answer: answerHeaders(res.headers) };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    const problem = isMatrixDelegationError(error)
      ? { code: error.code, message: error.message }
      : { code: 'HTTP_ERROR', message: error instanceof Error ? error.message : String(error) };
    return { ...base, ok: false, httpStatus: null, software: null, error: problem, answer: null };
  }
}

/** Where a misplaced server well-known is often found, when the real one did not delegate (absent or failed). */
function elsewhereCandidates(
  resolution: ResolveResult,
  host: string,
  ctx: ProbeContext,
): { host: string; port: number; reason: WellKnownElsewhereProbe['reason'] }[] {
  const status = resolution.wellKnown.status;
  if (status !== 'absent' && status !== 'error') return [];
  const candidates: { host: string; port: number; reason: WellKnownElsewhereProbe['reason'] }[] = [];
  const add = (h: string, port: number, reason: WellKnownElsewhereProbe['reason']): void => {
    if (!candidates.some((c) => c.host === h && c.port === port)) candidates.push({ host: h, port, reason });
  };
  // Synapse's federation listener can serve the document too, which tempts admins to test it on 8448 only.
  if (ctx.defaultPort !== ctx.httpsPort) add(host, ctx.defaultPort, 'federation-port');
  add(`matrix.${host}`, ctx.httpsPort, 'subdomain');
  add(`www.${host}`, ctx.httpsPort, 'subdomain');
  const srvTargets = resolution.trace
    .filter(isSrvLookup)
    .filter((e) => (e.step === '4' || e.step === '5') && e.status === 'taken')
    .flatMap((e) => e.data.records.map((r) => r.target.toLowerCase()))
    .filter((t) => t !== '' && t !== '.' && t !== host);
  for (const target of [...new Set(srvTargets)].slice(0, MAX_SRV_TARGET_CANDIDATES))
    add(target, ctx.httpsPort, 'srv-target');
  return candidates;
}

async function probeWellKnownElsewhere(
  resolution: ResolveResult,
  host: string,
  ctx: ProbeContext,
  transport: CheckTransport,
): Promise<WellKnownElsewhereProbe[]> {
  const found = await Promise.all(
    elsewhereCandidates(resolution, host, ctx).map(async (c): Promise<WellKnownElsewhereProbe | null> => {
      try {
        const r = await fetchWellKnownServer(c.host, { ...transport, port: c.port });
        const url = `https://${c.host}${c.port === 443 ? '' : `:${c.port}`}${WELL_KNOWN_SERVER_PATH}`;
        return {
          url,
          host: c.host,
          port: c.port,
          reason: c.reason,
          status: r.status,
          mServer: r.mServer,
          detail: r.detail,
        };
      } catch {
        // The fetch rejects when the caller aborts: so does the check. Otherwise only a candidate name the URL
        // parser refuses throws: nothing to report.
        rethrowIfAborted(ctx.signal);
        return null;
      }
    }),
  );
  return found.filter((p): p is WellKnownElsewhereProbe => p !== null);
}

/** Re-reads an invalid server well-known to tell a byte order mark or an HTML page from other bad JSON. */
async function probeWellKnownBody(
  resolution: ResolveResult,
  host: string,
  ctx: ProbeContext,
  transport: CheckTransport,
): Promise<WellKnownBodyProbe | null> {
  if (resolution.wellKnown.status !== 'invalid') return null;
  try {
    const doc = await fetchWellKnownDocument(host, WELL_KNOWN_SERVER_PATH, transport);
    if (doc.outcome !== 'response' || doc.body === null) return null;
    const body = doc.body;
    const hasBom = hasUtf8Bom(body);
    const text = Buffer.from(hasBom ? body.subarray(3) : body).toString('utf8');
    return {
      url: doc.url,
      httpStatus: doc.httpStatus,
      contentType: doc.headers['content-type'] ?? null,
      bytes: body.length,
      hasBom,
      looksLikeHtml: text.trimStart().startsWith('<'),
      start: printable(text.trim().slice(0, 60)),
    };
  } catch {
    rethrowIfAborted(ctx.signal);
    return null;
  }
}

/** Control characters replaced by spaces, so that a body excerpt can be shown in a sentence. */
function printable(text: string): string {
  return [...text]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('')
    .replace(/ {2,}/g, ' ');
}
