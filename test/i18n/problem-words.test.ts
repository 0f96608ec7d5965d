// reportSentenceWords and reportMessages (src/diagnosis/problem-words.ts): any sentence of a report said in zh-CN
// through the hints' readers; English unchanged; a sentence no form reads shown as it is, marked as whose words it is.

import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check-report/index.js';
import { CHECKER_VERSION_EN, CHECKER_VERSION_TEXTS } from '../../src/check-report/checker-error-texts.js';
import { endpointAnswerEnglish } from '../../src/check-report/endpoint-answer-texts.js';
import { TRUST_PROBLEM_TEXTS } from '../../src/check-report/trust-problem-texts.js';
import { reportMessages, reportSentenceWords, type ReportSentenceKind } from '../../src/diagnosis/index.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { trustProblemWords } from '../../src/diagnosis/rules/tls-texts.js';
import { keyCheckEnglish } from '../../src/keys/key-check-texts.js';
import { NET_ERROR_TEXTS } from '../../src/net/net-error-texts.js';
import { boundRemoteText } from '../../src/remote-text.js';
import { HAN, englishProse, sentenceValues } from './sentence-checks.js';

const KINDS: readonly ReportSentenceKind[] = [
  'error',
  'trust',
  'version',
  'keys',
  'client',
  'support',
  'settings',
  'check',
];

/** A sentence of ours that no form of any catalogue writes. */
const UNWRITTEN = 'the check found that this sentence is worded by another version';

describe('reportSentenceWords', () => {
  it('gives every kind of sentence unchanged in English', () => {
    for (const kind of KINDS) expect(reportSentenceWords(kind, 'ANY_CODE', UNWRITTEN, 'en')).toBe(UNWRITTEN);
  });

  it('says the sentences the producers write in Chinese, with every value and no English sentence left', () => {
    const cases: [ReportSentenceKind, string, string][] = [
      ['trust', 'TLS_EXPIRED', TRUST_PROBLEM_TEXTS.en.TLS_EXPIRED({ verifyError: 'CERT_HAS_EXPIRED' })],
      [
        'keys',
        'KEYS_SERVER_NAME_MISMATCH',
        keyCheckEnglish('serverName.mismatch', { claimed: '"other.example.org"', expected: '"example.org"' }),
      ],
      ['version', 'HTTP_ERROR', endpointAnswerEnglish('version', { status: '502' })],
      ['error', 'TIMEOUT', NET_ERROR_TEXTS.en.tcpTimeout({ address: '192.0.2.1:8448', ms: 10000 })],
    ];
    for (const [kind, code, english] of cases) {
      const chinese = reportSentenceWords(kind, code, english, 'zh-CN');
      expect(chinese, english).toMatch(HAN);
      expect(englishProse(chinese), chinese).toEqual([]);
      for (const value of sentenceValues(english)) expect(chinese, english).toContain(value);
    }
  });

  it('marks a sentence of ours no form reads as the check’s words, and a system’s words as such', () => {
    const ours: [ReportSentenceKind, string][] = [
      ['trust', 'TLS_EXPIRED'],
      ['keys', 'KEYS_INVALID'],
      ['client', 'CLIENT_CONTENT_TYPE'],
      ['support', 'SUPPORT_CONTENT_TYPE'],
      ['settings', 'CLIENT_E2EE_INVALID'],
      ['check', 'VERSION_FAILED'],
    ];
    for (const [kind, code] of ours)
      expect(reportSentenceWords(kind, code, UNWRITTEN, 'zh-CN'), kind).toBe(`检查结果（原文）：${UNWRITTEN}`);
    const node = 'connect ECONNREFUSED 192.0.2.1:8448';
    const said = reportSentenceWords('error', 'CONNECT_REFUSED', node, 'zh-CN');
    expect(said).toContain(`（系统原文：${node}）`);
    expect(said.startsWith('（')).toBe(false);
  });

  it('says the report’s own version sentences (no address answered, failed) in Chinese, and they are complete', () => {
    expect(checkTranslations(CHECKER_VERSION_TEXTS, {}, [])).toEqual([]);
    for (const key of ['noAddressAnswered', 'versionFailed'] as const) {
      const chinese = reportSentenceWords('check', null, CHECKER_VERSION_EN[key], 'zh-CN');
      expect(chinese, key).toBe(CHECKER_VERSION_TEXTS['zh-CN'][key]);
      expect(chinese, key).toMatch(HAN);
    }
  });

  it('says an untrusted chain the catalogue does not word from its code, Node’s words marked (hint and report alike)', () => {
    const node = 'certificate signature failure';
    for (const said of [
      trustProblemWords('TLS_ERROR', node, 'zh-CN'),
      reportSentenceWords('trust', 'TLS_ERROR', node, 'zh-CN'),
    ]) {
      expect(said).toMatch(HAN);
      expect(said).toContain(`（系统原文：${node}）`);
    }
    expect(trustProblemWords('TLS_ERROR', node, 'en')).toBe(node);
  });

  it('says a cut sentence’s marker in Chinese too, the number kept', () => {
    const cut = boundRemoteText(`${UNWRITTEN} ${'x'.repeat(2000)}`, 1024);
    const chinese = reportSentenceWords('keys', 'KEYS_INVALID', cut, 'zh-CN');
    expect(chinese).toContain('检查结果（原文）：');
    expect(chinese).not.toContain('(cut:');
    expect(chinese).toContain(String(Buffer.byteLength(`${UNWRITTEN} ${'x'.repeat(2000)}`)));
  });
});

/** A report with only what reportSentences reads: one address with a connection error. */
function reportWith(message: string): CheckReport {
  return {
    resolution: { error: null, wellKnown: { code: null, detail: '' } },
    wellKnownByAddress: [],
    addresses: [{ connectionError: { code: 'CONNECT_REFUSED', message }, tls: null, version: null, keys: null }],
    client: null,
    support: null,
  } as unknown as CheckReport;
}

describe('reportMessages', () => {
  it('is empty in English, and lists a sentence in Chinese by its English words (any key an ordinary one)', () => {
    const sentence = NET_ERROR_TEXTS.en.tcpTimeout({ address: '192.0.2.1:8448', ms: 10000 });
    expect(reportMessages(reportWith(sentence), 'en')).toEqual({});
    const messages = reportMessages(reportWith(sentence), 'zh-CN');
    expect(Object.keys(messages)).toEqual([sentence]);
    expect(messages[sentence]).toBe(reportSentenceWords('error', 'CONNECT_REFUSED', sentence, 'zh-CN'));
    const odd = reportMessages(reportWith('__proto__'), 'zh-CN');
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.keys(odd)).toEqual(['__proto__']);
  });
});
