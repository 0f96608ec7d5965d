// Tests of fetchWellKnownServer against real HTTPS servers on loopback: statuses, parsing, redirects, policy, limits, TLS.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DnsAnswer, DnsResolver, SrvRecord } from '../../src/dns/types.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { createCertificateAuthority } from '../../src/testing/certificates.js';
import type { LabCertificate } from '../../src/testing/types.js';
import { fetchWellKnownServer } from '../../src/well-known/fetch.js';
import { MAX_HOP_ADDRESSES } from '../../src/well-known/fetch-document.js';
import type { WellKnownFetchOptions } from '../../src/well-known/types.js';

// A random 127.N.0.0/16 block per run, so parallel test files never share an address.
const NET = `127.${2 + Math.floor(Math.random() * 250)}`;
const ip = (last: number): string => `${NET}.0.${last}`;

const PATH = '/.well-known/matrix/server';
const NAMES = ['a.test', 'b.test', 'denied.test', 'multi.test', 'dual.test'];

// --- a tiny DNS resolver fake ----------------------------------------------------------------------------------

interface FakeRecords {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  /** Never answer. */
  readonly hang?: boolean;
}

function fakeDns(table: Readonly<Record<string, FakeRecords>>): DnsResolver & { readonly asked: string[] } {
  const asked: string[] = [];
  const answer = (name: string, type: 'A' | 'AAAA'): Promise<DnsAnswer<string>> => {
    asked.push(`${type} ${name}`);
    const entry = table[name];
    if (entry?.hang === true) return new Promise(() => undefined);
    if (entry === undefined)
      return Promise.resolve({ ok: false, code: 'DNS_NXDOMAIN', message: 'no such name', cnameChain: [] });
    const records = entry[type] ?? [];
    if (records.length === 0)
      return Promise.resolve({ ok: false, code: 'DNS_NODATA', message: 'no records', cnameChain: [] });
    return Promise.resolve({ ok: true, records, cnameChain: [], ttlSeconds: 300 });
  };
  return {
    asked,
    resolve4: (name) => answer(name, 'A'),
    resolve6: (name) => answer(name, 'AAAA'),
    resolveSrv: (): Promise<DnsAnswer<SrvRecord>> =>
      Promise.resolve({ ok: false, code: 'DNS_NXDOMAIN', message: 'no such name', cnameChain: [] }),
  };
}

// --- loopback HTTPS servers --------------------------------------------------------------------------------

interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  readonly userAgent: string | undefined;
  readonly sni: string | false | null | undefined;
}

interface TestServer {
  readonly address: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  /** TCP connections accepted (before any TLS). */
  connections: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let ca: { certPem: string };
let goodCert: LabCertificate;
let wrongNameCert: LabCertificate;
const servers: Server[] = [];

beforeAll(async () => {
  const authority = await createCertificateAuthority();
  ca = authority;
  goodCert = await authority.issue({ dnsNames: NAMES, ipAddresses: [ip(9)] });
  wrongNameCert = await authority.issue({ dnsNames: NAMES, kind: 'wrong-name' });
});

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function startServer(
  address: string,
  handler: Handler,
  options: { port?: number; cert?: LabCertificate } = {},
): Promise<TestServer> {
  const cert = options.cert ?? goodCert;
  const server = createServer({ key: cert.keyPem, cert: cert.fullChainPem });
  servers.push(server);
  const state: TestServer = { address, port: 0, requests: [], connections: 0 };
  server.on('connection', () => {
    state.connections += 1;
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    state.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      host: req.headers.host,
      userAgent: req.headers['user-agent'],
      sni: (req.socket as TLSSocket).servername,
    });
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}

const json =
  (value: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

const raw =
  (status: number, body: string | Buffer, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/** Routes by path; unknown paths get 404. */
const routes =
  (table: Record<string, Handler>): Handler =>
  (req, res) => {
    const handler = table[new URL(req.url ?? '/', 'https://x').pathname];
    if (handler === undefined) raw(404, 'not here')(req, res);
    else handler(req, res);
  };

const redirect = (status: number, location: string): Handler => raw(status, '', { location });

/** Options that reach loopback: the default deny list plus the allow-list entries given (127.0.0.0/8 by default). */
function options(
  dns: DnsResolver,
  port: number,
  extra: Partial<WellKnownFetchOptions> = {},
  allow = ['127.0.0.0/8'],
): WellKnownFetchOptions {
  return {
    dns,
    policy: createAddressPolicy({ allowNetworks: allow }),
    port,
    ca: [ca.certPem],
    timeoutMs: 5_000,
    ...extra,
  };
}

// --- the tests ---------------------------------------------------------------------------------------------

describe('fetchWellKnownServer: answers', () => {
  it('returns the delegation of a 200 JSON document, with headers and one hop', async () => {
    const server = await startServer(
      ip(1),
      routes({
        [PATH]: json(
          { 'm.server': 'matrix.example.org:8448' },
          { 'cache-control': 'max-age=3600', expires: 'Thu, 01 Jan 2037 00:00:00 GMT' },
        ),
      }),
    );
    const dns = fakeDns({ 'a.test': { A: [ip(1)] } });
    const result = await fetchWellKnownServer('a.test', options(dns, server.port));
    expect(result).toMatchObject({
      status: 'delegated',
      mServer: 'matrix.example.org:8448',
      serverName: { host: 'matrix.example.org', kind: 'dns', port: 8448 },
      code: null,
      httpStatus: 200,
      hasBom: false,
      url: 'https://a.test/.well-known/matrix/server',
      headers: {
        cacheControl: 'max-age=3600',
        expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
        contentType: 'application/json',
      },
    });
    expect(result.hops).toHaveLength(1);
    expect(result.hops[0]).toMatchObject({
      url: 'https://a.test/.well-known/matrix/server',
      status: 200,
      address: ip(1),
    });
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'GET', url: PATH, host: 'a.test', sni: 'a.test' }),
    ]);
    expect(dns.asked.sort()).toEqual(['A a.test', 'AAAA a.test']);
  });

