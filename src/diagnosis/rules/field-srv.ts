// DNS-panel SRV mistakes: a record under a wrong name (the zone twice, _udp, a misspelt service), a target with the zone appended.

import type { SrvRecord } from '../../dns/types.js';
import { localize } from '../../i18n/index.js';
import { isSrvLookup } from '../../resolver/trace-facts.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { joinClauses, list } from '../text.js';
import { FIELD_TEXTS } from './field-texts.js';

/**
 * The name `target` was meant to be when it ends with the same labels twice (`matrix.example.com.example.com`,
 * what a panel makes of a target written without its trailing dot), or null. The repeated part must have at least
 * two labels, so that a name like `a.b.b` is not taken for one.
 *
 * @example
 * ```ts
 * zoneAppendedTarget('matrix.example.com.example.com'); // 'matrix.example.com'
 * zoneAppendedTarget('matrix.example.com'); // null
 * ```
 */
export function zoneAppendedTarget(target: string): string | null {
  const labels = target.toLowerCase().replace(/\.$/, '').split('.');
  for (let k = Math.floor(labels.length / 2); k >= 2; k--) {
    const tail = labels.slice(-k).join('.');
    const before = labels.slice(-2 * k, -k).join('.');
    if (tail === before && labels.length > k) return labels.slice(0, -k).join('.');
  }
  return null;
}

/** A zone-file line for an SRV record. */
function zoneLine(name: string, r: SrvRecord, target = r.target): string {
  return `${name}. 3600 IN SRV ${r.priority} ${r.weight} ${r.port} ${target.replace(/\.$/, '')}.`;
}

/** The target to write: without the appended zone when it has one. */
function fixedTarget(target: string): string {
  return zoneAppendedTarget(target) ?? target;
}

/** Records found only under a name servers never look up. */
export const srvRecordMisnamed: Rule = (facts) => {
  const found = (facts.input.probes.srvMistakes ?? []).filter((p) => p.records.some((r) => r.target !== '.'));
  const first = found[0];
  if (first === undefined) return [];
  // The panel's view of the intended name: the zone is most likely the host's last two labels.
  const labels = first.intended.split('.');
  const t = localize(FIELD_TEXTS, facts.locale);
  return [
    {
      id: 'srv-record-misnamed',
      detail: t('srv-record-misnamed.detail', {
        items: joinClauses(
          found.map((p) =>
            t('srv-record-misnamed.item', {
              name: p.name,
              records: list(
                p.records.map((r) => `${r.target}:${r.port}`),
                4,
                facts.locale,
              ),
              intended: p.intended,
              mistake: t(`srv-record-misnamed.mistakes.${p.mistake}`),
            }),
          ),
          facts.locale,
        ),
        intended: list([...new Set(found.map((p) => p.intended))], 4, facts.locale),
      }),
      fix: t('srv-record-misnamed.fix', {
        lines: found.flatMap((p) => p.records.map((r) => zoneLine(p.intended, r, fixedTarget(r.target)))).join(' '),
        zone: labels.slice(-2).join('.'),
        relative: labels.slice(0, -2).join('.'),
        service: labels[0] ?? '_matrix-fed',
      }),
    },
  ];
};

/** Every SRV record the report holds with the name it was published under: the resolution's and the mistakes probe's. */
function srvRecords(facts: Facts): { name: string; record: SrvRecord }[] {
  const out: { name: string; record: SrvRecord }[] = [];
  for (const e of facts.input.resolution.trace.filter(isSrvLookup)) {
    for (const r of e.data.records) out.push({ name: e.query ?? '', record: r });
  }
  for (const p of facts.input.probes.srvMistakes ?? []) {
    for (const r of p.records) out.push({ name: p.intended, record: r });
  }
  return out;
}

/** The zone-appended targets of the report's SRV records (lowercase, without a trailing dot). */
export function zoneAppendedTargets(facts: Facts): Set<string> {
  return new Set(
    srvRecords(facts)
      .map((s) => s.record.target.toLowerCase().replace(/\.$/, ''))
      .filter((t) => zoneAppendedTarget(t) !== null),
  );
}

/** A target written without its trailing dot: the panel appended the zone, and the name does not exist. */
export const srvTargetZoneAppended: Rule = (facts) => {
  const hits = srvRecords(facts).filter((s) => zoneAppendedTarget(s.record.target) !== null);
  if (hits.length === 0) return [];
  const t = localize(FIELD_TEXTS, facts.locale);
  return [
    {
      id: 'srv-target-zone-appended',
      detail: t('srv-target-zone-appended.detail', {
        items: joinClauses(
          hits.map((s) => t('srv-target-zone-appended.item', { name: s.name, target: s.record.target })),
          facts.locale,
        ),
      }),
      fix: t('srv-target-zone-appended.fix', {
        lines: hits.map((s) => zoneLine(s.name, s.record, fixedTarget(s.record.target))).join(' '),
      }),
    },
  ];
};
