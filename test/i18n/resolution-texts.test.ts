// The resolution's words in every language: the catalogue is complete, its English says what the resolver says, and
// every trace step of every kind is described in Chinese from the typed result, with the same values.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryDnsTable } from '../../src/dns/memory-dns.js';
import { checkTranslations, type MessageExamples } from '../../src/i18n/index.js';
import {
  describeErrorFromCatalogue,
  describeResolutionError,
  describeTrace,
  describeTraceFromCatalogue,
  describeWellKnown,
  describeWellKnownFromCatalogue,
} from '../../src/resolver/describe.js';
import { RESOLUTION_TEXTS } from '../../src/resolver/describe-texts.js';
import { SERVER_NAME_RULE_TEXTS } from '../../src/server-name/rule-texts.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveResult, TraceEntry } from '../../src/resolver/types.js';
import { startLab, type Lab } from '../../src/testing/index.js';
import type { WellKnownAnswer } from '../../src/well-known/types.js';
import { V4_A, V4_B, V6_A, delegated, resolveCanned } from '../resolver/canned.js';

const HAN = /\p{Script=Han}/u;

const EXAMPLES: MessageExamples<(typeof RESOLUTION_TEXTS)['en']> = {
  'parse.failed': { name: 'bad_name.example', problem: 'PROBLEM-TEXT' },
  'step1.taken': { name: '[2001:db8::1]', address: '[2001:db8::1]:8448', ip: '2001:db8::1' },
  'step1.skipped': { host: 'example.com' },
  'step2.taken': { name: 'example.com:8448' },
  'skip.srvFound': { srvName: '_matrix-fed._tcp.example.com', step: '4' },
  'wellKnown.delegates': { url: 'https://example.com/.well-known/matrix/server', mServer: 'matrix.example.com:443' },
  'wellKnown.stopped': { why: 'WHY-TEXT' },
  'wellKnown.noDelegation': { detail: 'DETAIL-TEXT' },
  'abort.budget': { ms: 15000 },
  'wk.notFound': { url: 'https://a.example/.well-known/matrix/server' },
  'wk.serverError': { url: 'https://b.example/.well-known/matrix/server', status: 502 },
  'wk.status': { url: 'https://c.example/.well-known/matrix/server', status: 403 },
  'wk.bom': { url: 'https://d.example/.well-known/matrix/server' },
  'wk.notUtf8': { url: 'https://e.example/.well-known/matrix/server' },
  'wk.empty': { url: 'https://f.example/.well-known/matrix/server' },
  'wk.syntax': { url: 'https://g.example/.well-known/matrix/server', error: 'Unexpected token }' },
  'wk.invalidJson': { url: 'https://h.example/.well-known/matrix/server' },
  'wk.notObject': { url: 'https://i.example/.well-known/matrix/server' },
  'wk.missingMServer': { url: 'https://j.example/.well-known/matrix/server' },
  'wk.mServerNotString': { url: 'https://k.example/.well-known/matrix/server' },
  'wk.mServerInvalid': { url: 'https://l.example/.well-known/matrix/server', mServer: 'https://x', problem: 'RULE' },
  'wk.tooLarge': { url: 'https://m.example/.well-known/matrix/server' },
  'wk.tooManyRedirects': { url: 'https://n.example/.well-known/matrix/server' },
  'wk.redirectLoop': { url: 'https://o.example/.well-known/matrix/server' },
  'wk.badRedirect': { url: 'https://p.example/.well-known/matrix/server' },
  'wk.blocked': { url: 'https://q.example/.well-known/matrix/server', host: 'q-host.example' },
  'wk.failed': { url: 'https://r.example/.well-known/matrix/server', problem: 'PROBLEM-WORDS' },
  'step3_1.taken': { name: '192.0.2.7', address: '192.0.2.7:8448' },
  'step3_1.skipped': { host: 'matrix.example.com' },
  'step3_2.taken': { name: 'matrix.example.com:443' },
  'step3_2.skipped': { host: 'matrix.example.net' },
  'srv.none': { srvName: '_matrix._tcp.example.com', why: 'WHY-WORDS' },
  'srv.failed': { srvName: '_matrix-fed._tcp.failed.example', problem: 'DNS-PROBLEM' },
  'srv.unavailable': { srvName: '_matrix-fed._tcp.dot.example' },
  'srv.taken': { srvName: '_matrix-fed._tcp.srv.example', count: 40, max: 32, host: 'srv.example' },
  'host.taken': { host: 'direct.example', port: 8448 },
  'addr.found': {
    host: 'alias.example',
    chain: ['canonical.example'],
    addresses: ['203.0.113.5', '2001:db8::5'],
    problem: 'DNS-ERROR',
  },
  'addr.failed': { host: 'broken.example', problem: 'LOOKUP-PROBLEM' },
  'addr.none': { host: 'empty.example', chain: ['empty-target.example'] },
  'policy.denied': { ip: '10.0.0.1', step: '6', why: 'POLICY-WHY' },
  'policy.notIp': { ip: 'not-an-ip' },
  'policy.unspecified': { ip: '0.0.0.0' },
  'policy.inRange': { ip: '10.1.2.3', range: '10.0.0.0/8' },
  'error.denied': { addresses: ['127.0.0.1', '::1', '10.9.9.9'] },
  'code.other': { code: 'WELL_KNOWN_SOMETHING' },
  'cache.hit': { age: 'AGE-1' },
  'cache.staleHit': { age: 'AGE-2' },
  'cache.fetched': { lifetime: 'LIFETIME' },
  'age.ms': { n: 850 },
  'age.s': { n: 42 },
  'age.min': { n: 17 },
  'age.h': { n: 5 },
  'age.d': { n: 2 },
};

