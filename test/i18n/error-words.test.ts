// The error sentences of src/net, src/dns, src/well-known and src/resolver read back and said in Chinese (issue 17).

import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DNS_ERROR_EN, DNS_ERROR_TEXTS } from '../../src/dns/dns-error-texts.js';
import { errorWords, readErrorWords } from '../../src/diagnosis/rules/error-words.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { connectTls } from '../../src/net/connect.js';
import { readJsonBody } from '../../src/net/json-body.js';
import { NET_ERROR_EN, NET_ERROR_TEXTS } from '../../src/net/net-error-texts.js';
import { RESOLVE_ERROR_EN, RESOLVE_ERROR_TEXTS } from '../../src/resolver/resolve-error-texts.js';
import { parseWellKnownServer } from '../../src/well-known/parse-server.js';
import { WELL_KNOWN_ERROR_EN, WELL_KNOWN_ERROR_TEXTS } from '../../src/well-known/well-known-error-texts.js';
import { sayingProblems } from './sentence-checks.js';

const MARK = '（系统原文：';

/** The address policy's reasons as it writes them (their forms: test/i18n/policy-budget-cut-words.test.ts). */
const POLICY = createAddressPolicy();

const SYSTEM = {
  refused: 'connect ECONNREFUSED 192.0.2.10:8448',
  openssl: '80EC6E8F037F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
  altnames:
    "Hostname/IP does not match certificate's altnames: Host: matrix.example.org. is not in the cert's altnames: DNS:other.example",
  parser: 'Unexpected end of JSON input',
  udp: 'send EHOSTUNREACH 192.0.2.53:53',
};