  it('parses JSON served as text/html and records the content type', async () => {
    const server = await startServer(
      ip(1),
      raw(200, '{"m.server": "hs.example.org"}', { 'content-type': 'text/html; charset=utf-8' }),
    );
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({
      status: 'delegated',
      mServer: 'hs.example.org',
      headers: { contentType: 'text/html; charset=utf-8', cacheControl: null },
    });
  });

  it.each([
    [404, 'absent', 'WELL_KNOWN_NOT_FOUND'],
    [403, 'absent', 'WELL_KNOWN_HTTP_STATUS'],
    [204, 'absent', 'WELL_KNOWN_HTTP_STATUS'],
    [500, 'error', 'WELL_KNOWN_HTTP_STATUS'],
    [503, 'error', 'WELL_KNOWN_HTTP_STATUS'],
  ])('maps HTTP %i to %s / %s', async (status, expected, code) => {
    const server = await startServer(ip(1), raw(status, status === 204 ? '' : '{"m.server": "hs.example.org"}'));
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: expected, code, httpStatus: status, mServer: null, serverName: null });
    expect(result.detail).toContain(String(status));
  });

  it.each([
    ['{"m.server": ', 'WELL_KNOWN_INVALID_JSON', null],
    ['["hs.example.org"]', 'WELL_KNOWN_NOT_OBJECT', null],
    ['{"server": "hs.example.org"}', 'WELL_KNOWN_MISSING_M_SERVER', null],
    ['{"m.server": "https://hs.example.org"}', 'WELL_KNOWN_INVALID_M_SERVER', 'https://hs.example.org'],
  ])('reports the 200 body %j as invalid (%s)', async (body, code, mServer) => {
    const server = await startServer(ip(1), raw(200, body, { 'content-type': 'application/json' }));
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: 'invalid', code, mServer, serverName: null, httpStatus: 200 });
  });

  it('reports a body with a byte order mark as invalid, with hasBom', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"m.server": "hs.example.org"}')]);
    const server = await startServer(ip(1), raw(200, body));
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: 'invalid', code: 'WELL_KNOWN_INVALID_JSON', hasBom: true });
  });

  it('sends the default User-Agent with the package version, or the one given', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const server = await startServer(ip(1), json({ 'm.server': 'hs.example.org' }));
    const dns = fakeDns({ 'a.test': { A: [ip(1)] } });
    await fetchWellKnownServer('a.test', options(dns, server.port));
    await fetchWellKnownServer('a.test', options(dns, server.port, { userAgent: 'probe/9' }));
    expect(server.requests.map((r) => r.userAgent)).toEqual([`matrix-delegation/${pkg.version}`, 'probe/9']);
  });

  it('sends no SNI to an IP literal and checks the certificate against the IP', async () => {
    const server = await startServer(ip(9), json({ 'm.server': 'hs.example.org' }));
    const dns = fakeDns({});
    const result = await fetchWellKnownServer(ip(9), options(dns, server.port));
    expect(result).toMatchObject({ status: 'delegated', url: `https://${ip(9)}/.well-known/matrix/server` });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.sni).toBeFalsy();
    expect(server.requests[0]?.host).toBe(ip(9));
    expect(dns.asked).toEqual([]);
  });
});