describe('catalogues', () => {
  it('the resolution texts are complete in every language', () => {
    // wk.failed is a URL and a problem already in words (code.*): nothing of its own to translate.
    expect(checkTranslations(RESOLUTION_TEXTS, EXAMPLES, ['wk.failed'])).toEqual([]);
  });

  it('the server-name rules are complete in every language', () => {
    expect(checkTranslations(SERVER_NAME_RULE_TEXTS, {})).toEqual([]);
  });
});

const resolveWith = (name: string, dns: MemoryDnsTable, wellKnown: Record<string, WellKnownAnswer> = {}) =>
  resolveCanned(name, dns, wellKnown);

const manySrv = Array.from({ length: 40 }, (_, i) => ({
  priority: i,
  weight: 0,
  port: 8448,
  target: `t${i}.many.example`,
}));

/** Scenarios reaching every kind of trace entry the resolver writes (spec "Resolving server names", steps 1 to 6). */
const SCENARIOS: readonly (readonly [string, () => Promise<ResolveResult>])[] = [
  ['an IPv4 literal (step 1)', () => resolveWith(V4_A, {})],
  ['an IPv6 literal with a port (step 1)', () => resolveWith(`[${V6_A}]:8008`, {})],
  ['a deny-listed IP literal (policy)', () => resolveWith('10.0.0.1', {})],
  ['an explicit port (step 2)', () => resolveWith('example.com:8448', { 'example.com': { A: [V4_A] } })],
  ['an explicit port, no address (step 2)', () => resolveWith('nothing.example:8448', {})],
  ['an explicit port, SERVFAIL (step 2)', () => resolveWith('bad.example:8448', { 'bad.example': { servfail: true } })],
  ['delegation to an IP literal (3.1)', () => resolveWith('example.com', {}, { 'example.com': delegated(V4_B) })],
  [
    'delegation to an IPv6 literal with a port (3.1)',
    () => resolveWith('example.com', {}, { 'example.com': delegated(`[${V6_A}]:443`) }),
  ],
  [
    'delegation to a host with a port (3.2), through a CNAME',
    () =>
      resolveWith(
        'example.com',
        { 'matrix.example.com': { CNAME: 'real.example.net' }, 'real.example.net': { A: [V4_A], AAAA: [V6_A] } },
        { 'example.com': delegated('matrix.example.com:443') },
      ),
  ],
  [
    'delegation to a host with _matrix-fed SRV (3.3)',
    () =>
      resolveWith(
        'example.com',
        {
          '_matrix-fed._tcp.matrix.example.com': {
            SRV: [{ priority: 0, weight: 0, port: 8448, target: 'backend.example.net' }],
          },
          'backend.example.net': { A: [V4_A] },
        },
        { 'example.com': delegated('matrix.example.com') },
      ),
  ],
  [
    'delegation to a host with only _matrix SRV (3.4)',
    () =>
      resolveWith(
        'example.com',
        {
          '_matrix._tcp.matrix.example.com': {
            SRV: [{ priority: 0, weight: 0, port: 8448, target: 'backend.example.net' }],
          },
          'backend.example.net': { A: [V4_A] },
        },
        { 'example.com': delegated('matrix.example.com') },
      ),
  ],
  [
    'delegation to a host without SRV (3.5)',
    () =>
      resolveWith(
        'example.com',
        { 'matrix.example.com': { A: [V4_A] } },
        { 'example.com': delegated('matrix.example.com') },
      ),
  ],
  [
    'no delegation, _matrix-fed SRV (4) with a denied target',
    () =>
      resolveWith('example.org', {
        '_matrix-fed._tcp.example.org': {
          SRV: [
            { priority: 0, weight: 0, port: 8448, target: 'a.example.org' },
            { priority: 1, weight: 0, port: 8448, target: 'b.example.org' },
          ],
        },
        'a.example.org': { A: ['192.168.1.1'] },
        'b.example.org': { A: [V4_B] },
      }),
  ],
  [
    'no delegation, _matrix SRV (5)',
    () =>
      resolveWith('example.org', {
        '_matrix._tcp.example.org': { SRV: [{ priority: 0, weight: 0, port: 8448, target: 'a.example.org' }] },
        'a.example.org': { A: [V4_A] },
      }),
  ],
  ['no delegation, no SRV (6)', () => resolveWith('example.org', { 'example.org': { A: [V4_A] } })],
  ['nothing at all (6, no records)', () => resolveWith('nothing.example', {})],
  [
    'every address denied (ADDRESS_DENIED)',
    () => resolveWith('private.example', { 'private.example': { A: ['10.1.1.1', '127.0.0.2'] } }),
  ],
  ['an SRV SERVFAIL (4)', () => resolveWith('example.org', { '_matrix-fed._tcp.example.org': { servfail: true } })],
  [
    'an SRV "." target (4)',
    () =>
      resolveWith('example.org', {
        '_matrix-fed._tcp.example.org': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
      }),
  ],
  [
    'forty SRV records (4, capped)',
    () =>
      resolveWith('many.example', {
        '_matrix-fed._tcp.many.example': { SRV: manySrv },
        ...Object.fromEntries(manySrv.map((r) => [r.target, { A: [V4_A] }])),
      }),
  ],
  ['an address lookup timing out (6)', () => resolveWith('slow.example', { 'slow.example': { timeout: true } })],
  ['an invalid server name (a port out of range)', () => resolveWith('example.com:99999', {})],
  ['an invalid server name (a trailing dot)', () => resolveWith('example.com.', {})],
  ['an invalid server name (a space)', () => resolveWith('example .com', {})],
];

