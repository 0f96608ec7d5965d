// The catalogues of the hint titles and of the server-name, DNS, SRV, well-known, delegation and field hints (issue
// 17): complete in zh-CN, the same values in both languages, Chinese words; and the text helpers they share.

import { describe, expect, it } from 'vitest';
import { HINT_CATALOGUE, HINT_IDS, hintTitle } from '../../src/diagnosis/index.js';
import { DELEGATION_TEXTS } from '../../src/diagnosis/rules/delegation-texts.js';
import { DNS_TEXTS } from '../../src/diagnosis/rules/dns-texts.js';
import { FIELD_TEXTS } from '../../src/diagnosis/rules/field-texts.js';
import { SERVER_NAME_TEXTS } from '../../src/diagnosis/rules/server-name-texts.js';
import { SRV_TEXTS } from '../../src/diagnosis/rules/srv-texts.js';
import { WELL_KNOWN_TEXTS } from '../../src/diagnosis/rules/well-known-texts.js';
import { TEXT_HELPER_TEXTS, cleanServerName, list, reportWords, suggestion, zh } from '../../src/diagnosis/text.js';
import { HINT_TITLES_ZH_CN } from '../../src/diagnosis/titles.js';
import {
  checkTranslations,
  localize,
  type Catalogue,
  type MessageExamples,
  type Translations,
} from '../../src/i18n/index.js';

// Every example value distinct and at least 3 characters long, so that each stands for one placeholder:
// checkTranslations looks for each one in both languages.
const DOC = '{"m.server": "hs.example.org:443"}';
const DOC_443 = '{"m.server": "other.example.org:443"}';
const WK_URL = 'https://example.org/.well-known/matrix/server';
const FETCH = 'https://example.org/.well-known/matrix/server: FETCH WORDS';

const SERVER_NAME_EXAMPLES: MessageExamples<(typeof SERVER_NAME_TEXTS)['en']> = {
  'server-name-invalid.detail': { name: 'bad_name.example', why: 'WHY WORDS', faults: ['FAULT ONE', 'FAULT TWO'] },
  'server-name-invalid.fixCleaned': { cleaned: 'cleaned.example.org' },
  'server-name-has-port.detail': { name: 'example.org:8448', host: 'host.example.org', port: 8448 },
  'server-name-has-port.fix': { name: 'named.example.org:8448' },
  'server-name-ip-literal.detail': { name: '192.0.2.10' },
};

const DNS_EXAMPLES: MessageExamples<(typeof DNS_TEXTS)['en']> = {
  'dns-no-address.detail': { hosts: 'a.example.org and b.example.org', count: 2, error: 'ERROR WORDS' },
  'dns-no-address.fix': { hosts: 'a.example.org', viaSrv: true },
  'dns-lookup-failed.item': { name: 'failing.example.org', code: 'DNS_SERVFAIL' },
  'dns-lookup-failed.detail': { items: 'ITEMS LIST', reason: 'REASON WORDS' },
  'dns-lookup-failed.fix': { names: 'names.example.org' },
  'dns-private-address.item': { ip: '10.0.0.5', range: '10.0.0.0/8', host: 'private.example.org' },
  'dns-private-address.wellKnownItem': { ip: '192.168.1.2', host: 'wk.example.org' },
  'dns-private-address.detail': { items: 'ITEMS LIST', all: true },
  'dns-ipv6-only.detail': { hosts: 'v6.example.org', count: 1, addresses: '2001:db8::1' },
  'dns-ipv6-only.fix': { hosts: 'fix6.example.org' },
};