describe('fetchWellKnownServer: redirects', () => {
  it('follows a relative 302 on the same host', async () => {
    const server = await startServer(
      ip(1),
      routes({
        [PATH]: redirect(302, '/moved/server?x=1#frag'),
        '/moved/server': json({ 'm.server': 'hs.example.org' }),
      }),
    );
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({
      status: 'delegated',
      mServer: 'hs.example.org',
      url: 'https://a.test/moved/server?x=1',
    });
    expect(result.hops.map((h) => [h.url, h.status])).toEqual([
      ['https://a.test/.well-known/matrix/server', 302],
      ['https://a.test/moved/server?x=1', 200],
    ]);
    expect(server.requests.map((r) => r.url)).toEqual([PATH, '/moved/server?x=1']);
  });

  it.each([301, 303, 307, 308])(
    'follows an absolute %i to another host, with that host as SNI and Host',
    async (status) => {
      const target = await startServer(ip(2), json({ 'm.server': 'hs.example.org:443' }));
      const origin = await startServer(ip(1), redirect(status, `https://b.test:${target.port}/wk`));
      const dns = fakeDns({ 'a.test': { A: [ip(1)] }, 'b.test': { A: [ip(2)] } });
      const result = await fetchWellKnownServer('a.test', options(dns, origin.port));
      expect(result).toMatchObject({ status: 'delegated', mServer: 'hs.example.org:443', httpStatus: 200 });
      expect(result.hops.map((h) => [h.status, h.address])).toEqual([
        [status, ip(1)],
        [200, ip(2)],
      ]);
      expect(target.requests).toEqual([
        expect.objectContaining({ url: '/wk', host: `b.test:${target.port}`, sni: 'b.test' }),
      ]);
    },
  );

  it('detects a redirect loop', async () => {
    const server = await startServer(
      ip(1),
      routes({ [PATH]: redirect(302, '/x'), '/x': redirect(301, `https://a.test${PATH}`) }),
    );
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_REDIRECT_LOOP', httpStatus: 301 });
    expect(server.requests).toHaveLength(2);
  });

  const chain: Handler = (req, res) => {
    const n = req.url === PATH ? 0 : Number(req.url?.slice('/hop/'.length));
    if (n >= 20) json({ 'm.server': 'hs.example.org' })(req, res);
    else redirect(307, `/hop/${n + 1}`)(req, res);
  };

  it('stops after maxRedirects redirects', async () => {
    const server = await startServer(ip(1), chain);
    const result = await fetchWellKnownServer(
      'a.test',
      options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port, { maxRedirects: 3 }),
    );
    expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_TOO_MANY_REDIRECTS' });
    expect(result.hops).toHaveLength(4);
    expect(server.requests).toHaveLength(4);
  });

  it('follows 20 redirects by default, and no more', async () => {
    const server = await startServer(ip(1), chain);
    const dns = fakeDns({ 'a.test': { A: [ip(1)] } });
    const twenty = await fetchWellKnownServer('a.test', options(dns, server.port));
    expect(twenty).toMatchObject({ status: 'delegated', url: 'https://a.test/hop/20' });
    expect(twenty.hops).toHaveLength(21);
    const nineteen = await fetchWellKnownServer('a.test', options(dns, server.port, { maxRedirects: 19 }));
    expect(nineteen).toMatchObject({ status: 'error', code: 'WELL_KNOWN_TOO_MANY_REDIRECTS' });
  });

  it.each(['http://a.test/.well-known/matrix/server', 'ftp://a.test/x'])(
    'refuses a redirect to %s',
    async (location) => {
      const server = await startServer(ip(1), redirect(302, location));
      const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
      expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_BAD_REDIRECT', httpStatus: 302 });
      expect(result.hops).toHaveLength(1);
    },
  );

  it('refuses a redirect without a Location', async () => {
    const server = await startServer(ip(1), raw(301, ''));
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_BAD_REDIRECT' });
  });
});