/** Codes whose words are the resolver's own (no message of the DNS client or the parser quoted in them). */
const OWN_WORDS = new Set(['DNS_NXDOMAIN', 'DNS_NODATA', 'SRV_UNAVAILABLE', 'ADDRESS_DENIED', 'NO_TARGETS']);

/** Values a step's English reason shows that the Chinese one must show too: names, addresses, ports. */
function valuesOf(entry: TraceEntry, result: ResolveResult): string[] {
  const values = new Set<string>();
  if (entry.query !== undefined) values.add(entry.query);
  if (entry.data !== undefined && 'addresses' in entry.data) for (const a of entry.data.addresses) values.add(a);
  if (entry.data !== undefined && 'cnameChain' in entry.data) for (const c of entry.data.cnameChain) values.add(c);
  if (entry.step === 'policy') values.add(entry.data.ip);
  // Ports and addresses the reason names (the default port is in no typed field).
  for (const m of entry.reason.matchAll(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\bport \d+\b/g))
    values.add(m[0].replace('port ', ''));
  if (entry.step !== 'parse' && result.parsed !== null && entry.reason.includes(result.parsed.host))
    values.add(result.parsed.host);
  return [...values];
}

describe('every step described in Chinese, from the typed result (in-memory DNS)', () => {
  it.each(SCENARIOS)('%s', async (_, run) => {
    const result = await run();
    // English is the resolver's reason, byte for byte.
    expect(describeTrace(result, 'en')).toEqual(result.trace.map((e) => e.reason));
    // The catalogue's English says what the resolver says, except where the resolver quotes another layer's message
    // (the parser's, the DNS client's, the address policy's), which the catalogue names by rule or code instead;
    // step 3's detail is canned here (the lab cases below compare it).
    const english = describeTraceFromCatalogue(result, 'en');
    result.trace.forEach((entry, i) => {
      if (entry.step === 'policy' || entry.step === 'parse' || (entry.step === '3' && entry.status === 'failed'))
        return;
      if (entry.code !== undefined && !OWN_WORDS.has(entry.code)) return;
      expect(english[i], `${entry.step} ${entry.status}`).toBe(entry.reason);
    });
    // Every entry described in Chinese (none falls back to English), with its values.
    const chinese = describeTraceFromCatalogue(result, 'zh-CN');
    result.trace.forEach((entry, i) => {
      const text = chinese[i];
      expect(text, `no Chinese for ${entry.step} ${entry.status}: ${entry.reason}`).not.toBeNull();
      expect(text).toMatch(HAN);
      for (const value of valuesOf(entry, result)) expect(text, entry.reason).toContain(value);
    });
    // The error too, with the same values.
    if (result.error !== null) {
      const zh = describeErrorFromCatalogue(result, 'zh-CN');
      expect(zh, result.error.message).not.toBeNull();
      expect(zh).toMatch(HAN);
      if (OWN_WORDS.has(result.error.code)) expect(describeErrorFromCatalogue(result, 'en')).toBe(result.error.message);
      expect(describeResolutionError(result, 'en')).toBe(result.error.message);
    }
  });
});