const SRV_EXAMPLES: MessageExamples<(typeof SRV_TEXTS)['en']> = {
  'srv-unavailable.detail': { name: '_matrix-fed._tcp.example.org', host: 'example.org' },
  'srv-unavailable.fix': { name: '_matrix-fed._tcp.fix.example.org', host: 'fix.example.org' },
  'srv-target-cname.item': {
    name: '_matrix-fed._tcp.example.org',
    target: 'alias.example.org',
    chain: 'alias.example.org -> real.example.org',
  },
  'srv-target-cname.fixItem': { canonical: 'real.example.org', target: 'alias.example.org' },
  'srv-target-cname.detail': { items: ['FIRST ITEM', 'SECOND ITEM'] },
  'srv-target-cname.fix': { fixes: ['FIRST FIX', 'SECOND FIX'] },
  'srv-deprecated-only.detail': { names: '_matrix._tcp.example.org' },
  'srv-deprecated-only.fix': { lines: ['_matrix-fed._tcp.example.org. 3600 IN SRV 10 5 8448 hs.example.org.'] },
  'srv-legacy-disagrees.item': {
    fed: '_matrix-fed._tcp.example.org',
    fedTargets: 'new.example.org:8448',
    legacy: '_matrix._tcp.example.org',
    legacyTargets: 'old.example.org:8448',
  },
  'srv-legacy-disagrees.fixItem': {
    legacy: '_matrix._tcp.example.org',
    fed: '_matrix-fed._tcp.example.org',
    lines: ['_matrix._tcp.example.org. 3600 IN SRV 10 5 8448 new.example.org.'],
  },
  'srv-legacy-disagrees.detail': { items: ['FIRST ITEM', 'SECOND ITEM'] },
  'srv-legacy-disagrees.fix': { fixes: ['FIRST FIX', 'SECOND FIX'] },
  'srv-ignored-by-well-known.detail': {
    records: '_matrix-fed._tcp.example.org -> fed.example.org:8448',
    host: 'example.org',
    mServer: 'hs.example.org:443',
  },
  'srv-ignored-by-well-known.fix': { host: 'example.org' },
  'srv-ignored-by-well-known.fixOne': { host: 'example.org', target: 'fed.example.org', port: 8448, document: DOC },
};

const WELL_KNOWN_EXAMPLES: MessageExamples<(typeof WELL_KNOWN_TEXTS)['en']> = {
  'fallback.srv': { host: 'srv.example.org' },
  'fallback.legacySrv': { host: 'legacy.example.org' },
  'fallback.port': { host: 'port.example.org', port: 8448 },
  'well-known-m-server-malformed.faults': { faults: ['FAULT ONE', 'FAULT TWO'] },
  'well-known-m-server-malformed.detail': {
    url: WK_URL,
    document: DOC,
    faults: 'FAULTS WORDS',
    fallback: 'FALLBACK WORDS',
  },
  'well-known-m-server-malformed.fixUnclear': { suggestion: DOC },
  'well-known-m-server-malformed.fixWithPort': { document: DOC },
  'well-known-m-server-malformed.fixWithoutPort': { document: DOC, document443: DOC_443 },
  'well-known-m-server-malformed.fixHttps': { document: DOC, document443: DOC_443, raw: 'https://raw.example.org/' },
  'well-known-html.detail': {
    url: WK_URL,
    type: 'text/html',
    start: '<!DOCTYPE html>',
    fallback: 'FALLBACK WORDS',
  },
  'well-known-html.fix': { host: 'example.org', document: DOC, certain: false },
  'well-known-bom.detail': { url: WK_URL, fallback: 'FALLBACK WORDS' },
  'well-known-invalid-document.detail': { detail: FETCH, start: '{"m.server": 1', fallback: 'FALLBACK WORDS' },
  'well-known-invalid-document.fix': { suggestion: DOC, url: WK_URL },
  'well-known-too-large.detail': { detail: FETCH, fallback: 'FALLBACK WORDS' },
  'well-known-too-large.fix': { suggestion: DOC },
  'well-known-bad-redirect.toHttp': { detail: FETCH, fallback: 'FALLBACK WORDS' },
  'well-known-bad-redirect.loop': { detail: FETCH, fallback: 'FALLBACK WORDS' },
  'well-known-bad-redirect.fix': { url: WK_URL },
  'well-known-unreachable.detail': { detail: FETCH, code: 'CONNECT_REFUSED', fallback: 'FALLBACK WORDS' },
  'well-known-unreachable.fixTls': { host: 'tls.example.org' },
  'well-known-unreachable.fixDns': { host: 'dns.example.org' },
  'well-known-unreachable.fix': { host: 'web.example.org', suggestion: DOC },
  'well-known-http-status.detail': { url: WK_URL, status: 503, fallback: 'FALLBACK WORDS' },
  'well-known-http-status.fix': { suggestion: DOC },
  'well-known-absent.detail': { url: WK_URL, fallback: 'FALLBACK WORDS' },
  'well-known-absent.fix': { suggestion: DOC, url: WK_URL },
  'redirect.hop': { url: WK_URL, status: 301 },
  'well-known-redirect-308.detail': { count: 2, chain: 'CHAIN WORDS' },
  'well-known-redirect-308.fix': { url: WK_URL },
  'well-known-redirect.detail': { count: 1, chain: 'CHAIN WORDS' },
  'well-known-redirect.fix': { url: WK_URL },
  'well-known-slow.detail': { url: WK_URL, seconds: '2.5' },
  'well-known-cache-too-long.detail': { source: 'Cache-Control: max-age=604800', hours: '168' },
  'well-known-no-cache.detail': { source: 'Cache-Control: no-store' },
  'well-known-content-type.detail': { type: 'text/plain' },
};

