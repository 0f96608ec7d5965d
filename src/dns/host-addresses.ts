// Every AAAA and A address of a host name through a DNS resolver, CNAMEs followed: the one host lookup of the project.

import type { CacheAnswerInfo } from '../cache/types.js';
import { normalizeIp } from '../server-name/index.js';
import { dnsCacheInfo } from './cache.js';
import type { DnsAnswer, DnsFailureCode, DnsResolver } from './types.js';

/** Every address of one host name, IPv6 first (RFC 6724 prefers IPv6 when both work). */
export interface HostAddresses {
  readonly host: string;
  /** AAAA addresses then A addresses, in answer order. */
  readonly addresses: readonly { readonly ip: string; readonly family: 4 | 6 }[];
  /** CNAMEs followed (from whichever of the two questions saw them). */
  readonly cnameChain: readonly string[];
  /** A real DNS error (not NXDOMAIN / NODATA) on either question, or null. */
  readonly error: { readonly code: DnsFailureCode; readonly message: string } | null;
  /** True when both questions said "no such name / no records". */
  readonly noRecords: boolean;
  /** The first "no such name / no records" answer (AAAA first), or null: what to report when there is no address and no error. */
  readonly noRecordsAnswer: { readonly code: DnsFailureCode; readonly message: string } | null;
  /** How the two answers went through a cache, combined (see {@link combineCacheInfo}); absent without a cache. */
  readonly cache?: CacheAnswerInfo;
}

/**
 * One cache account for the AAAA and A answers of a host: a hit only when both were; the older age and storage
 * time; the earlier validity (absent when either was not stored); stale when either was.
 */
export function combineCacheInfo(
  a: CacheAnswerInfo | undefined,
  b: CacheAnswerInfo | undefined,
): CacheAnswerInfo | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const stored =
    a.storedAt !== undefined && b.storedAt !== undefined ? { storedAt: Math.min(a.storedAt, b.storedAt) } : {};
  const valid =
    a.validUntil !== undefined && b.validUntil !== undefined
      ? { validUntil: Math.min(a.validUntil, b.validUntil) }
      : {};
  return {
    hit: a.hit && b.hit,
    ageMs: Math.max(a.ageMs, b.ageMs),
    ...stored,
    ...valid,
    ...(a.stale || b.stale ? { stale: true as const } : {}),
  };
}

const NO_RECORDS: readonly DnsFailureCode[] = ['DNS_NXDOMAIN', 'DNS_NODATA'];

function records(answer: DnsAnswer<string>): readonly string[] {
  return answer.ok ? answer.records : [];
}

function failure(answer: DnsAnswer<string>): { code: DnsFailureCode; message: string } | null {
  if (answer.ok || NO_RECORDS.includes(answer.code)) return null;
  return { code: answer.code, message: answer.message };
}

function noRecordsFailure(answer: DnsAnswer<string>): { code: DnsFailureCode; message: string } | null {
  if (answer.ok || !NO_RECORDS.includes(answer.code)) return null;
  return { code: answer.code, message: answer.message };
}

/**
 * Asks AAAA and A for `host` at once: every AAAA address, then every A address (RFC 6724 prefers IPv6;
 * CONTRIBUTING.md, Decisions), each in one text form. A DNS error on one family does not hide the other family's
 * addresses: the error is reported alongside them. Used by the resolver's steps, every hop of the well-known fetch,
 * the checker and the planner, so that they all see a host's addresses alike.
 *
 * @example
 * ```ts
 * const found = await lookupHostAddresses(createDnsClient(), 'matrix.example.org', AbortSignal.timeout(5000));
 * console.log(found.addresses.map((a) => a.ip), found.error?.code);
 * ```
 */
export async function lookupHostAddresses(dns: DnsResolver, host: string, signal: AbortSignal): Promise<HostAddresses> {
  const [v6, v4] = await Promise.all([dns.resolve6(host, { signal }), dns.resolve4(host, { signal })]);
  const addresses = [
    // One text form per address (RFC 5952, as Node prints it), whatever form the DNS answer decoded to.
    ...records(v6).map((ip) => ({ ip: normalizeIp(ip, 'ipv6'), family: 6 as const })),
    ...records(v4).map((ip) => ({ ip, family: 4 as const })),
  ];
  const chain = v6.cnameChain.length >= v4.cnameChain.length ? v6.cnameChain : v4.cnameChain;
  const error = failure(v6) ?? failure(v4);
  const noRecords = !v6.ok && !v4.ok && NO_RECORDS.includes(v6.code) && NO_RECORDS.includes(v4.code);
  const noRecordsAnswer = noRecordsFailure(v6) ?? noRecordsFailure(v4);
  const cache = combineCacheInfo(dnsCacheInfo(v6), dnsCacheInfo(v4));
  return { host, addresses, cnameChain: chain, error, noRecords, noRecordsAnswer, ...(cache ? { cache } : {}) };
}
