// A check's words in Chinese: the summary (made at the end of a check, remade for a stored report) and the text report,
// over real lab reports: the same verdict, addresses, codes and values as in English, in Chinese sentences.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckReport } from '../../src/check-report/index.js';
import { checkSummary } from '../../src/checker/summary.js';
import { SUMMARY_TEXTS } from '../../src/checker/summary-texts.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { CHECK_TEXT_WORDS } from '../../src/report/text-texts.js';
import { renderCheckText } from '../../src/report/text.js';
import { startLab, type Lab, type LabHostSpec } from '../../src/testing/index.js';
import { spacingFaults } from './catalogue-examples.js';

const HAN = /\p{Script=Han}/u;

describe('catalogues', () => {
  it('the summary texts are complete in every language', () => {
    expect(
      checkTranslations(SUMMARY_TEXTS, {
        noAddress: { problem: 'PROBLEM-TEXT' },
        worksOnAll: { count: 3 },
        allFail: { count: 2 },
        someFail: { failing: 1, count: 3 },
        capped: { sentence: 'SENTENCE-TEXT', checked: 32, found: 40 },
      }),
    ).toEqual([]);
  });
});

let lab: Lab;
const seed = generateEd25519Seed();

function homeserver(): NonNullable<LabHostSpec['routes']> {
  return {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': (req) => ({
      json: buildSignedKeyResponse({
        serverName: (req.host ?? '').replace(/:\d+$/, ''),
        keyId: 'ed25519:a_key',
        seed,
        validUntilTs: Date.now() + 86_400_000,
      }),
    }),
  };
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'good.example.org': { A: ['good'] },
      'halfdead.example.org': { A: ['good', 'dead'] },
      'dead.example.org': { A: ['dead'] },
      'denied.example.org': { A: ['10.20.30.40'] },
    },
    hosts: {
      good: {
        port: 'federation',
        certificates: [{ dnsNames: ['good.example.org', 'halfdead.example.org'] }],
        routes: homeserver(),
      },
      dead: { port: 'federation', mode: 'plain-tcp' },
    },
  });
});
afterAll(async () => {
  await lab?.close();
});

function options(locale: 'en' | 'zh-CN') {
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return { ...lab.clientOptions(), allowNetworks: hostNets, operationTimeoutMs: 1500, locale };
}

const reports = new Map<string, CheckReport>();
async function check(name: string, locale: 'en' | 'zh-CN'): Promise<CheckReport> {
  const key = `${name} ${locale}`;
  const known = reports.get(key);
  if (known !== undefined) return known;
  const report = await checkServer(name, options(locale));
  reports.set(key, report);
  return report;
}

describe('the summary', () => {
  // The verdicts of the native report (docs/check-report.md): one working address; one of two failing; the only
  // address failing; no address (the only one is in a denied network).
  it.each([
    ['good.example.org', 'Federation works.', '联邦正常'],
    ['halfdead.example.org', 'Federation works, but 1 of 2 addresses fail', '2 个地址中有 1 个检查失败'],
    ['dead.example.org', 'Federation does not work: the only address fails.', '唯一的地址检查失败'],
    ['denied.example.org', 'Federation does not work: every address found (10.20.30.40)', '10.20.30.40'],
  ])('%s: the same verdict in English and in Chinese', async (name, english, chinese) => {
    const en = await check(name, 'en');
    const zh = await check(name, 'zh-CN');
    expect(en.summary).toContain(english);
    expect(zh.summary).toContain(chinese);
    expect(zh.summary).toMatch(HAN);
    expect(zh.federationOk).toBe(en.federationOk);
    // Pure: the English report's summary is what checkSummary makes of it, and a stored report remade in Chinese
    // says what a Chinese check says.
    expect(checkSummary(en, 'en')).toBe(en.summary);
    expect(checkSummary(en)).toBe(en.summary);
    expect(checkSummary(en, 'zh-CN')).toBe(zh.summary);
    expect(checkSummary(zh, 'en')).toBe(en.summary);
  });
});

/** The English words of the text report: none may be left in the Chinese one (values and codes may). */
const ENGLISH_WORDS = [
  /^Federation check of\b/m,
  /^(?:PASS|FAIL)\b/m,
  /matrix-federation-tester's rule/,
  /\bChecked \d/,
  /^How other servers find you$/m,
  /^Addresses$/m,
  /\bADDRESS\b.*\bFAMILY\b/,
  /\bCERTIFICATE\b|\bEXPIRES\b|\bRESULT\b/,
  /\bNOT TRUSTED\b|\bname ok\b|\bWRONG NAME\b/,
  /\bno connection\b/,
  /^\s+Server version:/m,
  /^Client discovery\b|^Support contacts\b/m,
  /^What to fix$/m,
  /\bNo hints\.|\bFix:/,
  /\bNo address to check\b/,
  /^\s+(?:ERROR|WARNING|INFO) /m,
];

