// Rules about DNS answers: no addresses, failing lookups, private addresses, IPv6 only.

import type { TraceEntry } from '../../resolver/types.js';
import { isAddressLookup } from '../../resolver/trace-facts.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { list } from '../text.js';
import { zoneAppendedTargets } from './field-srv.js';

const DNS_ERRORS: ReadonlySet<string> = new Set(['DNS_SERVFAIL', 'DNS_TIMEOUT', 'DNS_ERROR', 'DNS_CNAME_LOOP']);

/** Address-lookup entries of the trace: a host name and the addresses it had. */
function addressEntries(facts: Facts): { entry: TraceEntry; host: string; addresses: string[] }[] {
  return facts.input.resolution.trace
    .filter(isAddressLookup)
    .filter((e) => e.query !== undefined)
    .map((entry) => ({ entry, host: entry.query ?? '', addresses: [...entry.data.addresses] }));
}

/** Resolution ended without a single address: say which names have none. */
export const dnsNoAddress: Rule = (facts) => {
  const r = facts.input.resolution;
  if (r.targets.length > 0 || r.error === null || !['NO_TARGETS', 'DNS_NXDOMAIN', 'DNS_NODATA'].includes(r.error.code))
    return [];
  // An SRV target with its zone appended twice has a hint of its own: publishing an address for it is not the fix.
  const appended = zoneAppendedTargets(facts);
  const empty = addressEntries(facts).filter(
    (a) => a.addresses.length === 0 && a.entry.status === 'empty' && !appended.has(a.host.toLowerCase()),
  );
  const hosts = [...new Set(empty.map((a) => a.host))];
  if (hosts.length === 0) return [];
  const viaSrv = empty.some((a) => ['3.3', '3.4', '4', '5'].includes(a.entry.step));
  return [
    {
      id: 'dns-no-address',
      detail: `${list(hosts)} ${hosts.length === 1 ? 'has' : 'have'} no A or AAAA records, so other servers have no address to connect to (${r.error.message}).`,
      fix:
        `Publish an A record (and an AAAA record if the server has working IPv6) for ${list(hosts)} pointing at your homeserver or its reverse proxy` +
        (viaSrv ? ', or change the SRV record to a target that has addresses.' : '.'),
    },
  ];
};

/** A DNS question failed for real (not "no records"): servers cannot resolve the name reliably. */
export const dnsLookupFailed: Rule = (facts) => {
  const failed = facts.input.resolution.trace.filter((e) => e.code !== undefined && DNS_ERRORS.has(e.code));
  if (failed.length === 0) return [];
  // The well-known step records its URL as the query; the name looked up there is the server name's host.
  const nameOf = (e: TraceEntry): string =>
    e.step === '3' ? (facts.host ?? facts.serverName) : (e.query ?? facts.serverName);
  const queries = [...new Set(failed.map(nameOf))];
  const items = [...new Set(failed.map((e) => `${nameOf(e)} (${e.code ?? ''})`))];
  const example = failed.find((e) => e.step !== '3') ?? failed[0];
  return [
    {
      id: 'dns-lookup-failed',
      detail: `DNS lookups failed for ${list(items)}${example !== undefined ? `: ${example.reason}` : ''}. Servers cannot resolve this server reliably.`,
      fix:
        `Check ${list(queries)} against each authoritative name server of the zone (dig +dnssec <name> @<server>). SERVFAIL usually ` +
        'means a DNSSEC problem (expired signatures, a DS record without a matching key) or a broken delegation; timeouts mean a name server does not answer.',
    },
  ];
};

/** Addresses in ranges homeservers refuse (Synapse's `ip_range_blacklist`): published, but never used by anyone. */
export const dnsPrivateAddress: Rule = (facts) => {
  const hostOf = new Map<string, string>();
  for (const a of addressEntries(facts)) for (const ip of a.addresses) if (!hostOf.has(ip)) hostOf.set(ip, a.host);
  const seen: string[] = [];
  for (const e of facts.input.resolution.trace) {
    if (e.step !== 'policy' || e.code !== 'ADDRESS_DENIED') continue;
    const ip = e.data.ip;
    const range = e.data.range !== null ? ` in ${e.data.range}` : '';
    const host = hostOf.get(ip);
    seen.push(`${ip}${range}${host !== undefined ? ` (address of ${host})` : ''}`);
  }
  for (const w of facts.input.wellKnownByAddress) {
    if (w.status === 'blocked')
      seen.push(`${w.ip} (address of ${facts.host ?? facts.serverName}, where the well-known is fetched)`);
  }
  if (seen.length === 0) return [];
  const all = facts.input.resolution.error?.code === 'ADDRESS_DENIED';
  return [
    {
      id: 'dns-private-address',
      detail:
        `DNS publishes addresses that homeservers refuse to contact by default (private, loopback, link-local or reserved ranges, ` +
        `Synapse's ip_range_blacklist): ${list(seen, 6)}. ` +
        (all
          ? 'No other address is left, so no server can federate with this one.'
          : 'Servers skip these addresses and use the others.'),
      fix:
        'Publish only public addresses in the A/AAAA records; if machines on your own network need the private address, use split-horizon DNS. ' +
        'This checker refuses those ranges like a homeserver does; when checking a private test deployment, allow the range explicitly (allowNetworks / --allow-network).',
    },
  ];
};

/** Every target is IPv6: servers without IPv6 connectivity (still many) cannot connect. */
export const dnsIpv6Only: Rule = (facts) => {
  const targets = facts.input.resolution.targets.filter((t) => t.addressOf !== null);
  if (targets.length === 0 || targets.length !== facts.input.resolution.targets.length) return [];
  if (!targets.every((t) => t.ip.includes(':'))) return [];
  const deniedV4 = facts.input.resolution.trace.some((e) => e.step === 'policy' && !e.data.ip.includes(':'));
  if (deniedV4) return [];
  const hosts = [...new Set(targets.map((t) => t.addressOf ?? ''))];
  return [
    {
      id: 'dns-ipv6-only',
      detail: `${list(hosts)} ${hosts.length === 1 ? 'has' : 'have'} only AAAA records (${list(targets.map((t) => t.ip))}): homeservers on IPv4-only networks cannot connect.`,
      fix: `Add an A record for ${list(hosts)} with the server's public IPv4 address (through a reverse proxy or NAT if the homeserver itself has none).`,
    },
  ];
};

/** The rules of this file, in order. */
export const dnsRules: readonly Rule[] = [dnsNoAddress, dnsLookupFailed, dnsPrivateAddress, dnsIpv6Only];
