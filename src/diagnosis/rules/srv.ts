// Rules about SRV records: "." targets, CNAME targets (RFC 2782), the deprecated service, records nobody reads.

import type { SrvRecord } from '../../dns/types.js';
import { localize } from '../../i18n/index.js';
import type { TraceEntry } from '../../resolver/types.js';
import { isSrvLookup } from '../../resolver/trace-facts.js';
import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { list, serverDocument } from '../text.js';
import { SRV_TEXTS } from './srv-texts.js';

const SRV_STEPS: ReadonlySet<string> = new Set(['3.3', '3.4', '4', '5']);

/** The records an SRV trace entry saw. */
function recordsOf(entry: TraceEntry): readonly SrvRecord[] {
  return isSrvLookup(entry) ? entry.data.records : [];
}

/** SRV entries of the trace (the SRV question of a step, not the address lookups of its targets). */
function srvEntries(facts: Facts): TraceEntry[] {
  return facts.input.resolution.trace.filter(
    (e) => SRV_STEPS.has(e.step) && e.query !== undefined && /^_matrix(-fed)?\._tcp\./.test(e.query),
  );
}

/** A zone-file line for an SRV record. */
function zoneLine(name: string, r: SrvRecord): string {
  return `${name}. 3600 IN SRV ${r.priority} ${r.weight} ${r.port} ${r.target}.`;
}

function recordKey(r: SrvRecord): string {
  return `${r.target.toLowerCase()}:${r.port}`;
}

/** A single "." record: the service is declared unavailable, and resolution stops there. */
export const srvUnavailable: Rule = (facts) => {
  const entry = facts.input.resolution.trace.find((e) => e.code === 'SRV_UNAVAILABLE');
  if (entry === undefined) return [];
  const t = localize(SRV_TEXTS, facts.locale);
  const name = entry.query ?? t('srv-unavailable.unnamed');
  const host = name.replace(/^_matrix(-fed)?\._tcp\./, '');
  return [
    {
      id: 'srv-unavailable',
      detail: t('srv-unavailable.detail', { name, host }),
      fix: t('srv-unavailable.fix', { name, host }),
    },
  ];
};

/** An SRV target that is an alias: RFC 2782 forbids it; we and Synapse follow it, other resolvers may not. */
export const srvTargetCname: Rule = (facts) => {
  const t = localize(SRV_TEXTS, facts.locale);
  const findings: string[] = [];
  const fixes: string[] = [];
  for (const srv of srvEntries(facts)) {
    const targets = new Set(recordsOf(srv).map((r) => r.target.toLowerCase()));
    for (const e of facts.input.resolution.trace) {
      if (e.step !== srv.step || e.query === undefined || !targets.has(e.query.toLowerCase())) continue;
      const chain = e.data !== undefined && 'cnameChain' in e.data ? e.data.cnameChain : [];
      if (chain.length === 0) continue;
      const canonical = chain[chain.length - 1] ?? e.query;
      findings.push(
        t('srv-target-cname.item', { name: srv.query ?? '', target: e.query, chain: [e.query, ...chain].join(' -> ') }),
      );
      fixes.push(t('srv-target-cname.fixItem', { canonical, target: e.query }));
    }
  }
  if (findings.length === 0) return [];
  return [
    {
      id: 'srv-target-cname',
      detail: t('srv-target-cname.detail', { items: findings }),
      fix: t('srv-target-cname.fix', { fixes: [...new Set(fixes)] }),
    },
  ];
};

/** Only `_matrix._tcp`: deprecated since spec v1.8, and newer servers may stop reading it. */
export const srvDeprecatedOnly: Rule = (facts) => {
  const legacy = srvEntries(facts).filter((e) => (e.step === '3.4' || e.step === '5') && e.status === 'taken');
  if (legacy.length === 0) return [];
  const lines = legacy.flatMap((e) => {
    const fed = (e.query ?? '').replace(/^_matrix\._tcp\./, '_matrix-fed._tcp.');
    return recordsOf(e).map((r) => zoneLine(fed, r));
  });
  const t = localize(SRV_TEXTS, facts.locale);
  return [
    {
      id: 'srv-deprecated-only',
      detail: t('srv-deprecated-only.detail', {
        names: list(
          legacy.map((e) => e.query ?? ''),
          4,
          facts.locale,
        ),
      }),
      fix: t('srv-deprecated-only.fix', { lines }),
    },
  ];
};

