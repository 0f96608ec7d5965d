// Extra evidence for the hint catalogue that resolution and the address checks do not gather (SRV both ways, port 443, misplaced well-knowns).

import type { FederationClient } from '../client/federation-client.js';
import type { DnsPort, SrvRecord } from '../dns/types.js';
import type { ErrorCode } from '../errors.js';
import { isMatrixDelegationError } from '../errors.js';
import type { AddressPolicy } from '../net/types.js';
import type { ResolveResult, ResolvedTarget } from '../resolver/types.js';
import { parseServerName } from '../server-name/index.js';
import { fetchWellKnownServer, WELL_KNOWN_SERVER_PATH } from '../well-known/index.js';
import { fetchWellKnownDocument } from '../well-known/fetch-document.js';
import type { WellKnownFetchStatus } from '../well-known/types.js';
import { rethrowIfAborted, withOperationSignal } from './abort.js';
import type { CheckProblem } from './types.js';

/** The two SRV services of server discovery: the current one and the deprecated one (spec steps 3.3/3.4, 4/5). */
export type SrvService = '_matrix-fed._tcp' | '_matrix._tcp';

/** One SRV question asked by the probes, whatever the resolver asked. */
export interface SrvProbe {
  /** The host the records are for (the server name's host or the delegated host). */
  readonly host: string;
  readonly service: SrvService;
  /** `<service>.<host>`. */
  readonly name: string;
  /** The records (empty for NXDOMAIN / no records, or on an error). */
  readonly records: readonly SrvRecord[];
  /** A real DNS failure (SERVFAIL, timeout), or null; "no records" is not an error. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/**
 * The federation API asked on the HTTPS port of a host that resolution sent to the default port (steps 3.5 and 6):
 * the evidence for "`m.server` lacks `:443`".
 */
export interface HttpsPortProbe {
  /** The host (the delegated host, or the server name's host). */
  readonly host: string;
  readonly ip: string;
  /** The HTTPS port asked (443 outside tests). */
  readonly port: number;
  /** The Host header sent: what `{"m.server": "<host>:<port>"}` would make servers send. */
  readonly hostHeader: string;
  /** `GET /_matrix/federation/v1/version` answered 200 with a JSON `server` object. */
  readonly ok: boolean;
  readonly httpStatus: number | null;
  /** `server.name` of the answer (e.g. `Synapse`), when there was one. */
  readonly software: string | null;
  readonly error: CheckProblem | null;
}

/** The server well-known looked for where admins sometimes put it by mistake. */
export interface WellKnownElsewhereProbe {
  /** The URL as an admin would write it (the port shown unless it is 443). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Why this place was tried: the federation port, a conventional sub-domain, or an SRV target. */
  readonly reason: 'federation-port' | 'subdomain' | 'srv-target';
  readonly status: WellKnownFetchStatus;
  readonly mServer: string | null;
  readonly detail: string;
}

/** The body of an invalid server well-known, re-read to say what it really is. */
export interface WellKnownBodyProbe {
  readonly url: string;
  readonly httpStatus: number | null;
  readonly contentType: string | null;
  /** Bytes read (at most the fetch limit). */
  readonly bytes: number;
  /** Starts with the UTF-8 byte order mark EF BB BF. */
  readonly hasBom: boolean;
  /** Looks like an HTML page (starts with `<`, after white space and a BOM). */
  readonly looksLikeHtml: boolean;
  /** The first characters, control characters replaced, for the hint's detail. */
  readonly start: string;
}

/** Everything the probes found. Each part is empty / null when it did not apply. */
export interface ProbeReport {
  /** `_matrix-fed._tcp` and `_matrix._tcp` on the server name's host and on the delegated host (names without a port). */
  readonly srv: readonly SrvProbe[];
  /** The federation API on the HTTPS port when resolution sent servers to the default port; null when not asked. */
  readonly httpsPort: HttpsPortProbe | null;
  /** The server well-known on the federation port, `matrix.` / `www.` and SRV targets, when the real one did not delegate. */
  readonly wellKnownElsewhere: readonly WellKnownElsewhereProbe[];
  /** The body of the server well-known when it was served but invalid; null otherwise. */
  readonly wellKnownBody: WellKnownBodyProbe | null;
}

/** What the probes need: the ports of the check, and its budget. */
export interface ProbeContext {
  /** The check's client (certificates reported, not enforced). */
  readonly client: FederationClient;
  readonly dns: DnsPort;
  readonly policy: AddressPolicy;
  readonly ca?: readonly string[];
  /** The HTTPS port: 443 (the well-known port; only tests change it). */
  readonly httpsPort: number;
  /** The default federation port: 8448 (only tests change it). */
  readonly defaultPort: number;
  /** Budget of each probe in milliseconds. */
  readonly timeoutMs: number;
  /**
   * The check's signal: stops every probe in flight (each also has its own budget). The caller's abort rejects; the
   * check's budget running out leaves what the probes found by then.
   */
  readonly signal?: AbortSignal;
}

/** An empty report, for checks where nothing applies. */
export const NO_PROBES: ProbeReport = Object.freeze({ srv: [], httpsPort: null, wellKnownElsewhere: [], wellKnownBody: null });

/** At most this many SRV targets are tried as well-known hosts. */
const MAX_SRV_TARGET_CANDIDATES = 2;

/**
 * Gathers the extra evidence some hints need, in parallel, after resolution (and alongside the address checks):
 * - SRV records of both services on the server name's host and on the delegated host, because the resolver stops
 *   at the first service with records and skips SRV on the server name once a well-known delegates;
 * - the federation version on the HTTPS port when resolution used the default port (a missing `:443`);
 * - the server well-known on the federation port, on `matrix.<name>`, `www.<name>` and SRV targets, when the server
 *   name's own well-known did not delegate (a document put in the wrong place);
 * - the body of an invalid server well-known (a byte order mark, an HTML page).
 *
 * Never throws for remote faults: a probe that fails says so in its result. Rejects with the reason of
 * `ctx.signal` when it aborts, having stopped the DNS questions and requests in flight.
 */
export async function runProbes(resolution: ResolveResult, ctx: ProbeContext): Promise<ProbeReport> {
  const parsed = resolution.parsed;
  if (parsed === null || parsed.kind !== 'dns' || parsed.port !== undefined) return NO_PROBES;
  const host = parsed.host.toLowerCase();
  const [srv, httpsPort, wellKnownElsewhere, wellKnownBody] = await Promise.all([
    probeSrv(srvHosts(resolution, host), ctx),
    probeHttpsPort(resolution, ctx),
    probeWellKnownElsewhere(resolution, host, ctx),
    probeWellKnownBody(resolution, host, ctx),
  ]);
  return { srv, httpsPort, wellKnownElsewhere, wellKnownBody };
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

function delegatedName(resolution: ResolveResult) {
  if (resolution.wellKnown.status !== 'delegated' || resolution.wellKnown.mServer === null) return null;
  const parsed = parseServerName(resolution.wellKnown.mServer);
  return parsed.ok ? parsed.value : null;
}

async function probeSrv(hosts: readonly string[], ctx: ProbeContext): Promise<SrvProbe[]> {
  const questions = hosts.flatMap((host) => (['_matrix-fed._tcp', '_matrix._tcp'] as const).map((service) => ({ host, service })));
  return Promise.all(
    questions.map(async ({ host, service }): Promise<SrvProbe> => {
      const name = `${service}.${host}`;
      const answer = await withOperationSignal(ctx.timeoutMs, ctx.signal, (signal) => ctx.dns.resolveSrv(name, { signal }));
      // An aborted question is answered DNS_TIMEOUT: when the caller gave up, the zone is not at fault (the check's
      // budget running out leaves it a DNS_TIMEOUT).
      rethrowIfAborted(ctx.signal);
      if (answer.ok) return { host, service, name, records: answer.records, error: null };
      const noRecords = answer.code === 'DNS_NXDOMAIN' || answer.code === 'DNS_NODATA';
      return { host, service, name, records: [], error: noRecords ? null : { code: answer.code, message: answer.message } };
    }),
  );
}

/** Asks the federation version on the HTTPS port of the first target, when every target is on the default port (3.5 / 6). */
async function probeHttpsPort(resolution: ResolveResult, ctx: ProbeContext): Promise<HttpsPortProbe | null> {
  const targets = resolution.targets;
  const first = targets[0];
  if (first === undefined || ctx.httpsPort === ctx.defaultPort) return null;
  if (!targets.every((t) => (t.step === '3.5' || t.step === '6') && t.port === ctx.defaultPort)) return null;
  const host = first.tlsServerName;
  const hostHeader = `${host}:${ctx.httpsPort}`;
  const target: ResolvedTarget = { ...first, port: ctx.httpsPort, hostHeader };
  const base = { host, ip: first.ip, port: ctx.httpsPort, hostHeader };
  try {
    const res = await withOperationSignal(ctx.timeoutMs, ctx.signal, (signal) => ctx.client.requestTarget(target, '/_matrix/federation/v1/version', { signal }));
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
    return { ...base, ok, httpStatus: res.status, software, error: null };
  } catch (error) {
    rethrowIfAborted(ctx.signal);
    const problem = isMatrixDelegationError(error)
      ? { code: error.code, message: error.message }
      : { code: 'HTTP_ERROR', message: error instanceof Error ? error.message : String(error) };
    return { ...base, ok: false, httpStatus: null, software: null, error: problem };
  }
}

/** Where a misplaced server well-known is often found, when the real one did not delegate (absent or failed). */
function elsewhereCandidates(resolution: ResolveResult, host: string, ctx: ProbeContext): { host: string; port: number; reason: WellKnownElsewhereProbe['reason'] }[] {
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
    .filter((e) => (e.step === '4' || e.step === '5') && e.status === 'taken' && Array.isArray(e.data?.['records']))
    .flatMap((e) => (e.data?.['records'] as { target?: unknown }[]).map((r) => (typeof r.target === 'string' ? r.target.toLowerCase() : '')))
    .filter((t) => t !== '' && t !== '.' && t !== host);
  for (const target of [...new Set(srvTargets)].slice(0, MAX_SRV_TARGET_CANDIDATES)) add(target, ctx.httpsPort, 'srv-target');
  return candidates;
}

async function probeWellKnownElsewhere(resolution: ResolveResult, host: string, ctx: ProbeContext): Promise<WellKnownElsewhereProbe[]> {
  const found = await Promise.all(
    elsewhereCandidates(resolution, host, ctx).map(async (c): Promise<WellKnownElsewhereProbe | null> => {
      try {
        const r = await fetchWellKnownServer(c.host, {
          dns: ctx.dns,
          policy: ctx.policy,
          port: c.port,
          timeoutMs: ctx.timeoutMs,
          ...(ctx.ca ? { ca: ctx.ca } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const url = `https://${c.host}${c.port === 443 ? '' : `:${c.port}`}${WELL_KNOWN_SERVER_PATH}`;
        return { url, host: c.host, port: c.port, reason: c.reason, status: r.status, mServer: r.mServer, detail: r.detail };
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
async function probeWellKnownBody(resolution: ResolveResult, host: string, ctx: ProbeContext): Promise<WellKnownBodyProbe | null> {
  if (resolution.wellKnown.status !== 'invalid') return null;
  try {
    const doc = await fetchWellKnownDocument(host, WELL_KNOWN_SERVER_PATH, {
      dns: ctx.dns,
      policy: ctx.policy,
      port: ctx.httpsPort,
      timeoutMs: ctx.timeoutMs,
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (doc.outcome !== 'response' || doc.body === null) return null;
    const body = doc.body;
    const hasBom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
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
  return [...text].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('').replace(/ {2,}/g, ' ');
}
