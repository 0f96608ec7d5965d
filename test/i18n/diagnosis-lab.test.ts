// Every hint of real lab reports in zh-CN (issue 17): each report of the diagnosis labs diagnosed again in English and
// in Chinese gives the same hints in the same order, and each Chinese hint is Chinese and shows the English one's values.

import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hint } from '../../src/check-report/index.js';
import type { CheckReport } from '../../src/checker/types.js';
import { HINT_IDS, diagnose, type HintId } from '../../src/diagnosis/index.js';
import { HINT_TITLES_ZH_CN } from '../../src/diagnosis/titles.js';
import { labReports } from './lab-reports.js';
import { englishProse, values } from './sentence-checks.js';

/**
 * Hint ids whose rules do not speak Chinese yet, so their hints are not checked for Chinese words and values. It only
 * shrinks: an id whose hints are all Chinese must leave it (a test below says so), and the list is empty once every
 * rule file has its zh-CN catalogue (issue 17).
 */
const NOT_YET_TRANSLATED: ReadonlySet<HintId> = new Set<HintId>([]);

/** Hints no lab scenario can trigger, with the test that proves it (as in test/diagnosis/catalogue-coverage.test.ts). */
const UNREACHABLE: ReadonlySet<HintId> = new Set<HintId>(['client-problem']);

const HAN = /\p{Script=Han}/u;

/** What is wrong with a Chinese hint next to its English one (nothing: an empty list); lab values have no Han. */
function problems(en: Hint, zh: Hint): string[] {
  const found: string[] = [];
  if (zh.title !== HINT_TITLES_ZH_CN[en.id as HintId]) found.push(`title is not HINT_TITLES_ZH_CN's: ${zh.title}`);
  for (const part of ['title', 'detail', 'fix'] as const) {
    if (!HAN.test(zh[part])) found.push(`${part} has no Chinese: ${zh[part]}`);
    // The house style (CONTRIBUTING, "Languages"): a space between a Han character and a Latin letter or digit.
    const unspaced = /\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}/u.exec(zh[part]);
    if (unspaced !== null) found.push(`${part} has no space in ${JSON.stringify(unspaced[0])}: ${zh[part]}`);
    for (const prose of englishProse(zh[part]))
      found.push(`${part} has English prose ${JSON.stringify(prose)}: ${zh[part]}`);
    for (const value of values(en[part])) {
      if (!zh[part].includes(value)) found.push(`${part} does not show ${JSON.stringify(value)}: ${zh[part]}`);
    }
  }
  return found;
}

let reports = new Map<string, CheckReport>();

beforeAll(async () => {
  reports = await labReports();
}, 120_000);

describe('every lab report diagnosed in English and in Chinese', () => {
  it('the English diagnosis is the hints the check gave (diagnosing again changes nothing)', () => {
    expect(reports.size).toBeGreaterThan(100);
    for (const [key, report] of reports) expect(diagnose(report, { locale: 'en' }), key).toEqual(report.hints);
  });

  it('every hint id of the catalogue is in some report (but the unreachable ones)', () => {
    const seen = new Set([...reports.values()].flatMap((r) => r.hints.map((h) => h.id)));
    expect(HINT_IDS.filter((id) => !seen.has(id) && !UNREACHABLE.has(id))).toEqual([]);
  });

  it('the same hints in both languages: ids, severities, areas and order', () => {
    for (const [key, report] of reports) {
      const shape = (hints: readonly Hint[]) => hints.map((h) => [h.id, h.severity, h.area]);
      expect(shape(diagnose(report, { locale: 'zh-CN' })), key).toEqual(shape(report.hints));
    }
  });

  it('each Chinese hint has its Chinese title, Chinese words in its detail and fix, no English sentence of ours, and every value of the English one', () => {
    const failures: string[] = [];
    const dump: string[] = [];
    for (const [key, report] of reports) {
      const chinese = diagnose(report, { locale: 'zh-CN' });
      report.hints.forEach((en, i) => {
        const zh = chinese[i];
        if (zh === undefined || NOT_YET_TRANSLATED.has(en.id as HintId)) return;
        for (const problem of problems(en, zh)) failures.push(`${key} ${en.id}: ${problem}`);
        dump.push(`## ${key} ${en.id}\n${en.title}\n${zh.title}\n${en.detail}\n${zh.detail}\n${en.fix}\n${zh.fix}\n`);
      });
    }
    // DUMP_ZH=<file> writes every pair, for a reader to review the Chinese.
    const out = process.env['DUMP_ZH'];
    if (out !== undefined) writeFileSync(out, dump.join('\n'));
    expect(failures).toEqual([]);
  });

  it('the allowlist only holds ids that still have a hint not in Chinese', () => {
    const done = [...NOT_YET_TRANSLATED].filter((id) =>
      [...reports.values()].every((report) => {
        const chinese = diagnose(report, { locale: 'zh-CN' });
        return report.hints.every((en, i) => en.id !== id || problems(en, chinese[i] ?? en).length === 0);
      }),
    );
    expect(done, 'remove these ids from NOT_YET_TRANSLATED').toEqual([]);
  });
});
