// Every problem sentence of the key checks, as the checks write it, read back and said again in Chinese (issue 17).

import { describe, expect, it } from 'vitest';
import { ENDPOINT_BODY_TEXTS, endpointBodyEnglish } from '../../src/check-report/endpoint-answer-texts.js';
import { UNREAD_TEXTS } from '../../src/diagnosis/rules/read-back.js';
import { keyProblemWords, readKeyProblem, type KeySentence } from '../../src/diagnosis/rules/key-problem-words.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { parseBase64 } from '../../src/keys/base64.js';
import { canonicalJsonBytes } from '../../src/keys/canonical-json.js';
import {
  ed25519PublicKeyFromSeed,
  generateEd25519Seed,
  verifyJsonSignature,
  verifyJsonSignatureWith,
} from '../../src/keys/ed25519.js';
import { KEY_CHECK_TEXTS, keyCheckEnglish } from '../../src/keys/key-check-texts.js';
import { buildSignedKeyResponse, inspectServerKeys } from '../../src/keys/key-response.js';
import { HAN, englishRuns, sentenceValues, unspaced } from './sentence-checks.js';

const SERVER = 'example.org';
const KEY_ID = 'ed25519:a_1';
const NOW = 1_700_000_000_000;
const DAY_MS = 86_400_000;
const seed = generateEd25519Seed();

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- crafted JSON bodies

function good(): Body {
  return buildSignedKeyResponse({ serverName: SERVER, keyId: KEY_ID, seed, validUntilTs: NOW + DAY_MS }) as Body;
}

function changed(change: (body: Body) => void): Body {
  const body = good();
  change(body);
  return body;
}

/** The problems the key check writes for a body: the sentences the report keeps. */
function problemsOf(body: unknown, expected = SERVER): string[] {
  return inspectServerKeys(body, expected, NOW).errors.map((e) => e.message);
}

/** A body whose `extra` member nests arrays deeper than canonical JSON's encoder can go. */
function deepBody(): Body {
  const body = good();
  let inner: unknown[] = [];
  body['extra'] = inner;
  for (let i = 0; i < 200_000; i++) {
    const next: unknown[] = [];
    inner.push(next);
    inner = next;
  }
  return body;
}

/**
 * Sentences of the signature check and of base64 that no key response reaches (checkKey looks them up only after
 * its own checks passed), made by the producers themselves and put where checkKey puts a signature's or a key's
 * problem.
 */
function unreachableFromAResponse(): string[] {
  const publicKey = ed25519PublicKeyFromSeed(seed);
  const signature = (message: string): string =>
    keyCheckEnglish('key.signature', { section: 'verify_keys', keyId: KEY_ID, problem: message });
  const failed = (result: ReturnType<typeof verifyJsonSignature>): string => (result.ok ? '' : result.message);
  const canonical = (value: unknown): string =>
    failed(verifyJsonSignatureWith(good(), SERVER, KEY_ID, publicKey, () => canonicalJsonBytes(value)));
  const circular: Body = {};
  circular['self'] = circular;
  class Tile {}
  const base64 = parseBase64(42);
  return [
    signature(failed(verifyJsonSignature(42, SERVER, KEY_ID, publicKey))),
    signature(failed(verifyJsonSignature(good(), SERVER, 'rsa:1', publicKey))),
    signature(failed(verifyJsonSignature(good(), SERVER, KEY_ID, 'A!'))),
    signature(failed(verifyJsonSignature(good(), SERVER, KEY_ID, 'AAAA'))),
    signature(canonical({ a: circular })),
    signature(canonical({ a: undefined })),
    signature(canonical({ a: Number.POSITIVE_INFINITY })),
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    signature(canonical({ a: [1, , 2] })),
    signature(canonical({ a: new Tile() })),
    // No constructor name to say: `an object`.
    signature(canonical({ a: Object.create(Object.create(null) as object) as object })),
    keyCheckEnglish('key.notBase64', {
      section: 'verify_keys',
      keyId: KEY_ID,
      reason: base64.ok ? '' : base64.message,
    }),
  ];
}

