// A cached report's hints (and summary) in another language: diagnosed again from the report, never checked again.

import { boundCheckReport } from '../../checker/bound-report.js';
import { checkSummary } from '../../checker/summary.js';
import type { CheckReport } from '../../checker/types.js';
import { diagnose, reportMessages } from '../../diagnosis/index.js';
import type { Locale } from '../../i18n/locale.js';
import { REMOTE_TEXT_LIMITS, boundRemoteStrings } from '../../remote-text.js';
import { setReportMessages } from './report-bodies.js';

/**
 * Reports in other languages, by the report they were made from: one per language, made on the first request and
 * kept exactly as long as that report (the result cache's decoded entry), so that `report-bodies.ts` serialises
 * each language's answer once too.
 */
const translated = new WeakMap<CheckReport, Map<Locale, CheckReport>>();

/**
 * `report` with its summary and hints in `locale`: the tester checks in English (its result cache and `/api/report`
 * are one for every language) and gives a request in another language the same report with the summary made again
 * (`checkSummary`) and the hints diagnosed again in it (`diagnose(report, { locale })`: pure, no network, the same
 * ids, severities and order), bounded as `checkServer` bounds them, and its sentences (connection errors, key and
 * document problems, ...) said in it as the native document's `messages` (`reportMessages`, `setReportMessages`).
 * English is the report itself.
 *
 * @example
 * ```ts
 * const body = reportBody(localizeReport(answer.report, 'zh-CN'), 'native');
 * ```
 */
export function localizeReport(report: CheckReport, locale: Locale): CheckReport {
  if (locale === 'en') return report;
  let byLocale = translated.get(report);
  if (byLocale === undefined) {
    byLocale = new Map();
    translated.set(report, byLocale);
  }
  const known = byLocale.get(locale);
  if (known !== undefined) return known;
  const made = boundCheckReport({
    ...report,
    summary: boundRemoteStrings(checkSummary(report, locale), REMOTE_TEXT_LIMITS.any),
    hints: diagnose(report, { locale }),
  });
  setReportMessages(made, reportMessages(report, locale));
  byLocale.set(locale, made);
  return made;
}
