// The summary of a check report (its verdict sentence) in a language: made when the check ends, remade for a cached report.

import type { AddressReport, CheckReport } from '../check-report/index.js';
import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { describeResolutionError } from '../resolver/describe.js';
import { SUMMARY_TEXTS } from './summary-texts.js';

/**
 * One sentence for people: the verdict, and how many addresses fail (and how many were not checked), in `locale`.
 * Pure: what a check puts in `report.summary`, and what a server gives a cached report in another language
 * (`{ ...report, summary: checkSummary(report, locale), hints: diagnose(report, { locale }) }`).
 *
 * @example
 * ```ts
 * checkSummary(report, 'zh-CN'); // '联邦正常。'
 * ```
 */
export function checkSummary(
  report: Pick<CheckReport, 'resolution' | 'addresses'>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const t = localize(SUMMARY_TEXTS, locale);
  const { addresses } = report;
  const found = report.resolution.targets.length;
  const sentence = verdictSentence(report, addresses, locale);
  return found > addresses.length && addresses.length > 0
    ? t('capped', { sentence, checked: addresses.length, found })
    : sentence;
}

function verdictSentence(
  report: Pick<CheckReport, 'resolution'>,
  addresses: readonly AddressReport[],
  locale: Locale,
): string {
  const t = localize(SUMMARY_TEXTS, locale);
  if (addresses.length === 0)
    return t('noAddress', { problem: describeResolutionError(report.resolution, locale) ?? t('noAddressFound') });
  const working = addresses.filter((a) => a.ok).length;
  const count = addresses.length;
  if (working === count) return count === 1 ? t('works') : t('worksOnAll', { count });
  if (working === 0) return count === 1 ? t('onlyAddressFails') : t('allFail', { count });
  return t('someFail', { failing: count - working, count });
}
