// The text report of real lab reports in zh-CN (issue 17): the report's own sentences (connection errors, key and
// document problems, the version's error, the well-known by address) said in Chinese, every value of the English kept.

import { beforeAll, describe, expect, it } from 'vitest';
import { checkSummary } from '../../src/checker/summary.js';
import type { CheckReport } from '../../src/checker/types.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { renderCheckText } from '../../src/report/text.js';
import { labReports } from './lab-reports.js';
import { HAN, englishProse, values } from './sentence-checks.js';

let reports = new Map<string, CheckReport>();

beforeAll(async () => {
  reports = await labReports();
}, 120_000);

/** The report as a check in Chinese gives it: the summary and hints in Chinese, the data as it is. */
function inChinese(report: CheckReport): CheckReport {
  return { ...report, summary: checkSummary(report, 'zh-CN'), hints: diagnose(report, { locale: 'zh-CN' }) };
}

/**
 * The problem lines of a text report, `CODE: sentence` after a dash (an address's) or a severity (a document's), with
 * the code and the sentence apart.
 */
function problemLines(text: string): { code: string; sentence: string }[] {
  return [...text.matchAll(/^ {4,6}(?:- |\S+ +)([A-Z][A-Z0-9_]*): (.*)$/gm)].map((m) => ({
    code: m[1] ?? '',
    sentence: m[2] ?? '',
  }));
}

describe('the text report of every diagnosis lab report in zh-CN', () => {
  it('has no English sentence of ours on any line, outside quoted values, URLs, code and marked original words', () => {
    expect(reports.size).toBeGreaterThan(100);
    const failures: string[] = [];
    for (const [key, report] of reports) {
      const chinese = renderCheckText(inChinese(report), { locale: 'zh-CN' });
      for (const line of chinese.split('\n'))
        for (const prose of englishProse(line)) failures.push(`${key}: ${JSON.stringify(prose)} in ${line.trim()}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps each problem line, its code in English, its sentence in Chinese with every value of the English one', () => {
    const failures: string[] = [];
    let seen = 0;
    for (const [key, report] of reports) {
      const english = problemLines(renderCheckText(report));
      const chinese = problemLines(renderCheckText(inChinese(report), { locale: 'zh-CN' }));
      expect(
        chinese.map((p) => p.code),
        key,
      ).toEqual(english.map((p) => p.code));
      english.forEach((en, i) => {
        const zh = chinese[i]?.sentence ?? '';
        seen += 1;
        if (!HAN.test(zh)) failures.push(`${key} ${en.code}: no Chinese in ${zh}`);
        for (const value of values(en.sentence))
          if (!zh.includes(value)) failures.push(`${key} ${en.code}: ${JSON.stringify(value)} lost in ${zh}`);
      });
    }
    // The lab's failures reach every kind of problem line (connections, TLS, keys, version, documents).
    expect(seen).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('keeps every value of the English text (addresses, hosts, URLs, ports, statuses) somewhere in the Chinese one', () => {
    const failures: string[] = [];
    for (const [key, report] of reports) {
      const chinese = renderCheckText(inChinese(report), { locale: 'zh-CN' });
      // The resolution steps' reasons are described by the resolver's describers, tested on their own
      // (test/i18n/resolution-texts.test.ts): their values are theirs to keep.
      const steps = new Set(report.resolution.trace.flatMap((e) => values(e.reason)));
      for (const value of values(renderCheckText(report)))
        if (!chinese.includes(value) && !steps.has(value)) failures.push(`${key}: ${JSON.stringify(value)} lost`);
    }
    expect(failures).toEqual([]);
  });

  it('is the same text in English with or without the locale (the English report does not change)', () => {
    for (const [key, report] of reports)
      expect(renderCheckText(report, { locale: 'en' }), key).toBe(renderCheckText(report));
  });
});