/** Every sentence form the key checks write, each made by the check itself from a crafted response. */
function everyProblem(): string[] {
  const keyEntry = (entry: unknown) =>
    changed((b) => {
      b['verify_keys'][KEY_ID] = entry;
    });
  const signedBy = (value: unknown) =>
    changed((b) => {
      b['signatures'][SERVER][KEY_ID] = value;
    });
  const bodies: Body[] = [
    changed((b) => {
      b['valid_until_ts'] = NOW - 1000;
    }),
    changed((b) => {
      b['valid_until_ts'] = 'soon';
    }),
    changed((b) => {
      delete b['server_name'];
    }),
    changed((b) => {
      b['verify_keys'] = [1, 2];
    }),
    changed((b) => {
      b['verify_keys'] = {};
    }),
    changed((b) => {
      b['verify_keys'] = { 'rsa:1': {}, 'rsa:2': {} };
    }),
    changed((b) => {
      b['old_verify_keys'] = 5;
    }),
    changed((b) => {
      for (let i = 0; i < 40; i++) b['verify_keys'][`ed25519:k${i}`] = { key: 'AAAA' };
    }),
    changed((b) => {
      b['verify_keys']['ed25519:bad-id!'] = b['verify_keys'][KEY_ID];
    }),
    keyEntry('a key'),
    keyEntry({}),
    keyEntry({ key: null }),
    keyEntry({ key: [1] }),
    keyEntry({ key: true }),
    keyEntry({ key: 42 }),
    keyEntry({ key: 'Zm 8' }),
    keyEntry({ key: 'Zm8!' }),
    keyEntry({ key: 'ab-c+d' }),
    keyEntry({ key: 'Zg=' }),
    keyEntry({ key: 'AAAAA' }),
    keyEntry({ key: 'AAAA' }),
    changed((b) => {
      delete b['signatures'];
    }),
    changed((b) => {
      b['signatures'] = 7;
    }),
    changed((b) => {
      b['signatures'] = {};
    }),
    changed((b) => {
      b['signatures'] = { 'other.example': b['signatures'][SERVER] };
    }),
    changed((b) => {
      b['signatures'][SERVER] = 'signed';
    }),
    changed((b) => {
      b['signatures'][SERVER] = {};
    }),
    signedBy(1234),
    signedBy('not base64!'),
    signedBy('AAAA'),
    changed((b) => {
      b['valid_until_ts'] = NOW + 2 * DAY_MS; // after signing: the signature no longer matches
    }),
    changed((b) => {
      b['extra'] = 1.5;
    }),
    changed((b) => {
      b['extra'] = 2 ** 60;
    }),
    changed((b) => {
      b['extra'] = '\ud800';
    }),
    deepBody(),
  ];
  return [
    ...[[1, 2], null, 'keys', 42, true].flatMap((body) => problemsOf(body)),
    ...problemsOf(good(), 'other.example'),
    ...bodies.flatMap((body) => problemsOf(body)),
    ...unreachableFromAResponse(),
  ];
}

function formsOf(sentence: KeySentence, into: Set<string>): Set<string> {
  into.add(sentence.key);
  for (const inner of Object.values(sentence.nested)) formsOf(inner, into);
  return into;
}

/** What is wrong with a sentence said again in Chinese, next to the English one (nothing: an empty list). */
function problemsOfChinese(english: string, chinese: string): string[] {
  const found: string[] = [];
  if (!HAN.test(chinese)) found.push('no Chinese');
  if (chinese.includes('检查结果（原文）')) found.push('not read back (shown as the check wrote it)');
  for (const run of englishRuns(chinese)) found.push(`English words: ${JSON.stringify(run)}`);
  const touching = unspaced(chinese);
  if (touching !== null) found.push(`no space in ${JSON.stringify(touching)}`);
  for (const value of sentenceValues(english)) if (!chinese.includes(value)) found.push(`does not show ${value}`);
  return found;
}

