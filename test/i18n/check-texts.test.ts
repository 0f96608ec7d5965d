// A check's words in Chinese: the summary (made at the end of a check, remade for a stored report) and the text report,
// over real lab reports: the same verdict, addresses, codes and values as in English, in Chinese sentences.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckReport } from '../../src/check-report/index.js';
import { checkSummary } from '../../src/checker/summary.js';
import { SUMMARY_TEXTS } from '../../src/checker/summary-texts.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab, type Lab, type LabHostSpec } from '../../src/testing/index.js';

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