describe('the well-known outcome in Chinese (real fetches over the lab)', () => {
  let lab: Lab;
  const big = JSON.stringify({ 'm.server': 'x.example', pad: 'x'.repeat(60_000) });
  const routes = {
    'notfound.example': { status: 404, body: 'no' },
    'error500.example': { status: 502, body: 'bad gateway' },
    'forbidden.example': { status: 403, body: 'forbidden' },
    'bom.example': { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"m.server":"a.example"}')]) },
    'latin1.example': { body: Buffer.from([0x7b, 0xff, 0x7d]) },
    'empty.example': { body: '' },
    'syntax.example': { body: '{"m.server": "a.example",}' },
    'array.example': { json: ['m.server'] },
    'missing.example': { json: { 'm.servers': 'a.example' } },
    'number.example': { json: { 'm.server': 8448 } },
    'scheme.example': { json: { 'm.server': 'https://matrix.scheme.example' } },
    'large.example': { body: big },
    'loop.example': { redirect: 'https://loop.example/.well-known/matrix/server' },
    'good.example': { json: { 'm.server': 'matrix.good.example:443' } },
  } as const;

  beforeAll(async () => {
    lab = await startLab({
      zones: {
        ...Object.fromEntries(Object.keys(routes).map((name) => [name, { A: [name.replace('.example', '')] }])),
        'matrix.good.example': { A: ['good'] },
        // No server on this address: the connection is refused.
        'refused.example': { A: ['127.255.254.253'] },
      },
      hosts: {
        ...Object.fromEntries(
          Object.entries(routes).map(([name, route]) => [
            name.replace('.example', ''),
            {
              certificates: [{ dnsNames: [name] }],
              routes: { 'GET /.well-known/matrix/server': route },
            },
          ]),
        ),
      },
    });
  });
  afterAll(() => lab?.close());

  // The English the catalogue reproduces exactly; the others name the failure in fewer words (same URL and code).
  const EXACT = new Set([
    'notfound.example',
    'error500.example',
    'forbidden.example',
    'bom.example',
    'latin1.example',
    'empty.example',
    'syntax.example',
    'missing.example',
    'good.example',
  ]);

  it.each([...Object.keys(routes), 'refused.example'])('%s', async (name) => {
    const result = await resolveServerName(name, lab.clientOptions());
    const wk = result.wellKnown;
    expect(describeWellKnown(result, 'en')).toBe(wk.detail);
    if (EXACT.has(name)) expect(describeWellKnownFromCatalogue(result, 'en')).toBe(wk.detail);
    const zh = describeWellKnownFromCatalogue(result, 'zh-CN');
    expect(zh, wk.detail).not.toBeNull();
    expect(zh).toMatch(HAN);
    expect(zh).toContain(`https://${name}/.well-known/matrix/server`);
    if (wk.mServer !== null) expect(zh).toContain(wk.mServer);
    const status = /answered (\d{3})/.exec(wk.detail)?.[1];
    if (status !== undefined) expect(zh).toContain(status);
    // And the step itself.
    const index = result.trace.findIndex((e) => e.step === '3');
    const step = describeTraceFromCatalogue(result, 'zh-CN')[index];
    expect(step).toMatch(HAN);
    expect(step).toContain(zh);
    if (name === 'good.example')
      expect(describeTraceFromCatalogue(result, 'en')[index]).toBe(result.trace[index]!.reason);
  });
});