const DELEGATION_EXAMPLES: MessageExamples<(typeof DELEGATION_TEXTS)['en']> = {
  'failure.item': { address: '192.0.2.10:8448', how: 'CONNECT_REFUSED' },
  'm-server-port-omitted.detail': {
    url: WK_URL,
    document: DOC,
    host: 'hs.example.org',
    port: 8448,
    failures: 'FAILURES LIST',
    httpsPort: 443,
    software: 'Synapse',
  },
  'm-server-port-omitted.fix': { document: DOC },
  'delegation-missing-for-443.detail': {
    host: 'hs.example.org',
    port: 8448,
    failures: 'FAILURES LIST',
    httpsPort: 443,
    software: 'Synapse',
  },
  'delegation-missing-for-443.fix': { url: WK_URL, document: DOC, host: 'hs.example.org', httpsPort: 443 },
  'well-known-wrong-place.item': { url: 'https://example.org:8448/.well-known/matrix/server', document: DOC },
  'well-known-wrong-place.detail': { items: 'ITEMS LIST', url: WK_URL, detail: FETCH },
  'well-known-wrong-place.fixFederationPort': { document: DOC, url: WK_URL, host: 'example.org' },
  'well-known-wrong-place.fixOtherHost': {
    document: DOC,
    url: WK_URL,
    host: 'example.org',
    otherHost: 'matrix.example.org',
  },
  'well-known-differs-by-address.delegates': { mServer: 'hs.example.org:443' },
  'well-known-differs-by-address.fails': { status: 'zz' },
  'well-known-differs-by-address.byFamily': { v4: 'V4 WORDS', v6: 'V6 WORDS' },
  'well-known-differs-by-address.entry': { ip: '2001:db8::10', family: 6, what: 'WHAT WORDS' },
  'well-known-differs-by-address.other': { status: 'zz', detail: FETCH },
  'well-known-differs-by-address.detail': {
    summary: 'SUMMARY WORDS',
    url: WK_URL,
    entries: ['FIRST ENTRY', 'SECOND ENTRY'],
  },
  'well-known-differs-by-address.fix': { host: 'example.org' },
  'm-server-ip-literal.detail': { mServer: '192.0.2.10:443' },
};

