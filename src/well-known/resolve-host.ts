// The addresses one well-known hop may dial: an IP literal itself, else the host's lookup (AAAA then A), abortable.

import { isIP } from 'node:net';
import { lookupHostAddresses } from '../dns/host-addresses.js';
import type { DnsFailureCode, DnsResolver } from '../dns/types.js';
import { untilAborted } from '../net/abort.js';
import { WELL_KNOWN_ERROR_EN as SAY } from './well-known-error-texts.js';

/** The addresses of a host, or why there are none. */
export type HostLookup =
  | { readonly ok: true; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly code: DnsFailureCode; readonly message: string };

/**
 * Every address of `host`: an IP literal stands for itself (brackets removed); a name is looked up with
 * `lookupHostAddresses` (AAAA and A at once, every AAAA address first, as the resolver orders them). A DNS failure
 * of one family does not hide the other family's addresses. When neither family has addresses the more telling
 * failure is returned: a real error (SERVFAIL, timeout) over "no records".
 *
 * Rejects only when `signal` aborts (with its reason).
 */
export async function resolveHost(dns: DnsResolver, host: string, signal: AbortSignal): Promise<HostLookup> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return { ok: true, addresses: [bare] };
  const found = await untilAborted(lookupHostAddresses(dns, bare, signal), signal);
  if (found.addresses.length > 0) return { ok: true, addresses: found.addresses.map((a) => a.ip) };
  const telling = found.error ?? found.noRecordsAnswer;
  if (telling === null) return { ok: false, code: 'DNS_NODATA', message: SAY.noRecords({ host: bare }) };
  const said = { host: bare, code: telling.code, inner: telling.message };
  const message = found.error === null ? SAY.noRecordsBecause(said) : SAY.lookupFailed(said);
  return { ok: false, code: telling.code, message };
}
