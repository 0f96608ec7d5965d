// `serve`'s config errors in Chinese: every catalogue complete, and every broken config of the corpus refused in both
// languages with the same codes, keys and lines, Chinese problems, fixes and warnings, and the same values.

import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_TEXTS } from '../../src/config/config-texts.js';
import { formatConfigErrors, parseConfig, type ConfigResult } from '../../src/config/index.js';
import { VALIDATE_TEXTS } from '../../src/config/validate-texts.js';
import { LISTENER_TEXTS } from '../../src/config/validate-listeners-texts.js';
import { SETTINGS_TEXTS } from '../../src/config/validate-settings-texts.js';
import { CLIENT_TEXTS } from '../../src/config/validate-client-texts.js';
import { MONITOR_TEXTS } from '../../src/config/validate-monitor-texts.js';
import { checkTranslations, type Catalogue, type Locale, type Translations } from '../../src/i18n/index.js';
import { SERVER_NAME_PROBLEM_TEXTS, SERVER_NAME_WARNING_TEXTS } from '../../src/server-name/rule-texts.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import { examplesOf, spacingFaults } from './catalogue-examples.js';
import { caseReader, configCases, type ConfigCase } from './config-cases.js';

const HAN = /\p{Script=Han}/u;

describe('catalogues', () => {
  const catalogues: [string, Translations<Catalogue>, readonly string[]][] = [
    // A line number, a warning's frame, a range and a unit are the same in both languages but for punctuation.
    ['config', CONFIG_TEXTS, ['format.error', 'format.warning', 'integer.range', 'value.boolean']],
    ['validate', VALIDATE_TEXTS, []],
    ['listeners', LISTENER_TEXTS, []],
    ['settings', SETTINGS_TEXTS, []],
    ['client', CLIENT_TEXTS, ['role.rolesJoin']],
    ['monitor', MONITOR_TEXTS, []],
    ['server-name warnings', SERVER_NAME_WARNING_TEXTS, []],
    ['server-name problem frame', SERVER_NAME_PROBLEM_TEXTS, ['problem', 'at']],
  ];
  it.each(catalogues)('%s is complete in every language', (_, texts, untranslated) => {
    expect(checkTranslations(texts, examplesOf(texts.en) as never, untranslated as never)).toEqual([]);
  });
});

let cases: ConfigCase[];
beforeAll(async () => {
  const ca = await createCertificateAuthority();
  cases = configCases({
    good: await ca.issue({ dnsNames: ['example.com'] }),
    other: await ca.issue({ dnsNames: ['other.example.org'] }),
    expired: await ca.issue({ dnsNames: ['example.com'], kind: 'expired' }),
    encryptedKey: generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
    }).privateKey,
  });
});

function load(c: ConfigCase, locale: Locale): ConfigResult {
  return parseConfig(c.yaml, {
    readTextFile: caseReader(c.files),
    env: c.env ?? {},
    baseDir: '/tls',
    sourceName: 'serve.yaml',
    locale,
    ...(c.now ? { now: () => c.now! } : {}),
  });
}

/** The values an English text names (quoted strings, URLs, paths, addresses, numbers): the Chinese one names them too. */
function valuesOf(text: string): string[] {
  const quoted = text.match(/"[^"\n]*"/g) ?? [];
  const tokens = (text.match(/[\w.:/@[\]%!#*<>+-]*[\d/@][\w.:/@[\]%!#*<>+-]*/g) ?? [])
    .map((t) => t.replace(/[.:]+$/, ''))
    // Words joined by a slash ("and/or", "address/prefix") are words, not values.
    .filter((t) => t.length >= 2 && !/^[a-z]+\/[a-z]+$/i.test(t));
  return [...new Set([...quoted, ...tokens])];
}

/**
 * Problems whose English quotes another part's message (the server-name parser's, the address policy's, the DNS
 * server parser's): in other languages they say what the rule means, naming the value given (the first quoted one).
 */
const QUOTING_PROBLEMS = new Set(['invalid-server-name', 'invalid-matrix-id', 'invalid-cidr', 'invalid-dns-server']);

describe('every broken config of the corpus, in Chinese', () => {
  it('covers every error code the validators report', async () => {
    const codes = new Set(
      cases.flatMap((c) => {
        const r = load(c, 'en');
        return r.ok ? [] : r.errors.map((e) => e.code);
      }),
    );
    // Every code of CONFIG_ERROR_CODES that a config read without a server can produce.
    const { CONFIG_ERROR_CODES } = await import('../../src/config/types.js');
    expect(CONFIG_ERROR_CODES.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('refuses and warns the same way, in Chinese words with the same values', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const en = load(c, 'en');
      const zh = load(c, 'zh-CN');
      expect(zh.ok, c.name).toBe(en.ok);
      expect(zh.warnings.length, c.name).toBe(en.warnings.length);
      const pairs: [string, string, string][] = [];
      if (!en.ok && !zh.ok) {
        expect(
          zh.errors.map((e) => [e.key, e.code, e.line, e.column]),
          c.name,
        ).toEqual(en.errors.map((e) => [e.key, e.code, e.line, e.column]));
        en.errors.forEach((e, i) => {
          const z = zh.errors[i]!;
          // A YAML syntax error's problem is the parser's own message, in English in every language.
          if (QUOTING_PROBLEMS.has(e.code)) {
            const given = e.problem.match(/"[^"\n]*"/)?.[0];
            if (given !== undefined && !z.problem.includes(given))
              failures.push(`${c.name}: ${given} missing in ${z.problem}`);
            if (!HAN.test(z.problem)) failures.push(`${c.name}: no Chinese in ${z.problem}`);
          } else if (e.code !== 'yaml-syntax') pairs.push([`${c.name}: problem`, e.problem, z.problem]);
          pairs.push([`${c.name}: fix`, e.fix, z.fix]);
        });
        const text = formatConfigErrors(zh.errors, 'serve.yaml', 'zh-CN');
        expect(text).toMatch(/^serve\.yaml：\d+ 个错误，服务器无法启动：\n/);
        expect(text).not.toMatch(/\bfix:|\bthe server cannot start\b|\(line \d+/);
      }
      en.warnings.forEach((w, i) => pairs.push([`${c.name}: warning`, w, zh.warnings[i]!]));
      for (const [where, english, chinese] of pairs) {
        if (!HAN.test(chinese)) failures.push(`${where}: no Chinese in ${chinese}`);
        for (const fault of spacingFaults(chinese)) failures.push(`${where}: no space in ${JSON.stringify(fault)}`);
        for (const value of valuesOf(english))
          if (!chinese.includes(value)) failures.push(`${where}: ${JSON.stringify(value)} missing in ${chinese}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