const FIELD_EXAMPLES: MessageExamples<(typeof FIELD_TEXTS)['en']> = {
  'cdn-port-not-proxied.detail': {
    hosts: 'hs.example.org',
    evidence: 'EVIDENCE WORDS',
    httpsPorts: '443, 2053 and 8443',
    ports: '8448',
    failures: 'FAILURES LIST',
  },
  'cdn-port-not-proxied.failure': { address: '104.16.0.1:8448 (hs.example.org)', code: 'CONNECT_TIMEOUT' },
  'cdn-port-not-proxied.through443': { port: '443', host: 'edge.example.org', where: 'edge.example.org:443' },
  'cdn-port-not-proxied.rangeEvidence': {
    ip: '104.16.0.1',
    range: '104.16.0.0/13',
    source: 'https://www.cloudflare.com/ips-v4',
    asOf: '2025-01-01',
  },
  'cdn-port-not-proxied.headerEvidence': { where: 'hs.example.org:443', headers: 'Server: cloudflare' },
  'cdn-port-not-proxied.fix': {
    hosts: 'hs.example.org',
    ports: '8448',
    document: DOC,
    wellKnownUrl: WK_URL,
    host: 'proxied.example.org',
  },
  'tls-router-default-certificate.item': {
    addresses: '192.0.2.10:443 (hs.example.org)',
    snis: 'sni.example.org',
    product: 'PRODUCT WORDS',
    subject: 'TRAEFIK DEFAULT CERT',
    issuer: 'ISSUER NAME',
  },
  'tls-router-default-certificate.detail': { items: 'ITEMS LIST', names: 'names.example.org' },
  'tls-router-default-certificate.fixes.traefik': { name: 'traefik.example.org', port: 443 },
  'tls-router-default-certificate.fixes.ingressNginx': { name: 'ingress.example.org', port: 443 },
  'tls-router-default-certificate.fixes.machine': { name: 'machine.example.org', port: 8448 },
  'tls-staging-certificate.item': { address: '192.0.2.10:443', issuer: '(STAGING) Artificial Apricot R3' },
  'tls-staging-certificate.detail': { items: 'ITEMS LIST' },
  'tls-staging-certificate.fix': { names: 'a.example.org and b.example.org', name: 'first.example.org' },
  'firewall-blocks-homeservers.item': {
    where: 'https://example.org/.well-known/matrix/server',
    first: 'FIRST ANSWER',
    second: 'SECOND ANSWER',
    challenge: true,
  },
  'firewall-blocks-homeservers.answer': { status: 403, contentType: 'text/html; charset=UTF-8' },
  'firewall-blocks-homeservers.where': { path: '/_matrix/key/v2/server', address: '192.0.2.10:443' },
  'firewall-blocks-homeservers.detail': { items: 'ITEMS LIST' },
  'firewall-blocks-homeservers.fix': { hosts: 'hs.example.org' },
  'srv-record-misnamed.item': {
    name: '_matrix-fed._udp.example.org',
    records: 'fed.example.org:8448',
    intended: '_matrix-fed._tcp.example.org',
    mistake: 'MISTAKE WORDS',
  },
  'srv-record-misnamed.detail': { items: 'ITEMS LIST', intended: '_matrix-fed._tcp.example.org' },
  'srv-record-misnamed.fix': {
    lines: '_matrix-fed._tcp.example.org. 3600 IN SRV 10 5 8448 fed.example.org.',
    zone: 'example.org',
    relative: '_matrix-fed._tcp',
    service: '_matrix-fed',
  },
  'srv-target-zone-appended.item': {
    name: '_matrix-fed._tcp.example.org',
    target: 'fed.example.org.example.org',
  },
  'srv-target-zone-appended.detail': { items: 'ITEMS LIST' },
  'srv-target-zone-appended.fix': { lines: '_matrix-fed._tcp.example.org. 3600 IN SRV 10 5 8448 fed.example.org.' },
  'reverse-proxy-host-port.item': {
    address: '192.0.2.10:443',
    firstHost: 'hs.example.org:443',
    status: '404',
    secondHost: 'hs.example.org',
  },
  'reverse-proxy-host-port.withPort': {
    items: 'ITEMS LIST',
    sent: 'sent.example.org:443',
    routed: 'routed.example.org',
  },
  'reverse-proxy-host-port.withoutPort': {
    items: 'ITEMS LIST',
    sent: 'sent.example.org',
    routed: 'routed.example.org:443',
  },
  'reverse-proxy-host-port.fix': { host: 'host.example.org', routed: 'routed.example.org:443' },
  'reverse-proxy-rewrites-path.detail': {
    address: '192.0.2.10:443',
    hostHeader: 'hs.example.org:443',
    plainPath: '/_matrix/federation/v1/event/%24plain',
    plainAnswer: '401 M_UNAUTHORIZED',
    encodedPath: '/_matrix/federation/v1/event/%24a%2Fb',
    encodedAnswer: '404 M_UNRECOGNIZED',
  },
  'client-base-url-has-path.detail': {
    baseUrl: 'https://hs.example.org/_matrix',
    path: '/_matrix',
    versionsUrl: 'https://hs.example.org/_matrix/_matrix/client/versions',
    answer: 'ANSWER WORDS',
  },
  'client-base-url-has-path.answer': { url: 'https://answer.example.org/_matrix/client/versions', status: 404 },
  'client-base-url-has-path.fix': { origin: 'https://origin.example.org' },
};

