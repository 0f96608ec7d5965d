// Test helper: the reports of the diagnosis and client-settings labs (about 150 real checks), for the language tests.

import type { CheckReport } from '../../src/checker/types.js';
import { startClientSettingsLab } from '../diagnosis/client-settings-lab-scenarios.js';
import { startDiagnoseLab } from '../diagnosis/diagnose-lab-scenarios.js';

/**
 * Every report of the two labs, by `<lab> <scenario>`. One lab after the other (each module's routes read its own
 * state); the reports are data once checked, so both labs are closed when this resolves.
 */
export async function labReports(): Promise<Map<string, CheckReport>> {
  const reports = new Map<string, CheckReport>();
  const diagnosis = await startDiagnoseLab();
  await diagnosis.lab.close();
  for (const [key, report] of diagnosis.reports) reports.set(`diagnose-lab ${key}`, report);
  const settings = await startClientSettingsLab();
  await settings.lab.close();
  for (const [key, report] of settings.reports) reports.set(`client-settings-lab ${key}`, report);
  return reports;
}