describe('the key checks’ sentences in Chinese hints', () => {
  const problems = everyProblem();

  it('the catalogue is complete in every language', () => {
    expect(
      checkTranslations(
        KEY_CHECK_TEXTS,
        {
          'value.string': { text: '"a text"' },
          'value.number': { number: '1234' },
          'value.type': { type: 'boolean' },
          'response.notObject': { value: 'an array' },
          'response.tooManyKeys': { total: '4000', max: '3200' },
          'serverName.invalid': { value: 'the number 5555' },
          'serverName.mismatch': { claimed: '"hs.example.org"', expected: '"example.org"' },
          'validUntil.invalid': { value: 'the string "soon"' },
          'validUntil.past': { until: '2026-12-06T10:00:00.000Z', now: '2026-12-07T11:00:00.000Z' },
          'verifyKeys.invalid': { value: 'missing' },
          'verifyKeys.others': { ids: 'rsa:one, rsa:two' },
          'oldVerifyKeys.invalid': { value: 'the number 7777' },
          'key.badId': { id: '"ed25519:bad-id"' },
          'key.notObject': { section: 'verify_keys', keyId: 'ed25519:abc', value: 'the string "x"' },
          'key.keyNotString': { section: 'old_verify_keys', keyId: 'ed25519:def', value: 'null' },
          'key.notBase64': { section: 'verify_keys', keyId: 'ed25519:ghi', reason: 'a reason' },
          'key.length': { section: 'verify_keys', keyId: 'ed25519:jkl', bytes: '333' },
          'key.noServerName': { section: 'verify_keys', keyId: 'ed25519:mno' },
          'key.signature': { section: 'verify_keys', keyId: 'ed25519:pqr', problem: 'a problem' },
          'signature.noEntry': { name: '"example.org"' },
          'signature.noEntryOthers': { name: '"example.org"', others: '"other.example", "third.example"' },
          'signature.entryNotObject': { serverName: 'example.org' },
          'signature.notEd25519': { keyId: 'rsa:stu' },
          'signature.missing': { name: '"example.org"', keyId: 'ed25519:vwx' },
          'signature.keyNotBase64': { keyId: 'ed25519:yza' },
          'signature.keyLength': { keyId: 'ed25519:bcd', bytes: '333' },
          'signature.notString': { keyId: 'ed25519:efg' },
          'signature.notBase64': { keyId: 'ed25519:hij' },
          'signature.length': { keyId: 'ed25519:klm', bytes: '444' },
          'signature.notCanonical': { reason: 'a reason' },
          'signature.mismatch': { keyId: 'ed25519:nop' },
          'base64.notString': { type: 'number' },
          'base64.character': { character: '"!" (U+0021)' },
          'base64.length': { length: '555' },
          'canonical.circular': { path: '$.a.b' },
          'canonical.notJsonValue': { path: '$.c', type: 'undefined' },
          'canonical.notFinite': { path: '$.d', number: 'Infinity' },
          'canonical.float': { path: '$.e', number: '1.5' },
          'canonical.range': { path: '$.f', number: '1152921504606846976' },
          'canonical.sparse': { path: '$.g[1]' },
          'canonical.notPlainNamed': { path: '$.h', name: 'Tile' },
          'canonical.notPlain': { path: '$.i' },
          'canonical.loneSurrogate': { path: '$.j', unit: 'D800', index: '777' },
        },
        // `"<key>": <problem>`: only the key and the problem, said in the language already.
        ['key.signature'],
      ),
    ).toEqual([]);
    expect(
      checkTranslations(ENDPOINT_BODY_TEXTS, { version: { reason: 'Unexpected' }, keys: { reason: 'token' } }),
    ).toEqual([]);
    expect(checkTranslations(UNREAD_TEXTS, { unread: { sentence: 'a sentence' } })).toEqual([]);
  });

  it('every form of the catalogue is written by the checks, and each sentence they write is read back', () => {
    const forms = new Set<string>();
    const unread: string[] = [];
    for (const message of problems) {
      const read = readKeyProblem(message);
      if (read === null) unread.push(message);
      else formsOf(read, forms);
    }
    expect(unread).toEqual([]);
    expect(Object.keys(KEY_CHECK_TEXTS.en).filter((form) => !forms.has(form))).toEqual([]);
  });

  it('in Chinese: Chinese words, every value of the English, no English sentence of ours left', () => {
    const wrong: string[] = [];
    for (const message of problems) {
      // The detector sees the English: a sentence of ours has a run of English words.
      expect(englishRuns(message).length + sentenceValues(message).length, message).toBeGreaterThan(0);
      const chinese = keyProblemWords(message, 'keys', 'zh-CN');
      for (const problem of problemsOfChinese(message, chinese)) wrong.push(`${message}\n  ${chinese}\n  ${problem}`);
    }
    expect(wrong).toEqual([]);
  });

  it('in English: the sentence as the check wrote it', () => {
    for (const message of problems) expect(keyProblemWords(message, 'keys', 'en')).toBe(message);
  });

  it('a key response that is not JSON: said in Chinese, JSON.parse’s own text quoted and marked as the system’s', () => {
    let reason = '';
    try {
      JSON.parse('{"server_name": ');
    } catch (error) {
      reason = (error as Error).message;
    }
    for (const endpoint of ['keys', 'version'] as const) {
      const message = endpointBodyEnglish(endpoint, { reason });
      const chinese = keyProblemWords(message, endpoint, 'zh-CN');
      expect(chinese).toContain(`（系统原文：${reason}）`);
      expect(problemsOfChinese(message, chinese)).toEqual([]);
    }
  });

  it('a sentence cut by the report’s bounds, or of another layer, is shown as the check wrote it, marked', () => {
    const names = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`signer-${i}.example.org`, {}]));
    const [cut] = problemsOf(
      changed((b) => {
        b['signatures'] = names;
      }),
    );
    expect(cut).toContain('(cut: ');
    expect(readKeyProblem(cut ?? '')).toBeNull();
    expect(keyProblemWords(cut ?? '', 'keys', 'zh-CN')).toBe(`检查结果（原文）：${cut}`);
    const timeout = 'request to 127.0.0.1:8448 timed out after 4000 ms';
    expect(keyProblemWords(timeout, 'keys', 'zh-CN')).toBe(`检查结果（原文）：${timeout}`);
  });
});
