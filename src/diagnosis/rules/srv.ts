// Rules about SRV records: "." targets, CNAME targets (RFC 2782), the deprecated service, records nobody reads.

import type { SrvRecord } from '../../dns/types.js';
import type { TraceEntry } from '../../resolver/types.js';
import { isSrvLookup } from '../../resolver/trace-facts.js';
import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { list, serverDocument } from '../text.js';

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
  const name = entry.query ?? 'the SRV name';
  const host = name.replace(/^_matrix(-fed)?\._tcp\./, '');
  return [
    {
      id: 'srv-unavailable',
      detail: `${name} has a single SRV record with target ".", which says the service is decidedly not available (RFC 2782): servers give up without trying ${host}:8448.`,
      fix: `If this server should federate, replace the record with one naming the homeserver, e.g. "${name}. 3600 IN SRV 10 5 8448 ${host}.", or delete it (servers then connect to ${host} on port 8448).`,
    },
  ];
};

/** An SRV target that is an alias: RFC 2782 forbids it; we and Synapse follow it, other resolvers may not. */
export const srvTargetCname: Rule = (facts) => {
  const findings: string[] = [];
  const fixes: string[] = [];
  for (const srv of srvEntries(facts)) {
    const targets = new Set(recordsOf(srv).map((r) => r.target.toLowerCase()));
    for (const e of facts.input.resolution.trace) {
      if (e.step !== srv.step || e.query === undefined || !targets.has(e.query.toLowerCase())) continue;
      const chain = e.data !== undefined && 'cnameChain' in e.data ? e.data.cnameChain : [];
      if (chain.length === 0) continue;
      const canonical = chain[chain.length - 1] ?? e.query;
      findings.push(`${srv.query ?? ''} points at ${e.query}, which is a CNAME (${[e.query, ...chain].join(' -> ')})`);
      fixes.push(`${canonical} instead of ${e.query}`);
    }
  }
  if (findings.length === 0) return [];
  return [
    {
      id: 'srv-target-cname',
      detail: `${findings.join('; ')}. RFC 2782 requires SRV targets to have their own A/AAAA records; Synapse follows the alias, other implementations may not.`,
      fix: `Point each SRV record at the canonical name: ${[...new Set(fixes)].join('; ')}. Or replace the CNAME by A/AAAA records of its own.`,
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
  return [
    {
      id: 'srv-deprecated-only',
      detail: `Servers find this homeserver through ${list(legacy.map((e) => e.query ?? ''))} only; _matrix._tcp is deprecated (spec v1.8 replaced it by _matrix-fed._tcp) and is read only when _matrix-fed._tcp has no records.`,
      fix: `Add the same records under _matrix-fed._tcp: ${lines.join(' ')} Keep the _matrix._tcp records as long as older servers matter.`,
    },
  ];
};

/** Both services have records, but not the same: servers that read the old one go elsewhere. */
export const srvLegacyDisagrees: Rule = (facts) => {
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
    out.push(`${fed.query ?? ''} -> ${list([...fedKeys])}, but ${legacy.name} -> ${list([...legacyKeys])}`);
    fixes.push(
      `make ${legacy.name} list the same targets and ports as ${fed.query ?? ''} (${recordsOf(fed)
        .map((r) => zoneLine(legacy.name, r))
        .join(' ')}), or delete it`,
    );
  }
  if (out.length === 0) return [];
  return [
    {
      id: 'srv-legacy-disagrees',
      detail: `${out.join('; ')}. Current servers use _matrix-fed._tcp; servers that only know the deprecated _matrix._tcp connect elsewhere.`,
      fix: `${fixes.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
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
  const seen = probes.map((p) => `${p.name} -> ${list(p.records.map(recordKey))}`);
  const only = probes.length === 1 && probes[0]?.records.length === 1 ? probes[0].records[0] : undefined;
  const mServer = facts.input.resolution.wellKnown.mServer ?? '';
  const findings: Finding[] = [
    {
      id: 'srv-ignored-by-well-known',
      detail:
        `The SRV record(s) ${list(seen)} exist, but https://${facts.host}/.well-known/matrix/server delegates to ${mServer}, and a delegating well-known ` +
        'comes first (spec step 3): these SRV records are never used for this server name.',
      fix:
        `Delete the SRV record(s) of ${facts.host} to avoid confusion` +
        (only !== undefined
          ? `, or, if ${only.target}:${only.port} is where the homeserver really is, say so in the well-known: ${serverDocument(`${only.target}:${only.port}`)} (the certificate there must then be valid for ${only.target}).`
          : '.'),
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
