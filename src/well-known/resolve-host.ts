// Looks up the addresses of one well-known hop's host through the DNS resolver (AAAA then A), honouring an abort signal.

import { isIP } from 'node:net';
import type { DnsAnswer, DnsFailureCode, DnsResolver } from '../dns/types.js';
import { untilAborted } from '../net/abort.js';

/** The addresses of a host, or why there are none. */
export type HostLookup =
  | { readonly ok: true; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly code: DnsFailureCode; readonly message: string };

const NO_RECORDS: readonly DnsFailureCode[] = ['DNS_NXDOMAIN', 'DNS_NODATA'];

/**
 * Every address of `host`: an IP literal stands for itself (brackets removed); a name is asked for AAAA and A at
 * once, IPv6 first (RFC 6724 prefers it). A DNS failure of one family does not hide the other family's
 * addresses. When neither family has addresses the more telling failure is returned: a real error (SERVFAIL,
 * timeout) over "no records".
 *
 * Rejects only when `signal` aborts (with its reason).
 */
export async function resolveHost(dns: DnsResolver, host: string, signal: AbortSignal): Promise<HostLookup> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return { ok: true, addresses: [bare] };
  const [v6, v4] = await untilAborted(Promise.all([dns.resolve6(bare, { signal }), dns.resolve4(bare, { signal })]), signal);
  const addresses = [...(v6.ok ? v6.records : []), ...(v4.ok ? v4.records : [])];
  if (addresses.length > 0) return { ok: true, addresses };
  const failures = [v6, v4].filter((a): a is Extract<DnsAnswer<string>, { ok: false }> => !a.ok);
  const telling = failures.find((f) => !NO_RECORDS.includes(f.code)) ?? failures[0];
  if (telling === undefined) return { ok: false, code: 'DNS_NODATA', message: `${bare} has no AAAA or A records` };
  const what = NO_RECORDS.includes(telling.code) ? `${bare} has no AAAA or A records` : `looking up ${bare} failed`;
  return { ok: false, code: telling.code, message: `${what} (${telling.code}: ${telling.message})` };
}
