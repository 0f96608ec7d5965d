// The hint catalogue: rules over a check's results that say what is wrong and how to fix it.

import { HINT_AREAS, HINT_SEVERITY_ORDER, type Hint, type HintArea } from '../check-report/index.js';
import { HINT_CATALOGUE, HINT_IDS } from './catalogue.js';
import type { HintId } from './catalogue.js';
import { deriveFacts } from './facts.js';
import { delegationRules } from './rules/delegation.js';
import { dnsRules } from './rules/dns.js';
import { clientSettingRules } from './rules/client-settings.js';
import { documentRules } from './rules/documents.js';
import { endpointRules } from './rules/endpoints.js';
import { fieldRules } from './rules/field.js';
import { serverNameRules } from './rules/server-name.js';
import { srvRules } from './rules/srv.js';
import { tlsRules } from './rules/tls.js';
import { wellKnownRules } from './rules/well-known.js';
import { cutWords } from './rules/cut-words.js';
import type { Finding, Rule } from './rule.js';
import type { DiagnosisInput } from './types.js';
import { HINT_TITLES_ZH_CN } from './titles.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/index.js';

export { HINT_CATALOGUE, HINT_IDS } from './catalogue.js';
export type { HintId } from './catalogue.js';
export type { DiagnosisInput, HintDefinition } from './types.js';
export type { Finding, Rule } from './rule.js';
export {
  reportMessages,
  reportSentenceWords,
  reportSentences,
  type ReportSentence,
  type ReportSentenceKind,
} from './problem-words.js';

/** Options of {@link diagnose}. */
export interface DiagnoseOptions {
  /** The language of the titles, details and fixes ['en']. */
  readonly locale?: Locale;
}

/** Every rule, grouped by what it looks at. */
export const RULES: readonly Rule[] = [
  ...serverNameRules,
  ...dnsRules,
  ...srvRules,
  ...wellKnownRules,
  ...delegationRules,
  ...tlsRules,
  ...endpointRules,
  ...documentRules,
  ...clientSettingRules,
  ...fieldRules,
];

const AREA_ORDER: ReadonlyMap<HintArea, number> = new Map(HINT_AREAS.map((area, i) => [area, i]));
const CATALOGUE_ORDER: ReadonlyMap<HintId, number> = new Map(HINT_IDS.map((id, i) => [id, i]));

/** A hint's title in `locale` (every language has every title: `HINT_TITLES_ZH_CN` is checked by the compiler). */
export function hintTitle(id: HintId, locale: Locale = DEFAULT_LOCALE): string {
  return locale === 'zh-CN' ? HINT_TITLES_ZH_CN[id] : HINT_CATALOGUE[id].title;
}

/** A finding with its catalogue definition: the hint shown to the admin, its title in `locale` ['en']. */
export function toHint(finding: Finding, locale: Locale = DEFAULT_LOCALE): Hint {
  const def = HINT_CATALOGUE[finding.id];
  return {
    id: finding.id,
    severity: def.severity,
    area: def.area,
    title: hintTitle(finding.id, locale),
    // A value cut by the report's bounds keeps its English marker in the report; the hint says it in its language.
    detail: cutWords(finding.detail, locale),
    fix: cutWords(finding.fix, locale),
  };
}

/**
 * Every hint whose rule fires for this report, most severe first (then federation before client before support,
 * then catalogue order), one per id: findings of the same id are merged, their details joined.
 *
 * Pure: reads the report (resolution trace, address checks, well-known by address, documents, probes) and never
 * touches the network. The catalogue of ids is {@link HINT_CATALOGUE}. With `options.locale`, the titles, details
 * and fixes are in that language; ids, severities, areas and order are the same in every language, so a report
 * (cached, say) can be given its hints in another language by diagnosing it again.
 *
 * @example
 * ```ts
 * const report = await checkServer('example.com');
 * for (const hint of diagnose(report)) console.log(`[${hint.severity}] ${hint.title}\n  ${hint.detail}\n  Fix: ${hint.fix}`);
 * ```
 */
export function diagnose(input: DiagnosisInput, options: DiagnoseOptions = {}): Hint[] {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const facts = deriveFacts(input, locale);
  const merged = new Map<HintId, Finding>();
  for (const rule of RULES) {
    for (const finding of rule(facts)) {
      const seen = merged.get(finding.id);
      if (seen === undefined) merged.set(finding.id, finding);
      else if (!seen.detail.includes(finding.detail))
        merged.set(finding.id, { ...seen, detail: `${seen.detail} ${finding.detail}` });
    }
  }
  return [...merged.values()]
    .map((finding) => toHint(finding, locale))
    .sort(
      (a, b) =>
        HINT_SEVERITY_ORDER[a.severity] - HINT_SEVERITY_ORDER[b.severity] ||
        (AREA_ORDER.get(a.area) ?? 0) - (AREA_ORDER.get(b.area) ?? 0) ||
        (CATALOGUE_ORDER.get(a.id as HintId) ?? 0) - (CATALOGUE_ORDER.get(b.id as HintId) ?? 0),
    );
}