/** One sentence of every form, built as the producers build them (through the same `en` messages), with its code. */
const SENTENCES: readonly (readonly [string | null, string])[] = [
  ['CONNECT_TIMEOUT', NET_ERROR_EN.tcpTimeout({ address: '192.0.2.10', ms: 4000 })],
  ['TIMEOUT', NET_ERROR_EN.tlsTimeout({ address: '192.0.2.10', ms: 4000 })],
  ['TIMEOUT', NET_ERROR_EN.aborted],
  ['ADDRESS_DENIED', NET_ERROR_EN.noAddressAllowed({ reasons: POLICY.check('10.0.0.1').reason })],
  ['NO_TARGETS', NET_ERROR_EN.noAddress],
  ['ADDRESS_DENIED', NET_ERROR_EN.probeDenied({ address: '10.0.0.1:8448', reasons: POLICY.check('10.0.0.1').reason })],
  ['TIMEOUT', NET_ERROR_EN.probeHandshakeTimeout({ address: '192.0.2.10:8448', ms: 5000 })],
  ['CONNECT_TIMEOUT', NET_ERROR_EN.probeTcpTimeout({ address: '[2001:db8::1]:8448', ms: 5000 })],
  ['CONNECTION_RESET', NET_ERROR_EN.probeClosed({ address: '192.0.2.10:8448' })],
  ['TLS_ERROR', NET_ERROR_EN.certificateUnreadable({ address: '192.0.2.10:8448', system: 'bad DER' })],
  ['TLS_NAME_MISMATCH', NET_ERROR_EN.notValidFor({ name: 'matrix.example.org', inner: SYSTEM.altnames })],
  ['TLS_NAME_MISMATCH', NET_ERROR_EN.notValidFor({ name: 'matrix.example.org', inner: NET_ERROR_EN.noCertificate })],
  ['CONNECT_UNREACHABLE', NET_ERROR_EN.portUnusable({ address: '192.0.2.10:0', port: 0 })],
  ['BODY_TOO_LARGE', NET_ERROR_EN.bodyTooLarge({ max: 524288 })],
  ['CONNECT_REFUSED', NET_ERROR_EN.systemAt({ address: '192.0.2.10', system: SYSTEM.refused })],
  ['TLS_ERROR', NET_ERROR_EN.systemAt({ address: '192.0.2.10:443', system: SYSTEM.openssl })],
  ['DNS_NXDOMAIN', DNS_ERROR_EN.nxdomain({ name: 'lk.example.org' })],
  ['DNS_NODATA', DNS_ERROR_EN.nodata({ name: 'lk.example.org', rrtype: 'AAAA' })],
  ['DNS_SERVFAIL', DNS_ERROR_EN.servfail({ server: '192.0.2.53:53', name: 'example.org', rrtype: 'AAAA' })],
  ['DNS_ERROR', DNS_ERROR_EN.rcode({ server: '192.0.2.53:53', rcode: 'REFUSED', name: 'example.org', rrtype: 'A' })],
  ['DNS_TIMEOUT', DNS_ERROR_EN.timeout({ name: 'example.org', rrtype: 'SRV', ms: 5000 })],
  ['DNS_TIMEOUT', DNS_ERROR_EN.aborted({ name: 'example.org', rrtype: 'A' })],
  ['DNS_CNAME_LOOP', DNS_ERROR_EN.cnameLoop({ name: 'a.example.org', target: 'b.example.org' })],
  ['DNS_CNAME_LOOP', DNS_ERROR_EN.cnameTooLong({ name: 'a.example.org', max: 16 })],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.malformedRecord({ rrtype: 'SRV', name: 'example.org', inner: DNS_ERROR_EN.recordNoTarget }),
  ],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.malformedRecord({ rrtype: 'A', name: 'example.org', inner: DNS_ERROR_EN.recordNotAddress }),
  ],
  ['DNS_ERROR', DNS_ERROR_EN.malformedRecord({ rrtype: 'SRV', name: 'example.org', inner: DNS_ERROR_EN.recordNotSrv })],
  ['DNS_ERROR', DNS_ERROR_EN.referral({ name: 'example.org', rrtype: 'AAAA' })],
  ['DNS_ERROR', DNS_ERROR_EN.noServer({ system: 'ENOENT: no such file, open /etc/resolv.conf' })],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.serverFailed({ server: '192.0.2.53:53', inner: DNS_ERROR_EN.udp({ system: SYSTEM.udp }) }),
  ],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.serverFailed({ server: '192.0.2.53:53', inner: DNS_ERROR_EN.udpSend({ system: SYSTEM.udp }) }),
  ],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.serverFailed({ server: '192.0.2.53:53', inner: DNS_ERROR_EN.tcp({ system: SYSTEM.udp }) }),
  ],
  [
    'DNS_ERROR',
    DNS_ERROR_EN.serverFailed({
      server: '[2001:db8::53]:53',
      inner: DNS_ERROR_EN.malformedResponse({ system: 'Header too short' }),
    }),
  ],
  [
    'WELL_KNOWN_BAD_REDIRECT',
    WELL_KNOWN_ERROR_EN.noLocation({ url: 'https://example.org/.well-known/matrix/server', status: 302 }),
  ],
  [
    'WELL_KNOWN_BAD_REDIRECT',
    WELL_KNOWN_ERROR_EN.badLocation({ url: 'https://example.org/.well-known/matrix/server', location: 'http://[bad' }),
  ],
  [
    'WELL_KNOWN_BAD_REDIRECT',
    WELL_KNOWN_ERROR_EN.plainRedirect({
      url: 'https://example.org/.well-known/matrix/server',
      next: 'http://example.org/.well-known/matrix/server',
    }),
  ],
  [
    'WELL_KNOWN_REDIRECT_LOOP',
    WELL_KNOWN_ERROR_EN.redirectLoop({ url: 'https://a.example.org/x', next: 'https://b.example.org/x' }),
  ],
  [
    'WELL_KNOWN_TOO_MANY_REDIRECTS',
    WELL_KNOWN_ERROR_EN.tooManyRedirects({ count: 10, next: 'https://c.example.org/x' }),
  ],
  [null, WELL_KNOWN_ERROR_EN.answered({ url: 'https://example.org/.well-known/matrix/client', status: 503 })],
  [
    'TIMEOUT',
    WELL_KNOWN_ERROR_EN.budgetAt({ inner: WELL_KNOWN_ERROR_EN.budget({ ms: 10000 }), url: 'https://example.org/x' }),
  ],
  [
    'WELL_KNOWN_TOO_LARGE',
    WELL_KNOWN_ERROR_EN.tooLarge({ url: 'https://large.example.org/.well-known/matrix/server', max: 51200 }),
  ],
  [
    'ADDRESS_DENIED',
    WELL_KNOWN_ERROR_EN.blocked({
      url: 'https://example.org/x',
      host: 'example.org',
      reasons: POLICY.check('10.0.0.1').reason,
    }),
  ],
  ['DNS_NODATA', WELL_KNOWN_ERROR_EN.noRecords({ host: 'lk.example.org' })],
  [
    'DNS_NXDOMAIN',
    WELL_KNOWN_ERROR_EN.failedAt({
      url: 'https://lk.example.org/livekit/jwt/get_token',
      inner: WELL_KNOWN_ERROR_EN.noRecordsBecause({
        host: 'lk.example.org',
        code: 'DNS_NXDOMAIN',
        inner: DNS_ERROR_EN.nxdomain({ name: 'lk.example.org' }),
      }),
    }),
  ],
  [
    'DNS_SERVFAIL',
    WELL_KNOWN_ERROR_EN.lookupFailed({
      host: 'lk.example.org',
      code: 'DNS_SERVFAIL',
      inner: DNS_ERROR_EN.servfail({ server: '192.0.2.53:53', name: 'lk.example.org', rrtype: 'A' }),
    }),
  ],
  [
    'TLS_NAME_MISMATCH',
    WELL_KNOWN_ERROR_EN.failedAt({
      url: 'https://jitsi.example.org/external_api.js',
      inner: NET_ERROR_EN.systemAt({ address: '192.0.2.10', system: SYSTEM.altnames }),
    }),
  ],
  [
    'WELL_KNOWN_HTTP_STATUS',
    WELL_KNOWN_ERROR_EN.serverError({ url: 'https://example.org/.well-known/matrix/server', status: 502 }),
  ],
  ['WELL_KNOWN_NOT_FOUND', WELL_KNOWN_ERROR_EN.notFound({ url: 'https://example.org/.well-known/matrix/server' })],
  [
    'WELL_KNOWN_HTTP_STATUS',
    WELL_KNOWN_ERROR_EN.status({ url: 'https://example.org/.well-known/matrix/server', status: 403 }),
  ],
  [
    'DNS_SERVFAIL',
    RESOLVE_ERROR_EN.addressLookupFailed({
      host: 'servfail.example.org',
      inner: DNS_ERROR_EN.servfail({ server: '127.0.0.1:40164', name: 'servfail.example.org', rrtype: 'AAAA' }),
    }),
  ],
  [
    'DNS_TIMEOUT',
    RESOLVE_ERROR_EN.srvLookupFailed({
      srvName: '_matrix-fed._tcp.example.org',
      inner: DNS_ERROR_EN.timeout({ name: '_matrix-fed._tcp.example.org', rrtype: 'SRV', ms: 5000 }),
    }),
  ],
  ['SRV_UNAVAILABLE', RESOLVE_ERROR_EN.srvUnavailable({ srvName: '_matrix-fed._tcp.example.org' })],
  ['ADDRESS_DENIED', RESOLVE_ERROR_EN.denied({ addresses: '10.0.0.1, 192.168.1.2' })],
  ['NO_TARGETS', RESOLVE_ERROR_EN.noTargets],
  ['TIMEOUT', RESOLVE_ERROR_EN.wellKnownStopped({ inner: RESOLVE_ERROR_EN.budget({ ms: 15000 }) })],
];

