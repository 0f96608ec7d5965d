// resolveServerName(): the server-server API's "Resolving server names", one block per spec step.

import type { ErrorCode } from '../errors.js';
import type { DnsFailureCode, SrvRecord } from '../dns/types.js';
import { isSrvUnavailable, orderSrvRecords } from '../dns/srv-order.js';
import { dnsCacheInfo } from '../dns/cache.js';
import { formatServerName, normalizeIp, parseServerName } from '../server-name/index.js';
import type { ServerName } from '../server-name/index.js';
import { lookupHostAddresses } from '../dns/host-addresses.js';
import type { HostAddresses } from '../dns/host-addresses.js';
import { serverNameArgument } from '../options/validate.js';
import { checkResolveOptions, normalizeResolveOptions } from './options.js';
import type { ResolverContext, ResolveSettings } from './options.js';
import { TraceRecorder } from './trace.js';
import { RESOLVE_ERROR_EN as SAY } from './resolve-error-texts.js';
import type { WellKnownAnswer } from '../well-known/types.js';
import type {
  AddressFacts,
  SrvFacts,
  SrvRecordFacts,
  ResolutionStep,
  ResolveOptions,
  ResolveResult,
  ResolvedTarget,
  StepTraceEntry,
  WellKnownOutcome,
} from './types.js';
import type { TraceEntryInput } from './trace.js';

/** The steps that ask DNS (all but step 3, the well-known fetch): their trace entries are {@link StepTraceEntry}. */
type LookupStep = StepTraceEntry['step'];

/** SRV records used at most per lookup (hardening against hostile zones; see srvStep). */
export const MAX_SRV_TARGETS = 32;
/** SRV targets whose addresses are looked up at the same time. */
const SRV_LOOKUP_CONCURRENCY = 8;

/** Maps `items` through `fn` with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The host, Host header and certificate name a group of targets shares. */
interface TargetNames {
  readonly step: ResolutionStep;
  readonly hostHeader: string;
  readonly tlsServerName: string;
  readonly sni: string | null;
}