describe('the text report', () => {
  it('the words are complete in every language', () => {
    expect(
      checkTranslations(
        CHECK_TEXT_WORDS,
        {
          heading: { name: 'example.org' },
          checked: { at: '2026-01-02T03:04:05.000Z', duration: '321 ms' },
          noAddress: { problem: 'PROBLEM-TEXT' },
          certificate: { trusted: false, nameMatches: true },
          expiredAgo: { days: 30 },
          expiresIn: { days: 90 },
          dateAndWhen: { date: '2027-01-01', when: 'WHEN-TEXT' },
          keysValid: { ids: ['ed25519:abc', 'ed25519:def'] },
          serverVersion: { software: 'Synapse 1.140.0' },
          unknownVersion: { why: 'WHY-TEXT' },
          delegatedTo: { mServer: '"matrix.example.org"' },
          answered: { url: 'https://example.org/.well-known/matrix/client', status: 404 },
          homeserver: { url: 'https://matrix.example.org', works: true, latest: 'v1.11' },
          identityServer: { url: 'https://vector.im', works: true },
          contacts: { count: 2, page: 'https://example.org/support' },
        },
        // TLS is TLS in Chinese too; a date and its remark (translated on its own) only change their brackets.
        ['column.tls', 'dateAndWhen'],
      ),
    ).toEqual([]);
  });

  it.each(['good.example.org', 'halfdead.example.org', 'dead.example.org', 'denied.example.org'])(
    '%s in Chinese: the same addresses, problems and hints as in English, Chinese words',
    async (name) => {
      const en = await check(name, 'en');
      const zh = await check(name, 'zh-CN');
      const english = renderCheckText(en);
      expect(renderCheckText(en, { locale: 'en' })).toBe(english);
      const chinese = renderCheckText(zh, { locale: 'zh-CN' });
      expect(chinese).toMatch(HAN);
      expect(chinese.split('\n')[0]).toContain(name);
      for (const word of ENGLISH_WORDS) expect(chinese, String(word)).not.toMatch(word);
      // The text's own words follow the style (the hints are checked by their own tests).
      const own = chinese
        .split('\n')
        .filter(
          (line) =>
            !zh.hints.some(
              (h) => line.includes(h.title) || h.detail.includes(line.trim()) || h.fix.includes(line.trim()),
            ),
        );
      expect(spacingFaults(own.join('\n'))).toEqual([]);
      // The values of the table and of the problems under it: every address, every code, the server's version.
      for (const a of en.addresses) {
        expect(chinese).toContain(a.address);
        expect(chinese).toContain(a.family === 6 ? 'IPv6' : 'IPv4');
      }
      for (const code of english.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []) expect(chinese).toContain(code);
      if (en.version.name !== null) expect(chinese).toContain(en.version.name);
      // The hints the Chinese check made (in Chinese), each with its title, detail and fix.
      expect(zh.hints.map((h) => h.id)).toEqual(en.hints.map((h) => h.id));
      for (const hint of zh.hints) {
        expect(chinese).toContain(hint.title);
        expect(chinese).toContain(hint.fix.split('\n')[0]);
      }
      // Colours change nothing else, in Chinese too.
      // eslint-disable-next-line no-control-regex
      expect(renderCheckText(zh, { locale: 'zh-CN', color: true }).replace(/\x1b\[[0-9;]*m/g, '')).toBe(chinese);
    },
  );

  it('remote text stays escaped in Chinese (an m.server with terminal escapes)', () => {
    const base = reports.get('good.example.org en');
    expect(base).toBeDefined();
    const hostile = '\x1b]0;pwned\x07matrix.example.org';
    const report: CheckReport = {
      ...base!,
      resolution: { ...base!.resolution, wellKnown: { ...base!.resolution.wellKnown, mServer: hostile } },
    };
    const chinese = renderCheckText(report, { locale: 'zh-CN' });
    expect(chinese).not.toContain('\x1b');
    expect(chinese).not.toContain('\x07');
    expect(chinese).toContain('\\x1b]0;pwned\\x07matrix.example.org');
  });
});
