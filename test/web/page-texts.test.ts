// The page's catalogues (web/assets/texts.js) in Node: zh-CN has every English key with the same placeholders and
// Chinese words, the marks of code and links survive translation, index.html's fallback texts are the English
// catalogue's, every message is used by the page, the language is chosen as web/README.md says, and the resolution
// steps of real lab resolutions are all told in Chinese (web/assets/trace.js), none left in the resolver's English.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTranslations, parseLocale as parseLocaleTs } from '../../src/i18n/index.js';
import type { Catalogue, MessageExamples, Translations } from '../../src/i18n/index.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveResult, TraceEntry } from '../../src/resolver/types.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { NGINX_404, labAllowNetworks } from '../diagnosis/homeserver.js';
import { ROOT } from './chromium.js';

// The page's modules are plain JavaScript served as they are: loaded by URL, typed here by what the tests use.
type Text = (key: string, params?: Record<string, unknown>) => string;
interface PageTexts {
  readonly LOCALES: readonly string[];
  readonly PAGE_TEXTS: Translations<Catalogue>;
  readonly LINKS: Readonly<Record<string, string>>;
  parseLocale(tag: string): string | null;
  chooseLocale(input: { query?: string | null; stored?: string | null; languages?: readonly string[] }): string;
  localize(locale: string): Text;
}
interface PageTrace {
  describeTraceEntry(entry: unknown, resolution: unknown, text: Text): string | null;
  describeWellKnownDetail(outcome: unknown, resolution: unknown, text: Text): string | null;
  describeResolutionError(error: unknown, resolution: unknown, text: Text): string | null;
  describeWellKnown(
    outcome: { code: string | null; url: string; httpStatus?: number | null },
    text: Text,
  ): string | null;
}

const WEB = join(ROOT, 'web');
let texts: PageTexts;
let trace: PageTrace;

beforeAll(async () => {
  texts = (await import(pathToFileURL(join(WEB, 'assets', 'texts.js')).href)) as PageTexts;
  trace = (await import(pathToFileURL(join(WEB, 'assets', 'trace.js')).href)) as PageTrace;
});