/** The bodies the parsers refuse, and the sentence each writes (the producers themselves). */
function bodySentences(): string[] {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const out: string[] = [];
  for (const body of [bytes('{"m.server": '), bytes('  '), new Uint8Array([0xff, 0xfe, 0x00])]) {
    const read = readJsonBody(body);
    if (!read.ok) out.push(`https://example.org/.well-known/matrix/client: ${read.message}`, read.message);
  }
  const documents = [
    new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"m.server": "a.example.org"}')]),
    new Uint8Array([0xff, 0xfe]),
    bytes(''),
    bytes('{"m.server": "a.example.org",}'),
    bytes('["a.example.org"]'),
    bytes('null'),
    bytes('{"server": "a.example.org"}'),
    bytes('{"m.server": 8448}'),
    bytes('{"m.server": "https://a.example.org/"}'),
  ];
  for (const body of documents) {
    const parsed = parseWellKnownServer(body);
    if (!parsed.ok) out.push(`https://example.org/.well-known/matrix/server: ${parsed.detail}`);
  }
  return out;
}

describe('the error sentences in Chinese (errorWords)', () => {
  it('each catalogue is complete in Chinese', () => {
    expect(
      checkTranslations(
        NET_ERROR_TEXTS,
        {
          tcpTimeout: { address: '192.0.2.1', ms: 4001 },
          tlsTimeout: { address: '192.0.2.2', ms: 4002 },
          noAddressAllowed: { reasons: 'policy reasons' },
          probeDenied: { address: '192.0.2.3:8448', reasons: 'denied reasons' },
          probeHandshakeTimeout: { address: '192.0.2.4:8448', ms: 4003 },
          probeTcpTimeout: { address: '192.0.2.5:8448', ms: 4004 },
          probeClosed: { address: '192.0.2.6:8448' },
          certificateUnreadable: { address: '192.0.2.7:8448', system: 'system words' },
          notValidFor: { name: 'matrix.example.org', inner: 'inner words' },
          portUnusable: { address: '192.0.2.8:0', port: 70000 },
          bodyNotJson: { parser: 'parser words' },
          bodyTooLarge: { max: 524288 },
          operationTimeout: { ms: 4005 },
          systemAt: { address: '192.0.2.9', system: 'node words' },
        },
        ['systemAt'],
      ), // only an address and Node's words (Chinese comes with the marked system text)
    ).toEqual([]);
    expect(
      checkTranslations(DNS_ERROR_TEXTS, {
        nxdomain: { name: 'nx.example.org' },
        nodata: { name: 'nodata.example.org', rrtype: 'AAAA' },
        servfail: { server: '192.0.2.53:53', name: 'sf.example.org', rrtype: 'SRV' },
        rcode: { server: '192.0.2.54:53', rcode: 'REFUSED', name: 'rc.example.org', rrtype: 'TXT' },
        timeout: { name: 'to.example.org', rrtype: 'CNAME', ms: 5001 },
        aborted: { name: 'ab.example.org', rrtype: 'MX' },
        cnameLoop: { name: 'loop.example.org', target: 'back.example.org' },
        cnameTooLong: { name: 'long.example.org', max: 1616 },
        malformedRecord: { rrtype: 'NS', name: 'bad.example.org', inner: 'inner words' },
        referral: { name: 'ref.example.org', rrtype: 'PTR' },
        noServer: { system: 'no server words' },
        malformedResponse: { system: 'malformed words' },
        udp: { system: 'udp words' },
        udpSend: { system: 'send words' },
        tcp: { system: 'tcp words' },
        serverFailed: { server: '192.0.2.55:53', inner: 'server inner' },
      }),
    ).toEqual([]);
    expect(
      checkTranslations(
        WELL_KNOWN_ERROR_TEXTS,
        {
          noLocation: { url: 'https://a.example.org/1', status: 301 },
          badLocation: { url: 'https://a.example.org/2', location: 'http://[bad' },
          plainRedirect: { url: 'https://a.example.org/3', next: 'http://a.example.org/4' },
          redirectLoop: { url: 'https://a.example.org/5', next: 'https://a.example.org/6' },
          tooManyRedirects: { count: 11, next: 'https://a.example.org/7' },
          answered: { url: 'https://a.example.org/8', status: 503 },
          budget: { ms: 9001 },
          budgetAt: { inner: 'inner budget', url: 'https://a.example.org/9' },
          tooLarge: { url: 'https://a.example.org/10', max: 51200 },
          blocked: { url: 'https://a.example.org/11', host: 'blocked.example.org', reasons: 'policy reasons' },
          noRecords: { host: 'none.example.org' },
          noRecordsBecause: { host: 'because.example.org', code: 'DNS_NXDOMAIN', inner: 'inner nx' },
          lookupFailed: { host: 'failed.example.org', code: 'DNS_SERVFAIL', inner: 'inner sf' },
          serverError: { url: 'https://a.example.org/12', status: 502 },
          notFound: { url: 'https://a.example.org/13' },
          status: { url: 'https://a.example.org/14', status: 403 },
          notJson: { parser: 'parser words' },
          notObject: { type: 'an array' },
          mServerNotString: { type: 'a number' },
          mServerInvalid: { inner: 'inner server name' },
          failedAt: { url: 'https://a.example.org/15', inner: 'inner failure' },
        },
        ['failedAt'],
      ), // a URL and a sentence said in Chinese of its own
    ).toEqual([]);
    expect(
      checkTranslations(RESOLVE_ERROR_TEXTS, {
        addressLookupFailed: { host: 'lookup.example.org', inner: 'inner lookup' },
        srvLookupFailed: { srvName: '_matrix-fed._tcp.example.org', inner: 'inner srv' },
        srvUnavailable: { srvName: '_matrix._tcp.example.org' },
        denied: { addresses: '10.0.0.1, 10.0.0.2' },
        wellKnownStopped: { inner: 'inner stop' },
        budget: { ms: 15001 },
      }),
    ).toEqual([]);
  });

  it('reads every form back and says it in Chinese with every value, no English of ours left', () => {
    const failures: string[] = [];
    for (const [code, sentence] of [...SENTENCES, ...bodySentences().map((s) => [null, s] as const)]) {
      if (readErrorWords(code, sentence, 'zh-CN') === null) failures.push(`not read: ${sentence}`);
      failures.push(...sayingProblems(sentence, errorWords(code, sentence, 'zh-CN')));
    }
    expect(failures).toEqual([]);
  });

  it('English is the sentence itself', () => {
    for (const [code, sentence] of SENTENCES) expect(errorWords(code, sentence, 'en')).toBe(sentence);
  });

  it("keeps a system's own words as they are, marked, after what the code means", () => {
    expect(errorWords('CONNECT_REFUSED', SYSTEM.refused, 'zh-CN')).toBe(`连接被拒绝${MARK}${SYSTEM.refused}）`);
    // Without a code, Node's words tell it.
    expect(errorWords(null, SYSTEM.altnames, 'zh-CN')).toBe(`证书与主机名不匹配${MARK}${SYSTEM.altnames}）`);
  });

  it("says a real refused connection's sentence (connectTls to a closed loopback port)", async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    server.close();
    await once(server, 'close');
    const result = await connectTls({
      addresses: ['127.0.0.1'],
      port,
      servername: 'localhost',
      policy: createAddressPolicy({ denyNetworks: [] }),
      attemptTimeoutMs: 5_000,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('CONNECT_REFUSED');
    const said = errorWords(result.code, result.message, 'zh-CN');
    expect(said).toBe(`127.0.0.1：连接被拒绝${MARK}connect ECONNREFUSED 127.0.0.1:${port}）`);
  });
});
