// The certificate, endpoint, document and client settings hints of real lab reports in zh-CN (issue 17): the same
// findings as in English, said in Chinese with the same values, and every problem sentence of the checks read back.

import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checker/types.js';
import { deriveFacts } from '../../src/diagnosis/facts.js';
import type { Finding } from '../../src/diagnosis/rule.js';
import { readClientSettingProblem } from '../../src/diagnosis/rules/client-settings-texts.js';
import { clientSettingRules } from '../../src/diagnosis/rules/client-settings.js';
import { readClientProblem, readSupportProblem } from '../../src/diagnosis/rules/document-problems-texts.js';
import { documentRules } from '../../src/diagnosis/rules/documents.js';
import { readEndpointAnswer } from '../../src/diagnosis/rules/endpoints-texts.js';
import { endpointRules } from '../../src/diagnosis/rules/endpoints.js';
import { readTrustProblem } from '../../src/diagnosis/rules/tls-texts.js';
import { tlsRules } from '../../src/diagnosis/rules/tls.js';
import type { Locale } from '../../src/i18n/index.js';
import type { Lab } from '../../src/testing/index.js';
import { startClientSettingsLab } from './client-settings-lab-scenarios.js';
import { startDiagnoseLab } from './diagnose-lab-scenarios.js';

/** The rules these catalogues speak for. */
const RULES = [...tlsRules, ...endpointRules, ...documentRules, ...clientSettingRules];

const reports = new Map<string, CheckReport>();
const labs: Lab[] = [];

beforeAll(async () => {
  // One lab after the other: each module's routes read its own state, and the machine is small.
  const diagnose = await startDiagnoseLab();
  labs.push(diagnose.lab);
  for (const [key, report] of diagnose.reports) reports.set(`diagnose:${key}`, report);
  const settings = await startClientSettingsLab();
  labs.push(settings.lab);
  for (const [key, report] of settings.reports) reports.set(`settings:${key}`, report);
}, 180_000);

afterAll(async () => {
  await Promise.all(labs.map((lab) => lab.close()));
});

function findings(report: CheckReport, locale: Locale): Finding[] {
  const facts = deriveFacts(report, locale);
  return RULES.flatMap((rule) => rule(facts));
}

/** Hosts, URLs, ports, addresses and quoted values of an English text: what the Chinese one must show too. */
function values(text: string): string[] {
  const found = new Set<string>();
  const pattern =
    /https?:\/\/[^\s"',;)]+|"[^"]*"|\[[0-9a-f:]+\]:\d+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[\w-]+(?:\.[\w-]{2,})+(?::\d+)?\b|\b\d{3,}\b|\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b/g;
  for (const m of text.matchAll(pattern)) {
    // Quoted words of prose ("accept anyway", a menu's label) are said in the language; quoted code is kept.
    if (/^"[\w -]+ [\w -]+"$/.test(m[0])) continue;
    // A quoted value may be quoted the Chinese way (“UTF-8”): its text is what must be shown.
    found.add(m[0].startsWith('"') ? m[0].slice(1, -1) : m[0].replace(/[.:]$/, ''));
  }
  return [...found];
}

const HAN = /\p{Script=Han}/u;
const dump: string[] = [];

describe('the lab reports in zh-CN', () => {
  it('checked enough scenarios to mean something', () => {
    expect(reports.size).toBeGreaterThan(100);
  });

  it('every problem sentence of the client, support and settings checks and every trust problem is read back (none shown as the check wrote it)', () => {
    const unread: string[] = [];
    const forms = new Set<string>();
    for (const [key, report] of reports) {
      for (const p of report.client?.problems ?? []) {
        const read = readClientProblem(p.code, p.message);
        if (read === null) unread.push(`${key} ${p.code}: ${p.message}`);
        else forms.add(`client.${read.key}`);
      }
      for (const p of report.support?.problems ?? []) {
        const read = readSupportProblem(p.code, p.message);
        if (read === null) unread.push(`${key} ${p.code}: ${p.message}`);
        else forms.add(`support.${read.key}`);
      }
      for (const a of report.addresses) {
        // An endpoint's status other than 200, in the check's words.
        const answered = [
          ...(a.version?.error?.code === 'HTTP_ERROR' ? [a.version.error.message] : []),
          ...(a.keys?.problems.filter((p) => p.code === 'HTTP_ERROR').map((p) => p.message) ?? []),
        ];
        for (const message of answered) {
          const read = readEndpointAnswer(message, ['version', 'keys']);
          if (read === null) unread.push(`${key} ${a.address} HTTP_ERROR: ${message}`);
          else forms.add(`endpoint.${read.key}`);
        }
        const error = a.tls?.trustError;
        if (error === null || error === undefined) continue;
        const read = readTrustProblem(error.code, error.message);
        if (read === null) unread.push(`${key} ${a.address} ${error.code}: ${error.message}`);
        else forms.add(`trust.${read.key}`);
      }
      for (const p of report.client?.settings?.problems ?? []) {
        const read = readClientSettingProblem(p.code, p.message);
        if (read === null) unread.push(`${key} ${p.code}: ${p.message}`);
        else forms.add(`settings.${read.key}`);
      }
    }
    expect(unread).toEqual([]);
    expect(forms.size).toBeGreaterThan(30);
  });

  it('the same findings in both languages, said in Chinese with the values of the English ones', () => {
    let compared = 0;
    for (const [key, report] of reports) {
      const english = findings(report, 'en');
      const chinese = findings(report, 'zh-CN');
      expect(
        chinese.map((f) => f.id),
        key,
      ).toEqual(english.map((f) => f.id));
      english.forEach((en, i) => {
        const zh = chinese[i];
        if (zh === undefined) return;
        const where = `${key} ${en.id}`;
        expect(zh.detail, where).toMatch(HAN);
        expect(zh.fix, where).toMatch(HAN);
        expect(zh.detail, where).not.toContain('检查结果（原文）');
        for (const value of values(en.detail)) expect(zh.detail, `${where} detail`).toContain(value);
        for (const value of values(en.fix)) expect(zh.fix, `${where} fix`).toContain(value);
        compared++;
        if (process.env['DUMP_ZH'] !== undefined)
          dump.push(`## ${where}\n${en.detail}\n${zh.detail}\n${en.fix}\n${zh.fix}\n`);
      });
    }
    expect(compared).toBeGreaterThan(50);
    if (process.env['DUMP_ZH'] !== undefined) writeFileSync(process.env['DUMP_ZH'], dump.join('\n'));
  });

  it('a sentence that cannot be read back (cut by the report bounds) is shown as the check wrote it, marked, not dropped', () => {
    const report = reports.get('diagnose:clientstatus.test');
    const problem = report?.client?.problems.find((p) => p.code === 'CLIENT_HTTP_STATUS');
    if (report === undefined || report.client === null || problem === undefined) throw new Error('no scenario');
    const cut = `${problem.message.slice(0, 40)}…`;
    const changed: CheckReport = {
      ...report,
      client: { ...report.client, problems: [{ ...problem, message: cut }] },
    };
    const english = findings(changed, 'en').find((f) => f.id === 'client-http-status');
    const chinese = findings(changed, 'zh-CN').find((f) => f.id === 'client-http-status');
    expect(english?.detail).toBe(`${cut}.`);
    expect(chinese?.detail).toBe(`检查结果（原文）：${cut}。`);
  });
});
