// Rules about DNS answers: no addresses, failing lookups, private addresses, IPv6 only.

import { localize } from '../../i18n/index.js';
import { describeResolutionError, describeTrace } from '../../resolver/describe.js';
import type { TraceEntry } from '../../resolver/types.js';
import { isAddressLookup } from '../../resolver/trace-facts.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { list } from '../text.js';
import { reportErrorWords } from './error-words.js';
import { DNS_TEXTS } from './dns-texts.js';
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
  const t = localize(DNS_TEXTS, facts.locale);
  const names = list(hosts, 4, facts.locale);
  return [
    {
      id: 'dns-no-address',
      detail: t('dns-no-address.detail', {
        hosts: names,
        count: hosts.length,
        error: reportErrorWords(
          r.error.message,
          describeResolutionError(r, facts.locale),
          r.error.code,
          facts.locale,
          hosts,
        ),
      }),
      fix: t('dns-no-address.fix', { hosts: names, viaSrv }),
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
  const t = localize(DNS_TEXTS, facts.locale);
  const items = [...new Set(failed.map((e) => t('dns-lookup-failed.item', { name: nameOf(e), code: e.code ?? '' })))];
  const example = failed.find((e) => e.step !== '3') ?? failed[0];
  return [
    {
      id: 'dns-lookup-failed',
      detail: t('dns-lookup-failed.detail', {
        items: list(items, 4, facts.locale),
        reason:
          example !== undefined
            ? reportErrorWords(
                example.reason,
                describeTrace(facts.input.resolution, facts.locale)[facts.input.resolution.trace.indexOf(example)] ??
                  null,
                example.code ?? null,
                facts.locale,
                queries,
              )
            : null,
      }),
      fix: t('dns-lookup-failed.fix', { names: list(queries, 4, facts.locale) }),
    },
  ];
};

/** Addresses in ranges homeservers refuse (Synapse's `ip_range_blacklist`): published, but never used by anyone. */
export const dnsPrivateAddress: Rule = (facts) => {
  const t = localize(DNS_TEXTS, facts.locale);
  const hostOf = new Map<string, string>();
  for (const a of addressEntries(facts)) for (const ip of a.addresses) if (!hostOf.has(ip)) hostOf.set(ip, a.host);
  const seen: string[] = [];
  for (const e of facts.input.resolution.trace) {
    if (e.step !== 'policy' || e.code !== 'ADDRESS_DENIED') continue;
    const ip = e.data.ip;
    seen.push(t('dns-private-address.item', { ip, range: e.data.range, host: hostOf.get(ip) ?? null }));
  }
  for (const w of facts.input.wellKnownByAddress) {
    if (w.status === 'blocked')
      seen.push(t('dns-private-address.wellKnownItem', { ip: w.ip, host: facts.host ?? facts.serverName }));
  }
  if (seen.length === 0) return [];
  const all = facts.input.resolution.error?.code === 'ADDRESS_DENIED';
  return [
    {
      id: 'dns-private-address',
      detail: t('dns-private-address.detail', { items: list(seen, 6, facts.locale), all }),
      fix: t('dns-private-address.fix'),
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
  const t = localize(DNS_TEXTS, facts.locale);
  const names = list(hosts, 4, facts.locale);
  return [
    {
      id: 'dns-ipv6-only',
      detail: t('dns-ipv6-only.detail', {
        hosts: names,
        count: hosts.length,
        addresses: list(
          targets.map((target) => target.ip),
          4,
          facts.locale,
        ),
      }),
      fix: t('dns-ipv6-only.fix', { hosts: names }),
    },
  ];
};

/** The rules of this file, in order. */
export const dnsRules: readonly Rule[] = [dnsNoAddress, dnsLookupFailed, dnsPrivateAddress, dnsIpv6Only];
