// A report read back from its native JSON (how the monitor keeps and shares reports) diagnoses and summarises as the
// report itself did, in every language: over every scenario of the diagnosis and client settings labs.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSummary } from '../../src/checker/summary.js';
import type { CheckReport } from '../../src/checker/types.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { LOCALES } from '../../src/i18n/index.js';
import { toNativeJson } from '../../src/report/native.js';
import type { NativeCheckJson } from '../../src/report/native.js';
import { reportFromNativeJson } from '../../src/server/tester/native-report.js';
import type { Lab } from '../../src/testing/index.js';
import { startClientSettingsLab } from '../diagnosis/client-settings-lab-scenarios.js';
import { startDiagnoseLab } from '../diagnosis/diagnose-lab-scenarios.js';

const labs: Lab[] = [];
const reports = new Map<string, CheckReport>();

beforeAll(async () => {
  const diagnosis = await startDiagnoseLab();
  labs.push(diagnosis.lab);
  for (const [key, report] of diagnosis.reports) reports.set(`diagnosis ${key}`, report);
  const settings = await startClientSettingsLab();
  labs.push(settings.lab);
  for (const [key, report] of settings.reports) reports.set(`client settings ${key}`, report);
}, 120_000);

afterAll(async () => {
  await Promise.all(labs.map((lab) => lab.close()));
});

describe('reportFromNativeJson', () => {
  it('covers many scenarios (the labs ran)', () => {
    expect(reports.size).toBeGreaterThan(100);
  });

  it('gives, for every lab scenario, the hints and summary of the report itself, in every language', () => {
    const differences: string[] = [];
    for (const [key, report] of reports) {
      const doc = JSON.parse(JSON.stringify(toNativeJson(report))) as NativeCheckJson;
      const back = reportFromNativeJson(doc);
      for (const locale of LOCALES) {
        const expected = diagnose(report, { locale });
        const got = diagnose(back, { locale });
        if (JSON.stringify(got) !== JSON.stringify(expected)) differences.push(`${key} (${locale}): hints differ`);
        if (checkSummary(back, locale) !== checkSummary(report, locale))
          differences.push(`${key} (${locale}): summary differs`);
      }
      // The hints a check made are those diagnosed again in English: the document's own.
      expect(
        diagnose(back).map((h) => h.id),
        key,
      ).toEqual(doc.hints.map((h) => h.id));
    }
    expect(differences).toEqual([]);
  });
});
