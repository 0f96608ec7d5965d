// The language machinery: choosing a locale (tags, POSIX names, the environment, Accept-Language), typed catalogues,
// the Intl formatters, and the completeness check that guards every catalogue of the project.

import { describe, expect, it } from 'vitest';
import {
  checkTranslations,
  localeFromAcceptLanguage,
  localeFromEnvironment,
  localize,
  parseLocale,
  type Catalogue,
  type MessageExamples,
  type Translation,
} from '../../src/i18n/index.js';

describe('parseLocale', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh_SG.gb2312', 'zh-CN'],
    ['en', 'en'],
    ['en_US.UTF-8', 'en'],
    ['en-GB', 'en'],
    ['C', 'en'],
    ['C.UTF-8', 'en'],
    ['POSIX', 'en'],
  ])('%s is %s', (tag, locale) => {
    expect(parseLocale(tag)).toBe(locale);
  });

  it.each(['zh-TW', 'zh_HK.UTF-8', 'zh-Hant', 'zh-Hant-CN', 'fr_FR.UTF-8', 'de', '', '   '])(
    '%j has no messages of its own (null: English is used)',
    (tag) => {
      expect(parseLocale(tag)).toBeNull();
    },
  );
});

describe('localeFromEnvironment', () => {
  it('reads LC_ALL, then LC_MESSAGES, then LANG, as gettext does', () => {
    expect(localeFromEnvironment({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(localeFromEnvironment({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(localeFromEnvironment({ LC_ALL: 'C', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(localeFromEnvironment({ LC_ALL: '', LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
  });

  it('is English when nothing is set or the language has no messages', () => {
    expect(localeFromEnvironment({})).toBe('en');
    expect(localeFromEnvironment({ LANG: 'fr_FR.UTF-8' })).toBe('en');
  });
});

describe('localeFromAcceptLanguage (RFC 9110 §12.5.4)', () => {
  it('takes the acceptable range of highest weight that has messages', () => {
    expect(localeFromAcceptLanguage('fr-FR, zh-CN;q=0.8, en;q=0.5')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en;q=0.9, zh-Hans;q=0.95')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('zh-CN;q=0.5, en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('zh-CN;q=0, fr')).toBe('en');
  });

  it('is English without a header, for *, and for a hostile header', () => {
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(localeFromAcceptLanguage('*')).toBe('en');
    expect(localeFromAcceptLanguage(`${'x-klingon;q=0.9,'.repeat(10_000)}zh-CN`)).toBe('en');
    expect(localeFromAcceptLanguage(';;;,,,q=abc')).toBe('en');
  });
});

// A small catalogue in the shape every catalogue of the project has.
const en = {
  title: 'Federation works',
  addresses: (p: { count: number; list: readonly string[] }, f) =>
    `${f.plural(p.count, { one: `${f.number(p.count)} address`, other: `${f.number(p.count)} addresses` })}: ${f.list(p.list)}`,
  code: 'HTTP 404',
} satisfies Catalogue;
const zhCN: Translation<typeof en> = {
  title: '联邦通信正常',
  addresses: (p, f) => `${f.number(p.count)} 个地址：${f.list(p.list)}`,
  code: 'HTTP 404',
};
const EXAMPLES: MessageExamples<typeof en> = { addresses: { count: 1234, list: ['alpha.example', 'beta.example'] } };

describe('localize', () => {
  it('renders a message in the chosen language, with its plurals, numbers and lists', () => {
    const english = localize({ en, 'zh-CN': zhCN }, 'en');
    const chinese = localize({ en, 'zh-CN': zhCN }, 'zh-CN');
    expect(english('title')).toBe('Federation works');
    expect(english('addresses', { count: 1, list: ['a'] })).toBe('1 address: a');
    expect(english('addresses', { count: 1234, list: ['a', 'b', 'c'] })).toBe('1,234 addresses: a, b, and c');
    expect(chinese('addresses', { count: 1234, list: ['a', 'b', 'c'] })).toBe('1,234 个地址：a、b和c');
  });
});

describe('checkTranslations', () => {
  it('passes a complete catalogue', () => {
    expect(checkTranslations({ en, 'zh-CN': zhCN }, EXAMPLES, ['code'])).toEqual([]);
  });

  it('finds a missing key, a dropped placeholder, an extra one, and a message left in English', () => {
    const broken = {
      title: 'Federation works',
      addresses: (p: { count: number; list: readonly string[] }) => `${p.count} 个地址`,
    } as unknown as Translation<typeof en>;
    expect(checkTranslations({ en, 'zh-CN': broken }, EXAMPLES)).toEqual([
      { locale: 'zh-CN', key: 'title', problem: 'no Chinese in "Federation works"' },
      { locale: 'zh-CN', key: 'addresses', problem: 'does not show "alpha.example"' },
      { locale: 'zh-CN', key: 'addresses', problem: 'does not show "beta.example"' },
      { locale: 'zh-CN', key: 'code', problem: 'missing' },
    ]);
  });

  it('finds a translation that shows a value the English message does not', () => {
    const english = { fix: (p: { host: string; port: string }) => `Open port ${p.port}.` } satisfies Catalogue;
    const chinese: Translation<typeof english> = { fix: (p) => `打开 ${p.host} 的 ${p.port} 端口。` };
    expect(
      checkTranslations({ en: english, 'zh-CN': chinese }, { fix: { host: 'matrix.example', port: '8448' } }),
    ).toEqual([{ locale: 'zh-CN', key: 'fix', problem: 'shows "matrix.example", English does not' }]);
  });
});