/** A resolution that ended: the targets, or why there are none. */
interface Outcome {
  readonly targets: readonly ResolvedTarget[];
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

const SKIPPED_WELL_KNOWN = (detail: string): WellKnownOutcome => ({
  status: 'skipped',
  mServer: null,
  serverName: null,
  detail,
  code: null,
});

/**
 * Resolves a Matrix server name to the ordered list of targets to connect to, exactly as the spec's
 * "Resolving server names" says: IP literal (step 1), explicit port (2), `/.well-known/matrix/server` (3.1-3.5),
 * then SRV `_matrix-fed._tcp` (4), deprecated `_matrix._tcp` (5) and the host on 8448 (6).
 *
 * Each target carries the address to dial, the `Host` header, the name the certificate must match and the SNI.
 * Addresses the address policy denies are never contacted and never returned. Remote faults are reported in
 * the result (`error`, `trace`), never thrown; so is a string that is not a valid server name (`INVALID_SERVER_NAME`).
 * Only the caller's mistakes reject, with `MatrixDelegationError` `INVALID_ARGUMENT`: a `serverName` that is not a
 * string, or an unusable option (see `checkResolveOptions`); bad CIDRs reject with `INVALID_CIDR`.
 *
 * @example
 * ```ts
 * const result = await resolveServerName('example.com');
 * for (const t of result.targets) console.log(t.step, t.ip, t.port, t.hostHeader, t.tlsServerName);
 * ```
 */
export function resolveServerName(serverName: string, options: ResolveOptions = {}): Promise<ResolveResult> {
  // Caller mistakes reject before any other work: a non-string name, an unusable option.
  let settings: ResolveSettings;
  try {
    serverNameArgument(serverName);
    settings = checkResolveOptions(options);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  // A name resolved before, whose every answer is still valid in the cache: the memo's result is what the steps
  // below would produce again, without running them (see ResolverCache.recall).
  const cache = settings.options.cache;
  if (cache !== undefined) {
    const recalled = cache.recall(serverName, settings.defaultPort, settings.wellKnownPort);
    if (recalled !== undefined) return Promise.resolve(recalled);
  }
  return resolveSteps(serverName, settings);
}

/** Runs the steps (the memo had no valid result), and offers the result to the memo. */
async function resolveSteps(serverName: string, settings: ResolveSettings): Promise<ResolveResult> {
  const cache = settings.options.cache;
  const { defaultPort, wellKnownPort } = settings;
  const ctx = normalizeResolveOptions(settings);
  const trace = new TraceRecorder();
  try {
    const result = await resolveWith(serverName, ctx, trace);
    if (!ctx.signal.aborted) cache?.remember(serverName, defaultPort, wellKnownPort, result);
    return result;
  } finally {
    ctx.dispose();
  }
}

async function resolveWith(serverName: string, ctx: ResolverContext, trace: TraceRecorder): Promise<ResolveResult> {
  const parsed = parseServerName(serverName);
  if (!parsed.ok) {
    trace.note({ step: 'parse', status: 'failed', reason: parsed.error.message, code: 'INVALID_SERVER_NAME' });
    return {
      serverName,
      parsed: null,
      wellKnown: SKIPPED_WELL_KNOWN('the server name is invalid'),
      targets: [],
      trace: trace.entries,
      error: { code: 'INVALID_SERVER_NAME', message: parsed.error.message },
    };
  }
  const name = parsed.value;
  const done = (wellKnown: WellKnownOutcome, outcome: Outcome): ResolveResult => ({
    serverName,
    parsed: name,
    wellKnown,
    targets: outcome.targets,
    trace: trace.entries,
    error: outcome.error,
  });

  // Step 1: an IP literal is used as it is; the Host header is the server name as given.
  if (name.kind !== 'dns') {
    const ip = normalizeIp(name.host, name.kind);
    const port = name.port ?? ctx.defaultPort;
    const reason = `${formatServerName(name)} is an IP literal: connect to ${hostPort(ip, port)}, no SNI, the certificate must name ${ip}`;
    trace.note({ step: '1', status: 'taken', reason });
    skipRest(trace, ['2', '3', '4', '5', '6'], 'the server name is an IP literal (step 1)');
    const names = { step: '1' as const, hostHeader: formatServerName(name), tlsServerName: ip, sni: null };
    return done(
      SKIPPED_WELL_KNOWN('the server name is an IP literal'),
      finish(ipTargets(ctx, trace, ip, port, names), trace),
    );
  }
  trace.note({ step: '1', status: 'skipped', reason: `${name.host} is not an IP literal` });

  // Step 2: an explicit port means no delegation at all: the host's own addresses on that port.
  if (name.port !== undefined) {
    trace.note({
      step: '2',
      status: 'taken',
      reason: `${formatServerName(name)} has an explicit port: no well-known, no SRV`,
    });
    skipRest(trace, ['3', '4', '5', '6'], 'the server name has an explicit port (step 2)');
    const names = hostNames('2', name.host, formatServerName(name));
    const outcome = await hostTargets(ctx, trace, '2', name.host, name.port, names);
    return done(SKIPPED_WELL_KNOWN('the server name has an explicit port'), finish(outcome, trace));
  }
  trace.note({ step: '2', status: 'skipped', reason: 'no explicit port in the server name' });

  // Step 3: GET https://<hostname>/.well-known/matrix/server (port 443), one level of delegation only.
  const wellKnown = await wellKnownStep(ctx, trace, name.host);
  if (wellKnown.aborted !== null) {
    // The budget ran out (or the caller gave up) during the fetch: nothing after it can be asked any more.
    skipRest(trace, ['4', '5', '6'], 'the resolution was stopped during the well-known fetch (step 3)');
    return done(wellKnown.outcome, { targets: [], error: wellKnown.aborted });
  }
  if (wellKnown.delegated !== null) {
    const outcome = await delegatedSteps(ctx, trace, wellKnown.delegated);
    skipRest(trace, ['4', '5', '6'], 'the well-known delegation decided the target (step 3)');
    return done(wellKnown.outcome, finish(outcome, trace));
  }

  // Steps 4 to 6: no usable delegation; SRV on the server name's own host, then the host on 8448.
  return done(wellKnown.outcome, finish(await srvThenHost(ctx, trace, name.host, ['4', '5', '6']), trace));
}

/** Step 3: the well-known fetch, and what it delegates to (null when it does not delegate). */
async function wellKnownStep(
  ctx: ResolverContext,
  trace: TraceRecorder,
  host: string,
): Promise<{ outcome: WellKnownOutcome; delegated: ServerName | null; aborted: Outcome['error'] }> {
  const end = trace.begin();
  const query = `https://${host}${ctx.wellKnownPort === 443 ? '' : `:${ctx.wellKnownPort}`}/.well-known/matrix/server`;
  // Overlapping lookups: steps 4 to 6 do not depend on the well-known's answer, only on whether it delegates, so
  // their questions are asked during the fetch; the answers are used only if it does not delegate.
  const cancelPrefetch = ctx.overlap?.prefetchSrvChain(host);
  let lookup: WellKnownAnswer;
  try {
    lookup = await ctx.fetchWellKnown(host, { signal: ctx.signal });
  } catch (error) {
    // A fetch rejects only when its signal aborts: this resolution's budget ran out, or its caller aborted. That
    // is reported in the result (TIMEOUT), like every other way a resolution ends; anything else is a defect.
    if (!ctx.signal.aborted) throw error;
    cancelPrefetch?.();
    const message = SAY.wellKnownStopped({ inner: abortMessage(ctx.signal.reason) });
    end({ step: '3', status: 'failed', reason: message, query, code: 'TIMEOUT' });
    const outcome: WellKnownOutcome = {
      status: 'error',
      mServer: null,
      serverName: null,
      detail: message,
      code: 'TIMEOUT',
    };
    return { outcome, delegated: null, aborted: { code: 'TIMEOUT', message } };
  }
  const cached = lookup.cache ? { cache: lookup.cache } : {};
  // The well-known parser parsed m.server (`serverName`): a delegation without a parsed server name is invalid.
  const claimsDelegation = lookup.status === 'delegated' && lookup.mServer !== null;
  const delegated = claimsDelegation ? (lookup.serverName ?? null) : null;
  if (delegated !== null) {
    cancelPrefetch?.();
    const reason = `${query} delegates to ${lookup.mServer}`;
    end({ step: '3', status: 'taken', reason, query, ...(lookup.data ? { data: lookup.data } : {}), ...cached });
    const outcome: WellKnownOutcome = {
      status: 'delegated',
      mServer: lookup.mServer,
      serverName: delegated,
      detail: lookup.detail,
      code: lookup.code,
    };
    return { outcome, delegated, aborted: null };
  }
  const reason = `no delegation: ${lookup.detail}; going on with step 4`;
  const outcome: WellKnownOutcome = {
    status: lookup.status,
    mServer: lookup.mServer,
    serverName: null,
    detail: lookup.detail,
    code: lookup.code,
  };
  const failure: WellKnownOutcome = claimsDelegation
    ? { ...outcome, status: 'invalid', code: 'WELL_KNOWN_INVALID_M_SERVER' }
    : outcome;
  end({
    step: '3',
    status: 'failed',
    reason,
    query,
    ...(failure.code ? { code: failure.code } : {}),
    ...(lookup.data ? { data: lookup.data } : {}),
    ...cached,
  });
  return { outcome: failure, delegated: null, aborted: null };
}

/** The words of an abort reason (the resolver's own budget aborts with an Error naming the budget). */
function abortMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : 'the resolution was aborted';
}

/** Steps 3.1 to 3.5: what the delegated `m.server` value leads to. */
async function delegatedSteps(ctx: ResolverContext, trace: TraceRecorder, delegated: ServerName): Promise<Outcome> {
  // 3.1: the delegated host is an IP literal: that IP, the delegated port or 8448; Host is the IP (with port if given).
  if (delegated.kind !== 'dns') {
    const ip = normalizeIp(delegated.host, delegated.kind);
    const port = delegated.port ?? ctx.defaultPort;
    trace.note({
      step: '3.1',
      status: 'taken',
      reason: `m.server is the IP literal ${formatServerName(delegated)}: connect to ${hostPort(ip, port)}`,
    });
    skipRest(trace, ['3.2', '3.3', '3.4', '3.5'], 'm.server is an IP literal (step 3.1)');
    return ipTargets(ctx, trace, ip, port, {
      step: '3.1',
      hostHeader: formatServerName(delegated),
      tlsServerName: ip,
      sni: null,
    });
  }
  trace.note({ step: '3.1', status: 'skipped', reason: `m.server host ${delegated.host} is not an IP literal` });

  // 3.2: delegated host with a port: its addresses on that port; Host is host:port; certificate for the host.
  if (delegated.port !== undefined) {
    trace.note({
      step: '3.2',
      status: 'taken',
      reason: `m.server ${formatServerName(delegated)} has a port: no SRV lookup`,
    });
    skipRest(trace, ['3.3', '3.4', '3.5'], 'm.server has an explicit port (step 3.2)');
    return hostTargets(
      ctx,
      trace,
      '3.2',
      delegated.host,
      delegated.port,
      hostNames('3.2', delegated.host, formatServerName(delegated)),
    );
  }
  trace.note({ step: '3.2', status: 'skipped', reason: `m.server ${delegated.host} has no port` });

  // 3.3 to 3.5: SRV on the delegated host, then the delegated host on 8448.
  return srvThenHost(ctx, trace, delegated.host, ['3.3', '3.4', '3.5']);
}

/**
 * The SRV chain shared by steps 3.3-3.5 and 4-6: `_matrix-fed._tcp.<host>`, then (only if it has no records)
 * the deprecated `_matrix._tcp.<host>`, then `<host>` on 8448. Host header and certificate name are `host`
 * in all three: never the SRV target, never with the SRV port.
 */
async function srvThenHost(
  ctx: ResolverContext,
  trace: TraceRecorder,
  host: string,
  [fedStep, legacyStep, plainStep]: readonly [LookupStep, LookupStep, LookupStep],
): Promise<Outcome> {
  // Overlapping lookups: ask _matrix-fed, _matrix and the host's addresses together; the loop below still reads
  // them in the spec's order (already asked during the well-known fetch for steps 4-6).
  ctx.overlap?.prefetchSrvChain(host);
  for (const [step, service] of [
    [fedStep, '_matrix-fed._tcp'],
    [legacyStep, '_matrix._tcp'],
  ] as const) {
    const result = await srvStep(ctx, trace, step, `${service}.${host}`, host);
    if (result !== 'no-records') {
      const later = step === fedStep ? [legacyStep, plainStep] : [plainStep];
      skipRest(trace, later, `${service}.${host} has SRV records (step ${step})`);
      return result;
    }
  }
  trace.note({
    step: plainStep,
    status: 'taken',
    reason: `no SRV records: connect to ${host} on port ${ctx.defaultPort}`,
  });
  return hostTargets(ctx, trace, plainStep, host, ctx.defaultPort, hostNames(plainStep, host, host));
}

/** One SRV step: the records' targets and ports, or 'no-records' to go on to the next step. */
async function srvStep(
  ctx: ResolverContext,
  trace: TraceRecorder,
  step: LookupStep,
  srvName: string,
  host: string,
): Promise<Outcome | 'no-records'> {
  const end = trace.begin();
  const answer = await ctx.dns.resolveSrv(srvName, { signal: ctx.signal });
  const info = dnsCacheInfo(answer);
  const cached = info ? { cache: info } : {};
  if (!answer.ok) {
    if (answer.code === 'DNS_NXDOMAIN' || answer.code === 'DNS_NODATA') {
      end({
        step,
        status: 'empty',
        reason: `no SRV records at ${srvName} (${dnsWords(answer.code)})`,
        query: srvName,
        code: answer.code,
        ...cached,
      });
      return 'no-records';
    }
    // A DNS failure is not "no records": going on would pick a different server than a working DNS would.
    const message = SAY.srvLookupFailed({ srvName, inner: answer.message });
    end({ step, status: 'failed', reason: message, query: srvName, code: answer.code, ...cached });
    return { targets: [], error: { code: answer.code, message } };
  }
  const records = answer.records;
  const data: SrvFacts = {
    records: records.map(srvData),
    cnameChain: answer.cnameChain,
    ttlSeconds: answer.ttlSeconds,
  };
  // RFC 2782: a single record with target "." means the service is decidedly not available: no fallback.
  if (isSrvUnavailable(records)) {
    const message = SAY.srvUnavailable({ srvName });
    end({ step, status: 'failed', reason: message, query: srvName, code: 'SRV_UNAVAILABLE', data, ...cached });
    return { targets: [], error: { code: 'SRV_UNAVAILABLE', message } };
  }
  // Hardening, not spec: a hostile zone can publish thousands of records; only the first MAX_SRV_TARGETS in
  // RFC 2782 order are used, and their addresses are asked a few at a time (no burst at the recursive resolver).
  const ordered = orderSrvRecords(
    records.filter((r) => r.target !== '.'),
    ctx.random,
  ).slice(0, MAX_SRV_TARGETS);
  const capped =
    records.length > MAX_SRV_TARGETS ? ` (only the first ${MAX_SRV_TARGETS} in RFC 2782 order are used)` : '';
  end({
    step,
    status: 'taken',
    reason: `${srvName} has ${records.length} SRV record(s)${capped}: connect to their targets, Host and certificate ${host}`,
    query: srvName,
    data,
    ...cached,
  });
  const lookups = await mapLimit(ordered, SRV_LOOKUP_CONCURRENCY, (r) =>
    lookupHostAddresses(ctx.dns, r.target, ctx.signal),
  );
  const targets: ResolvedTarget[] = [];
  ordered.forEach((record, i) => {
    const found = lookups[i];
    if (found === undefined) return;
    recordAddressLookup(trace, step, found.host, found);
    const srv = { name: srvName, priority: record.priority, weight: record.weight, target: record.target };
    targets.push(
      ...allowed(ctx, trace, step, found.addresses, record.port, hostNames(step, host, host), record.target, srv),
    );
  });
  return { targets, error: null };
}

/** Targets for a host name's every address on one port (steps 2, 3.2, 3.5, 6). */
async function hostTargets(
  ctx: ResolverContext,
  trace: TraceRecorder,
  step: LookupStep,
  host: string,
  port: number,
  names: TargetNames,
): Promise<Outcome> {
  const end = trace.begin();
  const found = await lookupHostAddresses(ctx.dns, host, ctx.signal);
  end(addressEntry(step, host, found));
  const targets = allowed(ctx, trace, step, found.addresses, port, names, host, null);
  if (targets.length === 0 && found.error !== null) {
    return {
      targets,
      error: { code: found.error.code, message: SAY.addressLookupFailed({ host, inner: found.error.message }) },
    };
  }
  return { targets, error: null };
}

/** The single target of an IP literal (steps 1 and 3.1), unless the policy denies it. */
function ipTargets(ctx: ResolverContext, trace: TraceRecorder, ip: string, port: number, names: TargetNames): Outcome {
  const family = ip.includes(':') ? 6 : 4;
  return { targets: allowed(ctx, trace, names.step, [{ ip, family }], port, names, null, null), error: null };
}

/** Applies the address policy; denied addresses go to the trace and never into the targets. */
function allowed(
  ctx: ResolverContext,
  trace: TraceRecorder,
  step: ResolutionStep,
  addresses: readonly { readonly ip: string; readonly family: 4 | 6 }[],
  port: number,
  names: TargetNames,
  addressOf: string | null,
  srv: ResolvedTarget['srv'],
): ResolvedTarget[] {
  const out: ResolvedTarget[] = [];
  for (const { ip } of addresses) {
    const verdict = ctx.policy.check(ip);
    if (!verdict.allowed) {
      trace.note({
        step: 'policy',
        status: 'failed',
        reason: `${ip} (step ${step}) not contacted: ${verdict.reason}`,
        code: 'ADDRESS_DENIED',
        data: { ip, range: verdict.range },
      });
      continue;
    }
    out.push({
      step,
      ip,
      port,
      hostHeader: names.hostHeader,
      tlsServerName: names.tlsServerName,
      sni: names.sni,
      addressOf,
      srv,
    });
  }
  return out;
}

/** Turns an outcome with no targets and no error into ADDRESS_DENIED (all denied) or NO_TARGETS. */
function finish(outcome: Outcome, trace: TraceRecorder): Outcome {
  if (outcome.targets.length > 0 || outcome.error !== null) return outcome;
  // The addresses the policy refused (its own trace entries), each once: other steps may carry ADDRESS_DENIED too
  // (a well-known whose host is denied), but they name no address of a target.
  const denied = [...new Set(trace.entries.flatMap((e) => (e.step === 'policy' ? [e.data.ip] : [])))];
  if (denied.length > 0) {
    const message = SAY.denied({ addresses: denied.join(', ') });
    return { targets: [], error: { code: 'ADDRESS_DENIED', message } };
  }
  return { targets: [], error: { code: 'NO_TARGETS', message: SAY.noTargets } };
}

function hostNames(step: ResolutionStep, host: string, hostHeader: string): TargetNames {
  const lower = host.toLowerCase();
  return { step, hostHeader, tlsServerName: lower, sni: lower };
}

function skipRest(trace: TraceRecorder, steps: readonly ResolutionStep[], reason: string): void {
  for (const step of steps) trace.note({ step, status: 'skipped', reason });
}

function recordAddressLookup(trace: TraceRecorder, step: LookupStep, host: string, found: HostAddresses): void {
  trace.note(addressEntry(step, host, found));
}

function addressEntry(step: LookupStep, host: string, found: HostAddresses): TraceEntryInput<StepTraceEntry> {
  const ips = found.addresses.map((a) => a.ip);
  const via = found.cnameChain.length > 0 ? ` (via CNAME ${found.cnameChain.join(' -> ')})` : '';
  const status = ips.length > 0 ? ('taken' as const) : found.error ? ('failed' as const) : ('empty' as const);
  const reason =
    ips.length > 0
      ? `${host}${via} has address(es) ${ips.join(', ')}${found.error ? ` (and a DNS error: ${found.error.message})` : ''}`
      : found.error
        ? SAY.addressLookupFailed({ host, inner: found.error.message })
        : `${host}${via} has no AAAA or A records`;
  return {
    step,
    status,
    reason,
    query: host,
    ...(found.error ? { code: found.error.code } : {}),
    data: { addresses: ips, cnameChain: found.cnameChain } satisfies AddressFacts,
    ...(found.cache ? { cache: found.cache } : {}),
  };
}

function srvData(r: SrvRecord): SrvRecordFacts {
  return { priority: r.priority, weight: r.weight, port: r.port, target: r.target };
}

function dnsWords(code: DnsFailureCode): string {
  return code === 'DNS_NXDOMAIN' ? 'NXDOMAIN' : code === 'DNS_NODATA' ? 'no records of that type' : code;
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
