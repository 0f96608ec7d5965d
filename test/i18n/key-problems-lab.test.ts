// Key problems and endpoint answers of real checks (lab homeservers with broken keys), diagnosed in zh-CN (issue 17).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hint } from '../../src/check-report/index.js';
import { checkServer } from '../../src/checker/check.js';
import type { CheckReport } from '../../src/checker/types.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab, type Lab, type LabHandler, type LabResponse } from '../../src/testing/index.js';
import { hostOf, labAllowNetworks } from '../diagnosis/homeserver.js';
import { HAN, englishRuns, sentenceValues, unspaced } from './sentence-checks.js';

const DAY_MS = 86_400_000;
const seed = generateEd25519Seed();

/** A signed key response for the name asked for (the Host without `hs.`), changed by `change` after signing. */
function keys(change: (body: Record<string, unknown>) => void): LabHandler {
  return (req): LabResponse => {
    const body = buildSignedKeyResponse({
      serverName: hostOf(req).replace(/^hs\./, ''),
      keyId: 'ed25519:lab_1',
      seed,
      validUntilTs: Date.now() + DAY_MS,
    }) as unknown as Record<string, unknown>;
    change(body);
    return { json: body };
  };
}

/** Each scenario's key endpoint: what a broken homeserver (or what stands in front of it) answers. */
const KEY_ANSWERS: Readonly<Record<string, LabHandler | LabResponse>> = {
  // A proxy rewriting the JSON after the homeserver signed it.
  tampered: keys((b) => {
    b['valid_until_ts'] = Number(b['valid_until_ts']) + 1;
  }),
  // A member canonical JSON cannot encode: the signature cannot be checked.
  float: keys((b) => {
    b['extra'] = 0.5;
  }),
  badkey: keys((b) => {
    b['verify_keys'] = { 'ed25519:bad-id': { key: 'not base64!' } };
  }),
  nokeys: keys((b) => {
    b['verify_keys'] = {};
  }),
  notjson: { body: '{"server_name": ', headers: { 'content-type': 'application/json' } },
  gateway: { status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } },
  // Longer than the check waits for it (STALLED_LIMIT_MS): the client's timeout, a sentence of src/net.
  stalled: { delayMs: 5_000, json: {} },
};

/** The check's limit per operation for the `stalled` scenario (the others get 4 s). */
const STALLED_LIMIT_MS = 1_000;

let lab: Lab;
const reports = new Map<string, CheckReport>();

beforeAll(async () => {
  const names = Object.keys(KEY_ANSWERS);
  lab = await startLab({
    zones: Object.fromEntries(
      names.flatMap((n) => [
        [`${n}.test`, { A: ['web'] }],
        [`hs.${n}.test`, { A: [n] }],
      ]),
    ),
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => ({ json: { 'm.server': `hs.${hostOf(req)}:${lab.ports.https}` } }),
        },
      },
      ...Object.fromEntries(
        names.map((n) => [
          n,
          {
            routes: {
              'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.120.0' } } },
              'GET /_matrix/key/v2/server': KEY_ANSWERS[n] as LabHandler | LabResponse,
            },
          },
        ]),
      ),
    },
  });
  const options = { ...lab.clientOptions(), allowNetworks: labAllowNetworks(lab), checkDocuments: false };
  for (const n of names) {
    const operationTimeoutMs = n === 'stalled' ? STALLED_LIMIT_MS : 4_000;
    reports.set(n, await checkServer(`${n}.test`, { ...options, operationTimeoutMs }));
  }
}, 60_000);

afterAll(async () => {
  await lab.close();
});

/** The hints about keys and endpoints, in `locale`. */
function keyHints(report: CheckReport, locale: 'en' | 'zh-CN'): Hint[] {
  return diagnose(report, { locale }).filter((h) => h.id === 'keys-invalid' || h.id === 'federation-endpoint-error');
}

/** The check's own sentences about the keys (the report's English). */
function keySentences(report: CheckReport): string[] {
  return report.addresses.flatMap((a) => a.keys?.problems.map((p) => p.message) ?? []);
}

describe('key problems of real checks, in a Chinese hint', () => {
  it('each scenario gave a key or endpoint hint, the same ids in both languages', () => {
    for (const [name, report] of reports) {
      const en = keyHints(report, 'en');
      expect(en.length, name).toBeGreaterThan(0);
      expect(
        keyHints(report, 'zh-CN').map((h) => h.id),
        name,
      ).toEqual(en.map((h) => h.id));
    }
  });

  it('the English hint quotes the check’s sentences; the Chinese one says them in Chinese with their values', () => {
    const wrong: string[] = [];
    for (const [name, report] of reports) {
      // Its sentence is another layer's (the client's timeout): see the last test.
      if (name === 'stalled') continue;
      const sentences = keySentences(report);
      expect(sentences.length, name).toBeGreaterThan(0);
      const en = keyHints(report, 'en')
        .map((h) => h.detail)
        .join(' ');
      const zh = keyHints(report, 'zh-CN')
        .map((h) => h.detail)
        .join(' ');
      for (const sentence of sentences) {
        expect(en, name).toContain(sentence);
        if (zh.includes(sentence)) wrong.push(`${name}: the sentence in English: ${zh}`);
        for (const value of sentenceValues(sentence))
          if (!zh.includes(value)) wrong.push(`${name}: does not show ${value}: ${zh}`);
      }
      if (!HAN.test(zh)) wrong.push(`${name}: no Chinese: ${zh}`);
      if (zh.includes('检查结果（原文）')) wrong.push(`${name}: a sentence not read back: ${zh}`);
      for (const run of englishRuns(zh)) wrong.push(`${name}: English words ${JSON.stringify(run)}: ${zh}`);
      const touching = unspaced(zh);
      if (touching !== null) wrong.push(`${name}: no space in ${JSON.stringify(touching)}: ${zh}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a key response that is not JSON: JSON.parse’s own words kept, marked as the system’s', () => {
    const report = reports.get('notjson');
    const [problem] = report === undefined ? [] : keySentences(report);
    const reason = problem?.replace(/^[^:]*: /, '') ?? '';
    expect(reason).not.toBe('');
    const zh = keyHints(report as CheckReport, 'zh-CN')
      .map((h) => h.detail)
      .join(' ');
    expect(zh).toContain(`（系统原文：${reason}）`);
  });

  it('a timeout on the key endpoint is said through errorWords (our own sentence, in Chinese), not as a key problem', () => {
    const report = reports.get('stalled') as CheckReport;
    const [problem] = report.addresses.flatMap((a) => a.keys?.problems ?? []);
    expect(problem?.code).toBe('TIMEOUT');
    const zh = keyHints(report, 'zh-CN')
      .map((h) => h.detail)
      .join(' ');
    // The timeout is our own sentence (net-error-texts.ts, checker-error-texts.ts): said in Chinese, nothing marked.
    expect(zh).toContain('毫秒内没有完成');
    expect(zh).not.toContain('系统原文');
    expect(zh).not.toContain('检查结果（原文）');
    expect(zh).toContain(String(STALLED_LIMIT_MS));
  });
});