const HELPER_EXAMPLES: MessageExamples<(typeof TEXT_HELPER_TEXTS)['en']> = {
  addressOf: { address: '192.0.2.10:8448', host: 'matrix.example.org' },
  'faults.scheme': { scheme: 'https://' },
  'faults.path': { path: '/matrix' },
  'faults.userInfo': { userInfo: 'user@' },
  example: { document: DOC },
};

/** The same examples with every yes/no and present/absent value turned the other way: the other branch of each message. */
function otherBranches<E extends object>(examples: E): E {
  const flip = (value: unknown): unknown =>
    typeof value === 'boolean' ? !value : typeof value === 'number' && value >= 500 ? 404 : value;
  return Object.fromEntries(
    Object.entries(examples).map(([key, params]) => [
      key,
      Object.fromEntries(Object.entries(params as object).map(([name, value]) => [name, flip(value)])),
    ]),
  ) as E;
}

/** Optional values (`string | null`) left out: every message must still render in both languages. */
function withoutOptionals<E extends object>(examples: E, optional: readonly string[]): E {
  return Object.fromEntries(
    Object.entries(examples).map(([key, params]) => [
      key,
      Object.fromEntries(
        Object.entries(params as object).map(([name, value]) => [name, optional.includes(name) ? null : value]),
      ),
    ]),
  ) as E;
}

/**
 * [name, translations, examples, optional values, messages that are only values and punctuation in every language
 * (an item `host（code）`, a joined list): exempt from "no Chinese"].
 */
const CATALOGUES: readonly [string, Translations<Catalogue>, object, readonly string[], readonly string[]][] = [
  ['server-name-texts', SERVER_NAME_TEXTS, SERVER_NAME_EXAMPLES, [], []],
  [
    'dns-texts',
    DNS_TEXTS,
    DNS_EXAMPLES,
    ['range', 'host', 'reason'],
    ['dns-lookup-failed.item', 'dns-private-address.item'],
  ],
  ['srv-texts', SRV_TEXTS, SRV_EXAMPLES, [], ['srv-legacy-disagrees.fix']],
  ['well-known-texts', WELL_KNOWN_TEXTS, WELL_KNOWN_EXAMPLES, ['type', 'start', 'host', 'status'], ['redirect.hop']],
  [
    'delegation-texts',
    DELEGATION_TEXTS,
    DELEGATION_EXAMPLES,
    ['software'],
    ['failure.item', 'well-known-differs-by-address.entry', 'well-known-differs-by-address.other'],
  ],
  [
    'field-texts',
    FIELD_TEXTS,
    FIELD_EXAMPLES,
    ['status', 'contentType'],
    ['cdn-port-not-proxied.failure', 'firewall-blocks-homeservers.answer'],
  ],
  ['text helpers', TEXT_HELPER_TEXTS, HELPER_EXAMPLES, [], ['addressOf']],
];

describe('the catalogues have every message in zh-CN, with the same values, in Chinese (checkTranslations)', () => {
  it.each(CATALOGUES)('%s', (_, translations, examples, optional, onlyValues) => {
    const check = (e: object) => checkTranslations(translations, e as MessageExamples<Catalogue>, onlyValues);
    expect(check(examples)).toEqual([]);
    expect(check(otherBranches(examples))).toEqual([]);
    expect(check(withoutOptionals(examples, optional))).toEqual([]);
  });

  it('a well-known status is said in Chinese words', () => {
    const t = localize(DELEGATION_TEXTS, 'zh-CN');
    expect(t('well-known-differs-by-address.fails', { status: 'absent' })).toBe('失败（没有文件）');
    expect(t('well-known-differs-by-address.other', { status: 'error', detail: FETCH })).toBe(`出错：${FETCH}`);
  });
});

