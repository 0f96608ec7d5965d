// SRV records written under the names DNS panels make by mistake: the zone twice, _udp, a misspelt service label.

import type { SrvMistake, SrvMistakeProbe } from '../check-report/index.js';
import type { ResolveResult } from '../resolver/types.js';
import { isSrvLookup } from '../resolver/trace-facts.js';
import { rethrowIfAborted, withOperationSignal } from './abort.js';
import type { CheckTransport, FetchContext } from './context.js';

/** One misnamed SRV name to ask, and the name it was meant to be. */
export interface SrvMistakeName {
  readonly name: string;
  readonly intended: string;
  readonly mistake: SrvMistake;
}

/**
 * The zones `host` may have been entered in: the host itself (a zone of its own, or a record at the apex) and its
 * last two labels (the registrable domain of most names); its last three too when the host is longer (`co.uk`-style
 * suffixes). A panel that appends the zone to a name that already ends with it makes `<name>.<zone>`.
 */
export function candidateZones(host: string): string[] {
  const labels = host.split('.');
  const zones = [host];
  for (const n of [2, 3]) if (labels.length > n) zones.push(labels.slice(-n).join('.'));
  return [...new Set(zones)];
}

/**
 * The misnamed SRV names to ask for `host`, at most six: `_matrix-fed._tcp.<host>.<zone>` for each candidate zone
 * (at most two), `_matrix._tcp.<host>.<host>`, `_matrix-fed._udp.<host>` (the protocol field set to UDP), and the
 * service misspelt as `_matrix_fed` or `_matrix-federation`.
 *
 * @example
 * ```ts
 * srvMistakeNames('example.com').map((m) => m.name);
 * // ['_matrix-fed._tcp.example.com.example.com', '_matrix._tcp.example.com.example.com', '_matrix-fed._udp.example.com', ...]
 * ```
 */
export function srvMistakeNames(host: string): SrvMistakeName[] {
  const fed = `_matrix-fed._tcp.${host}`;
  const legacy = `_matrix._tcp.${host}`;
  const zoneTwice = candidateZones(host)
    .slice(0, 2)
    .map((zone): SrvMistakeName => ({ name: `${fed}.${zone}`, intended: fed, mistake: 'zone-repeated' }));
  const names: SrvMistakeName[] = [
    ...zoneTwice,
    { name: `${legacy}.${host}`, intended: legacy, mistake: 'zone-repeated' },
    { name: `_matrix-fed._udp.${host}`, intended: fed, mistake: 'wrong-protocol' },
    { name: `_matrix_fed._tcp.${host}`, intended: fed, mistake: 'wrong-service' },
    { name: `_matrix-federation._tcp.${host}`, intended: fed, mistake: 'wrong-service' },
  ];
  return names.slice(0, 6);
}

/** SRV steps whose records count as "a usable SRV was found" for a host. */
const SRV_FOUND_STEPS: ReadonlySet<string> = new Set(['3.3', '3.4', '4', '5']);

/**
 * The hosts whose SRV records should be looked for under misnamed names: the server name's host when no delegating
 * well-known and no SRV record was found for it, and the host `m.server` names without a port when it has no SRV
 * record either. Empty when resolution found what it looked for.
 */
export function srvMistakeHosts(resolution: ResolveResult, host: string): string[] {
  const found = resolution.trace.some(
    (e) => SRV_FOUND_STEPS.has(e.step) && (isSrvLookup(e) || e.code === 'SRV_UNAVAILABLE'),
  );
  if (found) return [];
  const wk = resolution.wellKnown;
  if (wk.status !== 'delegated') return [host];
  const d = wk.serverName;
  if (d === null || d.kind !== 'dns' || d.port !== undefined) return [];
  return [d.host.toLowerCase()];
}

/**
 * The parent of a DNS name (the name without its first label). Two misnamed names of one host share a parent
 * (`_tcp.<host>` for the misspelt services, `_tcp.<host>.<host>` for the zone written twice): when that parent does not
 * exist, neither do they (RFC 8020: NXDOMAIN means nothing exists below the name), so one question answers for both.
 */
function parentName(name: string): string {
  return name.slice(name.indexOf('.') + 1);
}

/**
 * Asks the misnamed SRV names of {@link srvMistakeNames} for each host of {@link srvMistakeHosts}, through the check's
 * DNS resolver and limits: each name alone under its parent directly, and for two or more names under one parent the
 * parent first, then the names only when it exists (NXDOMAIN for the parent is NXDOMAIN for them, RFC 8020: the same
 * report, in four questions instead of six for a host with no such records). Never throws for remote faults; rejects
 * when the caller aborts.
 */
export async function probeSrvMistakes(
  resolution: ResolveResult,
  host: string,
  ctx: FetchContext,
  transport: CheckTransport,
): Promise<SrvMistakeProbe[]> {
  const questions = srvMistakeHosts(resolution, host).flatMap((h) =>
    srvMistakeNames(h).map((m) => ({ host: h, ...m })),
  );
  if (questions.length === 0) return [];
  const byParent = new Map<string, number>();
  for (const q of questions) byParent.set(parentName(q.name), (byParent.get(parentName(q.name)) ?? 0) + 1);
  // One operation for all of them: asked at once (each shared parent before its names), with one limit.
  const answers = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) => {
    const parents = new Map<string, Promise<boolean>>();
    /** False when the parent of `name` is known not to exist (then neither does `name`). */
    const parentMayExist = (name: string): Promise<boolean> => {
      const parent = parentName(name);
      if ((byParent.get(parent) ?? 0) < 2) return Promise.resolve(true);
      let exists = parents.get(parent);
      if (exists === undefined) {
        // Only NXDOMAIN says "nothing below": NODATA (an empty non-terminal), records or a failure leave the names to ask.
        exists = ctx.dns.resolveSrv(parent, { signal }).then((a) => a.ok || a.code !== 'DNS_NXDOMAIN');
        parents.set(parent, exists);
      }
      return exists;
    };
    return Promise.all(
      questions.map(async (q) => ((await parentMayExist(q.name)) ? ctx.dns.resolveSrv(q.name, { signal }) : null)),
    );
  });
  rethrowIfAborted(ctx.signal);
  return questions.map((q, i): SrvMistakeProbe => {
    const answer = answers[i];
    // A name under a parent that does not exist: what asking it would have answered (NXDOMAIN, no records).
    if (answer === null || answer === undefined) return { ...q, records: [], error: null };
    if (answer.ok) return { ...q, records: answer.records, error: null };
    const noRecords = answer.code === 'DNS_NXDOMAIN' || answer.code === 'DNS_NODATA';
    return { ...q, records: [], error: noRecords ? null : { code: answer.code, message: answer.message } };
  });
}