/** A value for every placeholder of every message: distinct strings, so that each stands for one placeholder. */
const EXAMPLES: Record<string, Record<string, unknown>> = {
  'format.seconds': { seconds: '12.5' },
  'format.ms': { ms: 812 },
  'verdict.heading': { name: 'name.example.org', verdict: 'verdict-word' },
  'verdict.sentence': { verdict: 'verdict-word' },
  'verdict.documentTitle': { name: 'name.example.org', verdict: 'verdict-word', page: 'Page Title' },
  'verdict.checked': { when: '1/2/2026, 3:04:05 AM' },
  'verdict.took': { duration: '812 ms' },
  'verdict.announce': { name: 'name.example.org', verdict: 'verdict-word', summary: 'Summary words.', fixes: 3 },
  'hints.title': { count: 3 },
  'hint.about': { area: 'Area word' },
  'step.nested': { first: '3.1', last: '3.5' },
  'step.otherStatus': { status: 'status-word' },
  'trace.asked': { query: '_matrix-fed._tcp.asked.example' },
  'trace.httpStatus': { status: 404 },
  'trace.srvRecords': { records: '10 5 8448 target.example' },
  'trace.addresses': { addresses: '192.0.2.1, 2001:db8::1' },
  'trace.cnameChain': { chain: 'alias.example → real.example' },
  'trace.redirects': { count: 2 },
  'trace.code': { code: 'DNS_NXDOMAIN' },
  'trace.took': { duration: '1.5 s' },
  'trace.parse.failed': { reason: 'the host part is empty' },
  'trace.1.taken': { name: '192.0.2.7:8448' },
  'trace.1.skipped': { host: 'host.example' },
  'trace.2.taken': { name: 'host.example:8448' },
  'trace.3.taken': { query: 'https://wk.example/.well-known/matrix/server', target: 'matrix.example:443' },
  'trace.3.failed': { detail: 'detail words' },
  'trace.3.timeout': { query: 'https://wk.example/.well-known/matrix/server' },
  'trace.3.1.taken': { target: '192.0.2.9:8448' },
  'trace.3.1.skipped': { host: 'delegated.example' },
  'trace.3.2.taken': { target: 'delegated.example:443' },
  'trace.3.2.skipped': { host: 'delegated.example' },
  'trace.srv.taken': { query: '_matrix-fed._tcp.srv.example', count: 40, capped: true, max: 32, host: 'srv.example' },
  'trace.srv.nxdomain': { query: '_matrix-fed._tcp.nx.example' },
  'trace.srv.nodata': { query: '_matrix-fed._tcp.nodata.example' },
  'trace.srv.unavailable': { query: '_matrix-fed._tcp.dot.example' },
  'trace.srv.failed': { query: '_matrix-fed._tcp.fail.example', code: 'DNS_SERVFAIL' },
  'trace.plain.taken': { host: 'plain.example', port: 8448 },
  'trace.via': { chain: 'alias.example -> real.example' },
  'trace.address.taken': { host: 'addr.example', via: ' via-words', addresses: '192.0.2.3', error: 'DNS_TIMEOUT' },
  'trace.address.failed': { host: 'addr.example', code: 'DNS_SERVFAIL' },
  'trace.address.empty': { host: 'addr.example', via: ' via-words' },
  'trace.policy.range': { ip: '10.0.0.7', range: '10.0.0.0/8' },
  'trace.policy.denied': { ip: '10.0.0.7' },
  'trace.skip.srvFound': { query: '_matrix-fed._tcp.found.example', step: '3.3' },
  'trace.skip.srvFailed': { query: '_matrix-fed._tcp.failed.example', step: '4' },
  'wellKnown.notFound': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.serverError': { url: 'https://wk.example/.well-known/matrix/server', status: 502 },
  'wellKnown.otherStatus': { url: 'https://wk.example/.well-known/matrix/server', status: 403 },
  'wellKnown.unexpectedStatus': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.invalidJson': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.notObject': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.missingMServer': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.invalidMServer': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.tooLarge': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.tooManyRedirects': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.redirectLoop': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.badRedirect': { url: 'https://wk.example/.well-known/matrix/server' },
  'wellKnown.unreachable': { url: 'https://wk.example/.well-known/matrix/server', code: 'CONNECT_REFUSED' },
  'resolution.error.denied': { addresses: '10.0.0.7, 192.168.1.2' },
  'resolution.error.failed': { code: 'DNS_SERVFAIL' },
  'wellKnown.to': { target: 'matrix.example:443' },
  'wellKnown.mServer': { target: 'https://matrix.example' },
  'wellKnown.detail': { detail: 'detail words' },
  'wellKnown.addressStatus': { family: 'IPv6', status: 'status-word' },
  'wellKnown.addressDetail': { detail: 'detail words' },
  'targets.fromStep': { step: '3.3' },
  'addresses.title': { working: 1, total: 2 },
  'address.step': { step: '3.3' },
  'address.viaSrv': { name: '_matrix-fed._tcp.via.example', target: 'target.example' },
  'address.viaHost': { host: 'host.example' },
  'tls.expired': { ago: '13 days ago' },
  'tls.expiresIn': { in: 'in 61 days' },
  'client.versionCount': { count: 2, latest: 'v1.12' },
  'settings.answered': { status: 405 },
  'settings.noAnswer': { code: 'TIMEOUT' },
  'raw.link': { label: 'Label words', link: 'api/check?server_name=x' },
  'check.announce': { name: 'name.example.org' },
  'check.progress': { name: 'name.example.org' },
  'error.documentTitle': { name: 'name.example.org', title: 'Title words', page: 'Page Title' },
  'error.announce': { title: 'Title words', message: 'Message words' },
  'error.limited.message': { wait: '30 seconds' },
  'error.busy.message': { wait: '2 minutes' },
  'error.server.message': { status: 500, message: 'the checker crashed' },
  'error.refused.message': { status: 418, message: 'no tea here' },
  'wait.seconds': { seconds: 30 },
  'wait.minutes': { minutes: 2 },
  'monitor.failingCount': { count: 3 },
  'monitor.lastChecked': { when: '2026-01-02 03:04:05' },
  'monitor.certificateEnds': { date: '2026-03-03' },
  'monitor.showReport': { name: 'name.example.org' },
};

/** Messages with no word of their own: values in the language's punctuation (`、`, `：`, `（…）`, `。`). */
const UNTRANSLATED = [
  'format.listSeparator',
  'format.labelSeparator',
  'verdict.metaSeparator',
  'step.otherStatus',
  'wellKnown.detail',
  'wellKnown.addressStatus',
  'wellKnown.addressDetail',
  'raw.link',
  'error.documentTitle',
  'error.announce',
];