describe('hint titles', () => {
  it('every hint id has a Chinese title, and hintTitle gives it (no English fallback)', () => {
    const en: Record<string, string> = Object.fromEntries(HINT_IDS.map((id) => [id, HINT_CATALOGUE[id].title]));
    expect(checkTranslations({ en, 'zh-CN': HINT_TITLES_ZH_CN }, {})).toEqual([]);
    for (const id of HINT_IDS) {
      expect(hintTitle(id, 'zh-CN'), id).toBe(HINT_TITLES_ZH_CN[id]);
      expect(hintTitle(id, 'en'), id).toBe(HINT_CATALOGUE[id].title);
    }
  });

  it('keeps the codes, ports and record names of the English title', () => {
    // Code-like words of a title: a dotted or underscored name, a path, a port or status, a media type.
    const codes = (title: string): string[] => title.match(/[\w.]*[._/][\w./-]+|\b\d{3,}\b/g) ?? [];
    for (const id of HINT_IDS) {
      for (const code of codes(HINT_CATALOGUE[id].title)) expect(HINT_TITLES_ZH_CN[id], id).toContain(code);
    }
  });
});

describe('the text helpers in zh-CN', () => {
  it('zh puts a space where a value meets Han characters, and none beside Chinese punctuation', () => {
    expect(zh`连接${'matrix.example.org'}的${8448}端口`).toBe('连接 matrix.example.org 的 8448 端口');
    expect(zh`回退到${'服务器名的 SRV 记录'}。`).toBe('回退到服务器名的 SRV 记录。');
    expect(zh`（${'hs.example.org'}）：${'CONNECT_REFUSED'}`).toBe('（hs.example.org）：CONNECT_REFUSED');
    expect(zh`改为${''}。`).toBe('改为。');
  });

  it('list: the Chinese list form, spaced before a Latin value, and the count of a long list', () => {
    expect(list(['443', '2053', '8443'], 6, 'zh-CN')).toBe('443、2053 和 8443');
    expect(list(['证书不受信任', '失败'], 4, 'zh-CN')).toBe('证书不受信任和失败');
    expect(list(['a.test', 'b.test', 'c.test', 'd.test', 'e.test'], 4, 'zh-CN')).toBe(
      'a.test、b.test、c.test、d.test 等 5 项',
    );
    expect(list(['a.test', 'b.test', 'c.test'])).toBe('a.test, b.test and c.test');
  });

  it('cleanServerName and suggestion say their words in the language, English by default', () => {
    expect(cleanServerName('https://matrix.example.org/ ', 'zh-CN').faults).toEqual([
      '空白字符',
      '协议前缀（“https://”）',
      '路径（“/”）',
    ]);
    expect(cleanServerName('https://matrix.example.org/').faults).toEqual(['a scheme ("https://")', 'a path ("/")']);
    expect(suggestion({ value: 'matrix.example.org:443', certain: false }, 'zh-CN')).toBe(
      '{"m.server": "matrix.example.org:443"}（仅为示例：请填写你的 homeserver 的主机名和端口）',
    );
  });

  it("reportWords: the description when it keeps every value of the report's words, else those words", () => {
    const english = 'https://example.org/.well-known/matrix/server: 192.0.2.1: connect ECONNREFUSED 192.0.2.1:443';
    expect(reportWords(english, 'https://example.org/.well-known/matrix/server：连接被拒绝', 'zh-CN')).toBe(english);
    expect(reportWords(english, 'https://example.org/.well-known/matrix/server：192.0.2.1:443 拒绝连接', 'zh-CN')).toBe(
      'https://example.org/.well-known/matrix/server：192.0.2.1:443 拒绝连接',
    );
    expect(
      reportWords('the host name "a_b.example" contains "_"', '主机名只能包含字母', 'zh-CN', ['a_b.example']),
    ).toBe('主机名只能包含字母');
    expect(reportWords(english, '连接被拒绝', 'en')).toBe(english);
    expect(reportWords(english, null, 'zh-CN')).toBe(english);
  });
});