describe('fetchWellKnownServer: address policy', () => {
  it('never contacts a redirect target whose address is denied', async () => {
    const denied = await startServer(ip(3), json({ 'm.server': 'evil.example.org' }));
    const origin = await startServer(ip(1), redirect(302, `https://denied.test:${denied.port}${PATH}`));
    const dns = fakeDns({ 'a.test': { A: [ip(1)] }, 'denied.test': { A: [ip(3)] } });
    const result = await fetchWellKnownServer('a.test', options(dns, origin.port, {}, [`${ip(1)}/32`]));
    expect(result).toMatchObject({ status: 'blocked', code: 'ADDRESS_DENIED', mServer: null });
    expect(result.detail).toContain('loopback');
    expect(result.hops[1]).toMatchObject({
      address: null,
      status: null,
      attempts: [expect.objectContaining({ address: ip(3), outcome: 'denied' })],
    });
    expect(denied.connections).toBe(0);
    expect(origin.requests).toHaveLength(1);
  });

  it('is blocked without any connection when the hostname resolves only to denied addresses', async () => {
    const server = await startServer(ip(3), json({ 'm.server': 'hs.example.org' }));
    const dns = fakeDns({ 'denied.test': { A: [ip(3)], AAAA: ['::1'] } });
    const result = await fetchWellKnownServer('denied.test', options(dns, server.port, {}, [`${ip(1)}/32`]));
    expect(result).toMatchObject({ status: 'blocked', code: 'ADDRESS_DENIED', httpStatus: null });
    expect(result.hops[0]?.attempts.map((a) => [a.address, a.outcome])).toEqual([
      ['::1', 'denied'],
      [ip(3), 'denied'],
    ]);
    expect(server.connections).toBe(0);
  });

  it("looks a hop's host up as the resolver does: every AAAA address first, each in its RFC 5952 form", async () => {
    // One host lookup for the resolver and the well-known fetch (issue 15): an AAAA answer written out in full is
    // the address the resolver would name (::1), not the answer's own spelling.
    const dns = fakeDns({ 'denied.test': { A: [ip(3)], AAAA: ['0:0:0:0:0:0:0:1', '2001:DB8:0:0::7'] } });
    const result = await fetchWellKnownServer('denied.test', options(dns, 1, {}, [`${ip(1)}/32`]));
    expect(result.hops[0]?.attempts.map((a) => a.address)).toEqual(['::1', '2001:db8::7', ip(3)]);
  });

  it('skips a denied address and uses an allowed one of the same host', async () => {
    const server = await startServer(ip(1), json({ 'm.server': 'hs.example.org' }));
    const dns = fakeDns({ 'multi.test': { A: ['10.0.0.1', ip(1)] } });
    const result = await fetchWellKnownServer('multi.test', options(dns, server.port));
    expect(result).toMatchObject({ status: 'delegated' });
    expect(result.hops[0]?.attempts.map((a) => [a.address, a.outcome, a.code])).toEqual([
      ['10.0.0.1', 'denied', 'ADDRESS_DENIED'],
      [ip(1), 'connected', null],
    ]);
  });
});