/** The placeholders a message reads, found by rendering it with a recording parameter object. */
function placeholders(message: unknown, example: Record<string, unknown>): string[] {
  if (typeof message !== 'function') return [];
  const read = new Set<string>();
  const params = new Proxy(example, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name) as unknown;
    },
  });
  // The formatters are not under test here: the simplest that give strings.
  (message as (p: unknown, f: unknown) => string)(params, {
    plural: (_: number, forms: { other: string }) => forms.other,
    list: (items: string[]) => items.join(', '),
    number: String,
    date: String,
  });
  return [...read].sort();
}

/** The marks of a fixed text: its `code` spans and its [link](name) names. */
function marks(text: string): { code: string[]; links: string[] } {
  return {
    code: [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort(),
    links: [...text.matchAll(/\]\((\w+)\)/g)].map((m) => m[1]!).sort(),
  };
}

describe('the page catalogues (web/assets/texts.js)', () => {
  it('zh-CN has every English key, shows every value English shows, and is written in Chinese', () => {
    expect(texts.LOCALES).toEqual(['en', 'zh-CN']);
    const problems = checkTranslations(
      texts.PAGE_TEXTS,
      EXAMPLES as unknown as MessageExamples<Catalogue>,
      UNTRANSLATED,
    );
    expect(problems).toEqual([]);
  });

  it('every message of zh-CN reads the same placeholders as its English message, and every one has an example', () => {
    const en = texts.PAGE_TEXTS.en;
    const zh = texts.PAGE_TEXTS['zh-CN'];
    const mismatched: string[] = [];
    for (const key of Object.keys(en)) {
      const message = en[key];
      if (typeof message === 'function') expect(EXAMPLES[key], `example of ${key}`).toBeDefined();
      const example = EXAMPLES[key] ?? {};
      const theirs = placeholders(zh[key], example);
      const ours = placeholders(message, example);
      if (typeof message !== typeof zh[key] || theirs.join() !== ours.join())
        mismatched.push(`${key}: en ${ours.join(',')} / zh-CN ${theirs.join(',')}`);
    }
    expect(mismatched).toEqual([]);
    // And no example for a message that takes none (a stale example hides a removed placeholder).
    for (const key of Object.keys(EXAMPLES)) expect(typeof en[key], key).toBe('function');
  });

  it('code stays code and links stay links in the translation of a fixed text', () => {
    const en = texts.PAGE_TEXTS.en;
    const zh = texts.PAGE_TEXTS['zh-CN'];
    for (const key of Object.keys(en)) {
      const message = en[key];
      if (typeof message !== 'string') continue;
      expect({ key, ...marks(String(zh[key])) }).toEqual({ key, ...marks(message) });
      for (const link of marks(message).links) expect(texts.LINKS[link], `${key}: link ${link}`).toBeDefined();
    }
  });

  it("index.html's texts before the script runs are the English catalogue's, and each names a message", () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8');
    const text = texts.localize('en');
    const decode = (s: string): string =>
      s
        .replace(/<code>([^<]*)<\/code>/g, '`$1`')
        .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (_, href: string, words: string) => {
          const name = Object.entries(texts.LINKS).find(([, url]) => url === href)?.[0] ?? href;
          return `[${words}](${name})`;
        })
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim();
    const elements = [...html.matchAll(/<(\w+)\b[^>]*\bdata-i18n(?:-rich)?="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)].map(
      (m) => ({ key: m[2]!, shown: decode(m[3]!) }),
    );
    expect(elements.map((e) => e.key)).toEqual(
      expect.arrayContaining(['page.title', 'page.lede', 'form.name', 'form.help', 'form.check', 'page.footer']),
    );
    for (const { key, shown } of elements) expect({ key, shown }).toEqual({ key, shown: text(key) });
    for (const m of html.matchAll(/\bdata-i18n-(?:aria-label|content)="([^"]+)"/g))
      expect(() => text(m[1]!)).not.toThrow();
    // The attribute values next to them are the English messages too.
    expect(html).toContain(`aria-label="${text('form.label')}"`);
    expect(html).toContain(`content="${text('page.description')}"`);
    expect(html).toContain(`<title>${text('page.title')}</title>`);
  });

  it('every message is used by the page, and every key the page names exists', () => {
    const sources = ['assets/app.js', 'assets/trace.js', 'index.html'].map((f) => readFileSync(join(WEB, f), 'utf8'));
    const all = sources.join('\n');
    const quoted = new Set([...all.matchAll(/['"]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"]/g)].map((m) => m[1]!));
    // Keys built at run time: `step.${step}.title`, word('severity', ...), t(`verdict.${kind}`).
    const prefixes = new Set([
      ...[...all.matchAll(/`([a-zA-Z][\w.-]*)\.\$\{/g)].map((m) => m[1]!),
      ...[...all.matchAll(/\bword\(\s*'([\w.-]+)'/g)].map((m) => m[1]!),
    ]);
    const en = texts.PAGE_TEXTS.en;
    const unused = Object.keys(en).filter(
      (key) => !quoted.has(key) && ![...prefixes].some((prefix) => key.startsWith(`${prefix}.`)),
    );
    expect(unused).toEqual([]);
    const named = [...all.matchAll(/\b(?:t|tn|text)\(\s*'([^']+)'/g), ...all.matchAll(/\bkey: '([^']+)'/g)].map(
      (m) => m[1]!,
    );
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter((key) => !(key in en))).toEqual([]);
  });
});

describe('choosing the language (web/README.md)', () => {
  it('reads tags as src/i18n does', () => {
    const tags = [
      'zh',
      'zh-CN',
      'zh-cn',
      'zh-Hans',
      'zh-Hans-CN',
      'zh-SG',
      'zh-MY',
      'zh_CN.UTF-8',
      'zh-TW',
      'zh-HK',
      'zh-Hant',
      'zh-Hant-TW',
      'en',
      'en-US',
      'en-GB',
      'fr',
      'de-DE',
      'ja',
      '',
      ' ',
      'C',
      'POSIX',
    ];
    for (const tag of tags)
      expect({ tag, locale: texts.parseLocale(tag) }).toEqual({ tag, locale: parseLocaleTs(tag) });
  });

  it('?lang= first, then the stored choice, then the browser languages, else English', () => {
    const choose = texts.chooseLocale;
    expect(choose({ query: 'zh-CN', stored: 'en', languages: ['en-US'] })).toBe('zh-CN');
    expect(choose({ query: 'en', stored: 'zh-CN', languages: ['zh-CN'] })).toBe('en');
    // A language the page has no messages for, asked in the URL: English, the fallback.
    expect(choose({ query: 'fr', stored: 'zh-CN', languages: ['zh-CN'] })).toBe('en');
    expect(choose({ query: 'zh-TW', stored: 'zh-CN' })).toBe('en');
    expect(choose({ query: null, stored: 'zh-CN', languages: ['en-US'] })).toBe('zh-CN');
    expect(choose({ query: '', stored: 'en', languages: ['zh-CN'] })).toBe('en');
    // Only a language of the page counts as a stored choice.
    expect(choose({ stored: 'klingon', languages: ['zh'] })).toBe('zh-CN');
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-SG']) expect(choose({ languages: [tag] }), tag).toBe('zh-CN');
    for (const tag of ['zh-TW', 'zh-Hant', 'zh-HK', 'fr-FR', 'ja'])
      expect(choose({ languages: [tag] }), tag).toBe('en');
    // The first browser language with messages wins.
    expect(choose({ languages: ['fr-FR', 'zh-CN', 'en'] })).toBe('zh-CN');
    expect(choose({ languages: ['zh-TW', 'en-GB', 'zh-CN'] })).toBe('en');
    expect(choose({})).toBe('en');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The resolution steps of real resolutions over the lab, told in Chinese.

const HAN = /\p{Script=Han}/u;
let lab: Lab;

/** SRV ports in the zones are 0 where the lab's federation port belongs: set once the lab has its ports. */
function srv(target: string): { SRV: { priority: number; weight: number; port: number; target: string }[] } {
  return { SRV: [{ priority: 0, weight: 0, port: 0, target }] };
}

const NAMES = {
  /** 3 then 3.2: the well-known delegates to host:port. */
  delegatedPort: 'port.zh.test',
  /** 3 then 3.3: the well-known delegates to a host with SRV records (the target behind a CNAME). */
  delegatedSrv: 'srv.zh.test',
  /** 3 then 3.1: m.server is an IP address. */
  delegatedIp: 'ip.zh.test',
  /** 3 then 3.4: only the deprecated SRV name of the delegated host. */
  delegatedLegacy: 'legacy.zh.test',
  /** 3 then 3.5: nothing but the delegated host's address. */
  delegatedPlain: 'plain.zh.test',
  /** 404, then 4: SRV records of the server name. */
  srvOwn: 'own-srv.zh.test',
  /** 404, 4 and 5 empty, then 6. */
  direct: 'direct.zh.test',
  /** 404, then 4: an SRV record with target "." */
  unavailable: 'dot.zh.test',
  /** Invalid JSON at the well-known: no delegation, then 6. */
  invalid: 'invalid.zh.test',
  /** The name's address is in a denied network: the well-known is not fetched, the address not contacted. */
  denied: 'denied.zh.test',
  /** Nothing listens for HTTPS at the name's address: the well-known fetch fails, then 6. */
  nothing: 'nothing.zh.test',
} as const;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      [NAMES.delegatedPort]: { A: ['web'] },
      [NAMES.delegatedSrv]: { A: ['web'] },
      [NAMES.delegatedIp]: { A: ['web'] },
      [NAMES.delegatedLegacy]: { A: ['web'] },
      [NAMES.delegatedPlain]: { A: ['web'] },
      [NAMES.srvOwn]: { A: ['web'] },
      [NAMES.direct]: { A: ['web'] },
      [NAMES.unavailable]: { A: ['web'] },
      [NAMES.invalid]: { A: ['web'] },
      [NAMES.denied]: { A: ['10.0.0.7'] },
      [NAMES.nothing]: { A: ['silent'] },
      'hs.zh.test': { A: ['hs'] },
      'srv-host.zh.test': { A: ['web'] },
      'legacy-host.zh.test': { A: ['web'] },
      'plain-host.zh.test': { A: ['hs'] },
      'alias.zh.test': { CNAME: 'hs.zh.test' },
      '_matrix-fed._tcp.srv-host.zh.test': srv('alias.zh.test'),
      '_matrix._tcp.legacy-host.zh.test': srv('hs.zh.test'),
      [`_matrix-fed._tcp.${NAMES.srvOwn}`]: srv('hs.zh.test'),
      [`_matrix-fed._tcp.${NAMES.unavailable}`]: { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => {
            const host = (req.host ?? '').replace(/:\d+$/, '');
            const port = lab.ports.federation;
            if (host === NAMES.delegatedPort) return { json: { 'm.server': `hs.zh.test:${port}` } };
            if (host === NAMES.delegatedSrv) return { json: { 'm.server': 'srv-host.zh.test' } };
            if (host === NAMES.delegatedIp) return { json: { 'm.server': `${lab.address('hs')}:${port}` } };
            if (host === NAMES.delegatedLegacy) return { json: { 'm.server': 'legacy-host.zh.test' } };
            if (host === NAMES.delegatedPlain) return { json: { 'm.server': 'plain-host.zh.test' } };
            if (host === NAMES.invalid)
              return { body: '{"m.server": ', headers: { 'content-type': 'application/json' } };
            return NGINX_404;
          },
        },
        fallback: NGINX_404,
      },
      hs: { port: 'federation', routes: {} },
      silent: { mode: 'plain-tcp', port: 0 },
    },
  });
  const port = lab.ports.federation;
  const at = (target: string) => ({ SRV: [{ priority: 0, weight: 0, port, target }] });
  lab.dns.setName('_matrix-fed._tcp.srv-host.zh.test', at('alias.zh.test'));
  lab.dns.setName('_matrix._tcp.legacy-host.zh.test', at('hs.zh.test'));
  lab.dns.setName(`_matrix-fed._tcp.${NAMES.srvOwn}`, at('hs.zh.test'));
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

async function resolve(name: string): Promise<ResolveResult> {
  const base = lab.clientOptions();
  return resolveServerName(name, { ...base, allowNetworks: labAllowNetworks(lab), timeoutMs: 8000 });
}

describe('the resolution steps told in Chinese (web/assets/trace.js), over real lab resolutions', () => {
  it('describes every entry of every kind of resolution, with the values English shows', async () => {
    const zh = texts.localize('zh-CN');
    const seen = new Set<string>();
    const errors = new Set<string>();
    for (const name of Object.values(NAMES)) {
      const result = await resolve(name);
      // The resolution as the native report carries it (report.resolution: its wellKnown without the code).
      const resolution = JSON.parse(JSON.stringify(result)) as {
        trace: TraceEntry[];
        wellKnown: { status: string; code?: string | null };
        error: { code: string } | null;
      };
      delete resolution.wellKnown.code;
      if (resolution.wellKnown.status !== 'delegated') {
        const detail = trace.describeWellKnownDetail(resolution.wellKnown, resolution, zh);
        expect(detail === null ? null : HAN.test(detail), `${name}: well-known ${resolution.wellKnown.status}`).toBe(
          true,
        );
      }
      if (resolution.error !== null) {
        errors.add(resolution.error.code);
        const told = trace.describeResolutionError(resolution.error, resolution, zh);
        expect(told === null ? null : HAN.test(told), `${name}: ${resolution.error.code}`).toBe(true);
      }
      for (const entry of resolution.trace) {
        const told = trace.describeTraceEntry(entry, resolution, zh);
        const where = `${name} step ${entry.step} ${entry.status}: ${entry.reason}`;
        expect(told, where).not.toBeNull();
        expect(HAN.test(told!), `${where} -> ${told}`).toBe(true);
        // The values the English reason names: the name asked, the addresses found.
        if (entry.query !== undefined) expect(told, where).toContain(entry.query);
        const data = entry.data as { addresses?: string[]; ip?: string } | undefined;
        for (const ip of data?.addresses ?? []) expect(told, where).toContain(ip);
        if (data?.ip !== undefined) expect(told, where).toContain(data.ip);
        seen.add(`${entry.step}:${entry.status}`);
      }
    }
    // Every step and every way a step goes that these resolutions reach.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        '1:skipped',
        '2:skipped',
        '3:taken',
        '3:failed',
        '3.1:taken',
        '3.1:skipped',
        '3.2:taken',
        '3.2:skipped',
        '3.3:taken',
        '3.3:empty',
        '3.3:skipped',
        '3.4:taken',
        '3.4:empty',
        '3.4:skipped',
        '3.5:taken',
        '3.5:skipped',
        '4:taken',
        '4:empty',
        '4:failed',
        '4:skipped',
        '5:empty',
        '5:skipped',
        '6:taken',
        '6:skipped',
        'policy:failed',
      ]),
    );
    expect([...errors].sort()).toEqual(['ADDRESS_DENIED', 'SRV_UNAVAILABLE']);
  });

  it('an IP literal, an explicit port and an invalid name are told too', async () => {
    const zh = texts.localize('zh-CN');
    for (const name of [
      `${lab.address('hs')}:${lab.ports.federation}`,
      `hs.zh.test:${lab.ports.federation}`,
      'bad name',
    ]) {
      const resolution = JSON.parse(JSON.stringify(await resolve(name))) as {
        trace: TraceEntry[];
        wellKnown: { status: string };
        error: unknown;
      };
      // The well-known was not asked: the detail says why; an invalid name is why there is no target.
      expect(resolution.wellKnown.status, name).toBe('skipped');
      expect(HAN.test(trace.describeWellKnownDetail(resolution.wellKnown, resolution, zh) ?? ''), name).toBe(true);
      if (resolution.error !== null)
        expect(HAN.test(trace.describeResolutionError(resolution.error, resolution, zh) ?? ''), name).toBe(true);
      for (const entry of resolution.trace) {
        const told = trace.describeTraceEntry(entry, resolution, zh);
        expect(told === null ? null : HAN.test(told), `${name} ${entry.step} ${entry.status}: ${entry.reason}`).toBe(
          true,
        );
      }
    }
  });

  it('the well-known outcome by its code, with the URL', () => {
    const zh = texts.localize('zh-CN');
    const url = 'https://wk.example/.well-known/matrix/server';
    for (const [code, httpStatus] of [
      ['WELL_KNOWN_NOT_FOUND', 404],
      ['WELL_KNOWN_HTTP_STATUS', 503],
      ['WELL_KNOWN_HTTP_STATUS', 403],
      ['WELL_KNOWN_HTTP_STATUS', null],
      ['WELL_KNOWN_INVALID_JSON', 200],
      ['WELL_KNOWN_NOT_OBJECT', 200],
      ['WELL_KNOWN_MISSING_M_SERVER', 200],
      ['WELL_KNOWN_INVALID_M_SERVER', 200],
      ['WELL_KNOWN_TOO_LARGE', 200],
      ['WELL_KNOWN_TOO_MANY_REDIRECTS', 302],
      ['WELL_KNOWN_REDIRECT_LOOP', 302],
      ['WELL_KNOWN_BAD_REDIRECT', 302],
      ['CONNECT_REFUSED', null],
    ] as const) {
      const told = trace.describeWellKnown({ code, url, httpStatus }, zh);
      expect(told, code).toContain(url);
      expect(HAN.test(told!), code).toBe(true);
      if (typeof httpStatus === 'number' && code === 'WELL_KNOWN_HTTP_STATUS')
        expect(told).toContain(String(httpStatus));
    }
    expect(trace.describeWellKnown({ code: null, url }, zh)).toBeNull();
  });
});
