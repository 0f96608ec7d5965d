// An in-memory DnsResolver for unit tests: a name table answered like a real recursive server would.

import type { DnsAnswer, DnsFailureCode, DnsResolver, DnsQueryOptions, SrvRecord } from './types.js';

/** What the in-memory DNS knows about one name. */
export interface MemoryDnsEntry {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  /** An alias: every question for this name follows it (a name with a CNAME has no other records). */
  readonly CNAME?: string;
  readonly SRV?: readonly SrvRecord[];
  /** Answer every question for this name with DNS_SERVFAIL. */
  readonly servfail?: boolean;
  /** Answer every question for this name with DNS_TIMEOUT (at once: unit tests should not wait). */
  readonly timeout?: boolean;
  /** TTL of this name's records, seconds (default {@link MEMORY_DNS_DEFAULT_TTL}). */
  readonly ttl?: number;
}

/** Names (case-insensitive, trailing dot optional) to their records. */
export type MemoryDnsTable = Readonly<Record<string, MemoryDnsEntry>>;

/** One question the in-memory DNS was asked. */
export interface MemoryDnsQuery {
  /** The name asked (lowercase, no trailing dot); CNAME targets followed are not listed separately. */
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'SRV';
}

/** An in-memory {@link DnsResolver} that also records the questions it was asked. */
export interface MemoryDns extends DnsResolver {
  /** Every question asked so far, in order. */
  readonly queries: readonly MemoryDnsQuery[];
}

/** TTL used when an entry sets none. */
export const MEMORY_DNS_DEFAULT_TTL = 300;
/** Negative-caching TTL reported with NXDOMAIN and NODATA, as if from a zone's SOA. */
export const MEMORY_DNS_NEGATIVE_TTL = 60;
/** CNAMEs followed before reporting DNS_CNAME_LOOP (same default as the packet client). */
const MAX_CNAME_HOPS = 8;

/**
 * Creates an in-memory DNS for tests of the resolver and checker.
 *
 * Behaves like a real server: a name absent from the table is NXDOMAIN, unless it is an ancestor of a name
 * in the table (an "empty non-terminal" such as `_tcp.example.com`), which is NODATA, as is a name that
 * exists without records of the asked type. CNAMEs are followed (recorded in `cnameChain`), loops and
 * chains longer than 8 answer DNS_CNAME_LOOP. An already aborted `signal` answers DNS_TIMEOUT.
 *
 * @example
 * ```ts
 * const dns = createMemoryDns({
 *   '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8448, target: 'matrix.example.com' }] },
 *   'matrix.example.com': { A: ['192.0.2.1'] },
 * });
 * await dns.resolve4('matrix.example.com'); // { ok: true, records: ['192.0.2.1'], cnameChain: [], ttlSeconds: 300 }
 * ```
 */
export function createMemoryDns(table: MemoryDnsTable): MemoryDns {
  const entries = new Map<string, MemoryDnsEntry>();
  for (const [name, entry] of Object.entries(table)) entries.set(normalizeName(name), entry);
  const queries: MemoryDnsQuery[] = [];

  const exists = (name: string): boolean => {
    if (entries.has(name)) return true;
    for (const known of entries.keys()) if (known.endsWith(`.${name}`)) return true;
    return false;
  };

  function lookup<T>(
    rawName: string,
    type: MemoryDnsQuery['type'],
    pick: (entry: MemoryDnsEntry) => readonly T[] | undefined,
    options: DnsQueryOptions | undefined,
  ): Promise<DnsAnswer<T>> {
    const asked = normalizeName(rawName);
    queries.push({ name: asked, type });
    const chain: string[] = [];
    const fail = (code: DnsFailureCode, message: string, ttlSeconds?: number): DnsAnswer<T> =>
      ttlSeconds === undefined
        ? { ok: false, code, message, cnameChain: chain }
        : { ok: false, code, message, cnameChain: chain, ttlSeconds };

    if (options?.signal?.aborted === true) return Promise.resolve(fail('DNS_TIMEOUT', 'DNS query aborted'));
    let name = asked;
    let ttl = Number.POSITIVE_INFINITY;
    const seen = new Set([name]);
    while (true) {
      const entry = entries.get(name);
      if (entry === undefined) {
        const code = exists(name) ? 'DNS_NODATA' : 'DNS_NXDOMAIN';
        return Promise.resolve(
          fail(
            code,
            `${code === 'DNS_NXDOMAIN' ? 'NXDOMAIN' : 'no data'} for ${name} ${type}`,
            MEMORY_DNS_NEGATIVE_TTL,
          ),
        );
      }
      if (entry.timeout === true) return Promise.resolve(fail('DNS_TIMEOUT', `timeout for ${name} ${type}`));
      if (entry.servfail === true) return Promise.resolve(fail('DNS_SERVFAIL', `SERVFAIL for ${name} ${type}`));
      const entryTtl = entry.ttl ?? MEMORY_DNS_DEFAULT_TTL;
      if (entry.CNAME !== undefined) {
        const target = normalizeName(entry.CNAME);
        if (seen.has(target) || chain.length >= MAX_CNAME_HOPS) {
          return Promise.resolve(fail('DNS_CNAME_LOOP', `CNAME loop or chain too long at ${name} -> ${target}`));
        }
        seen.add(target);
        chain.push(target);
        ttl = Math.min(ttl, entryTtl);
        name = target;
        continue;
      }
      const records = pick(entry);
      if (records === undefined || records.length === 0) {
        return Promise.resolve(fail('DNS_NODATA', `no data for ${name} ${type}`, MEMORY_DNS_NEGATIVE_TTL));
      }
      return Promise.resolve({
        ok: true,
        records: [...records],
        cnameChain: chain,
        ttlSeconds: Math.min(ttl, entryTtl),
      });
    }
  }

  return {
    queries,
    resolve4: (name, options) => lookup(name, 'A', (e) => e.A, options),
    resolve6: (name, options) => lookup(name, 'AAAA', (e) => e.AAAA, options),
    resolveSrv: (name, options) =>
      lookup(name, 'SRV', (e) => e.SRV?.map((r) => ({ ...r, target: normalizeTarget(r.target) })), options),
  };
}

function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') && lower.length > 1 ? lower.slice(0, -1) : lower;
}

/** SRV targets as the packet client returns them: lowercase, no trailing dot, "." for the root. */
function normalizeTarget(target: string): string {
  return target === '' || target === '.' ? '.' : normalizeName(target);
}