/** Both services have records, but not the same: servers that read the old one go elsewhere. */
export const srvLegacyDisagrees: Rule = (facts) => {
  const t = localize(SRV_TEXTS, facts.locale);
  const out: string[] = [];
  const fixes: string[] = [];
  for (const fed of srvEntries(facts).filter((e) => (e.step === '3.3' || e.step === '4') && e.status === 'taken')) {
    const host = (fed.query ?? '').replace(/^_matrix-fed\._tcp\./, '').toLowerCase();
    const legacy = facts.input.probes.srv.find((p) => p.service === '_matrix._tcp' && p.host === host);
    if (legacy === undefined || legacy.records.length === 0) continue;
    const fedKeys = new Set(recordsOf(fed).map(recordKey));
    const legacyKeys = new Set(legacy.records.map(recordKey));
    const same = fedKeys.size === legacyKeys.size && [...fedKeys].every((k) => legacyKeys.has(k));
    if (same) continue;
    out.push(
      t('srv-legacy-disagrees.item', {
        fed: fed.query ?? '',
        fedTargets: list([...fedKeys], 4, facts.locale),
        legacy: legacy.name,
        legacyTargets: list([...legacyKeys], 4, facts.locale),
      }),
    );
    fixes.push(
      t('srv-legacy-disagrees.fixItem', {
        legacy: legacy.name,
        fed: fed.query ?? '',
        lines: recordsOf(fed).map((r) => zoneLine(legacy.name, r)),
      }),
    );
  }
  if (out.length === 0) return [];
  return [
    {
      id: 'srv-legacy-disagrees',
      detail: t('srv-legacy-disagrees.detail', { items: out }),
      fix: t('srv-legacy-disagrees.fix', { fixes }),
    },
  ];
};

/** SRV records on the server name while the well-known delegates: resolution never gets to them (step 4). */
export const srvIgnoredByWellKnown: Rule = (facts) => {
  const d = facts.delegated;
  if (d === null || facts.host === null) return [];
  // m.server naming the same host without a port leads to SRV on that very host (step 3.3): not ignored.
  if (d.kind === 'dns' && d.port === undefined && d.host.toLowerCase() === facts.host) return [];
  const probes = facts.input.probes.srv.filter((p) => p.host === facts.host && p.records.some((r) => r.target !== '.'));
  if (probes.length === 0) return [];
  const seen = probes.map((p) => `${p.name} -> ${list(p.records.map(recordKey), 4, facts.locale)}`);
  const only = probes.length === 1 && probes[0]?.records.length === 1 ? probes[0].records[0] : undefined;
  const mServer = facts.input.resolution.wellKnown.mServer ?? '';
  const t = localize(SRV_TEXTS, facts.locale);
  const findings: Finding[] = [
    {
      id: 'srv-ignored-by-well-known',
      detail: t('srv-ignored-by-well-known.detail', {
        records: list(seen, 4, facts.locale),
        host: facts.host,
        mServer,
      }),
      fix:
        only !== undefined
          ? t('srv-ignored-by-well-known.fixOne', {
              host: facts.host,
              target: only.target,
              port: only.port,
              document: serverDocument(`${only.target}:${only.port}`),
            })
          : t('srv-ignored-by-well-known.fix', { host: facts.host }),
    },
  ];
  return findings;
};

/** The rules of this file, in order. */
export const srvRules: readonly Rule[] = [
  srvUnavailable,
  srvTargetCname,
  srvDeprecatedOnly,
  srvLegacyDisagrees,
  srvIgnoredByWellKnown,
];