describe('fetchWellKnownServer: connections and limits', () => {
  it('tries the next address when the first refuses the connection (IPv6 first)', async () => {
    const server = await startServer(ip(6), json({ 'm.server': 'hs.example.org' }));
    // Nothing listens on ip(5) or ::1 at this port: refused (or unreachable where IPv6 is off).
    const dns = fakeDns({ 'multi.test': { A: [ip(5), ip(6)], AAAA: ['::1'] } });
    const result = await fetchWellKnownServer('multi.test', options(dns, server.port, {}, ['127.0.0.0/8', '::1']));
    expect(result).toMatchObject({ status: 'delegated' });
    const attempts = result.hops[0]?.attempts ?? [];
    expect(attempts.map((a) => [a.address, a.outcome])).toEqual([
      ['::1', 'failed'],
      [ip(5), 'failed'],
      [ip(6), 'connected'],
    ]);
    expect(attempts[1]?.code).toBe('CONNECT_REFUSED');
    expect(result.hops[0]?.address).toBe(ip(6));
  });

  it('dials at most MAX_HOP_ADDRESSES of a host with many addresses (a hostile zone), in order', async () => {
    // 40 addresses on which nothing listens at this port: each refuses at once.
    const many = Array.from({ length: 40 }, (_, i) => ip(100 + i));
    const dns = fakeDns({ 'a.test': { A: many } });
    const result = await fetchWellKnownServer('a.test', options(dns, 1));
    expect(result).toMatchObject({ status: 'error', code: 'CONNECT_REFUSED' });
    const attempts = result.hops[0]?.attempts ?? [];
    expect(MAX_HOP_ADDRESSES).toBe(32);
    expect(attempts.map((a) => a.address)).toEqual(many.slice(0, MAX_HOP_ADDRESSES));
  });

  it('reports the last connection failure when no address answers', async () => {
    const dns = fakeDns({ 'a.test': { A: [ip(5)] } });
    const result = await fetchWellKnownServer('a.test', options(dns, 1));
    expect(result).toMatchObject({ status: 'error', code: 'CONNECT_REFUSED', httpStatus: null });
  });

  it('reports DNS failures', async () => {
    const result = await fetchWellKnownServer('nowhere.test', options(fakeDns({}), 1));
    expect(result).toMatchObject({ status: 'error', code: 'DNS_NXDOMAIN' });
    expect(result.detail).toContain('nowhere.test');
  });

  it('accepts a body of exactly maxBodyBytes and refuses one byte more', async () => {
    const doc = '{"m.server": "hs.example.org"}';
    const exact = doc.padEnd(51_200, ' ');
    const server = await startServer(ip(1), raw(200, exact));
    const dns = fakeDns({ 'a.test': { A: [ip(1)] } });
    expect(await fetchWellKnownServer('a.test', options(dns, server.port))).toMatchObject({ status: 'delegated' });
    const big = await startServer(ip(2), raw(200, `${exact} `));
    const result = await fetchWellKnownServer('b.test', options(fakeDns({ 'b.test': { A: [ip(2)] } }), big.port));
    expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_TOO_LARGE', httpStatus: 200 });
  });

  it('stops reading a chunked body without Content-Length past the limit', async () => {
    let written = 0;
    const server = await startServer(ip(1), (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"m.server": "hs.example.org", "pad": "');
      // Keep writing 16 KiB chunks for a long time: the client must stop on its own.
      const timer = setInterval(() => {
        if (res.destroyed || written > 8 * 1024 * 1024) {
          clearInterval(timer);
          res.destroy();
          return;
        }
        written += 16_384;
        res.write('x'.repeat(16_384));
      }, 1);
    });
    const result = await fetchWellKnownServer('a.test', options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port));
    expect(result).toMatchObject({ status: 'error', code: 'WELL_KNOWN_TOO_LARGE' });
    expect(written).toBeLessThan(8 * 1024 * 1024);
  });

  it('gives up on a server that never answers within timeoutMs', async () => {
    const server = await startServer(ip(1), () => undefined);
    const result = await fetchWellKnownServer(
      'a.test',
      options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port, { timeoutMs: 400 }),
    );
    expect(result).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(result.durationMs).toBeGreaterThanOrEqual(390);
    expect(result.durationMs).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on DNS that never answers within timeoutMs', async () => {
    const started = Date.now();
    const result = await fetchWellKnownServer(
      'a.test',
      options(fakeDns({ 'a.test': { hang: true } }), 1, { timeoutMs: 300 }),
    );
    expect(result).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails on a certificate for another name, before any request', async () => {
    const server = await startServer(ip(1), json({ 'm.server': 'hs.example.org' }), { cert: wrongNameCert });
    const result = await fetchWellKnownServer(
      'a.test',
      options(fakeDns({ 'a.test': { A: [ip(1), ip(1)] } }), server.port),
    );
    expect(result).toMatchObject({ status: 'error', code: 'TLS_NAME_MISMATCH', httpStatus: null });
    expect(server.requests).toHaveLength(0);
    // A certificate failure is not a connection failure: the second address is not tried.
    expect(result.hops[0]?.attempts).toHaveLength(1);
  });

  it('fails on a certificate from an untrusted CA', async () => {
    const server = await startServer(ip(1), json({ 'm.server': 'hs.example.org' }));
    const result = await fetchWellKnownServer('a.test', {
      ...options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port),
      ca: [],
    });
    expect(result).toMatchObject({ status: 'error', code: 'TLS_UNTRUSTED' });
    expect(server.requests).toHaveLength(0);
  });

  it('rejects with the reason when the caller aborts', async () => {
    const server = await startServer(ip(1), () => undefined);
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 100);
    await expect(
      fetchWellKnownServer(
        'a.test',
        options(fakeDns({ 'a.test': { A: [ip(1)] } }), server.port, { signal: controller.signal }),
      ),
    ).rejects.toBe(reason);
  });

  it.each(['a.test:8448', 'https://a.test', 'user@a.test', 'a.test/x', '', 'fe80::1%eth0'])(
    'throws INVALID_ARGUMENT for the hostname %j',
    async (hostname) => {
      const attempt = fetchWellKnownServer(hostname, options(fakeDns({}), 443));
      await expect(attempt).rejects.toSatisfy((error: unknown) => isMatrixDelegationError(error, 'INVALID_ARGUMENT'));
    },
  );
});
