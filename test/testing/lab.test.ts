// startLab end to end: DNS answers, default and chosen certificates, port roles, parallel labs, ::1, clean shutdown.

import { promises as dnsPromises } from 'node:dns';
import { Agent, request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer, connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import {
  createCertificateAuthority,
  startLab,
  type Lab,
  type LabHostSpec,
  type LabOptions,
} from '../../src/testing/index.js';

const HAS_IPV6_LOOPBACK = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.family === 'IPv6' && i.address === '::1');

interface Target {
  readonly address: string;
  readonly port: number;
}

type TlsOutcome =
  | { readonly ok: true; readonly status: number; readonly body: string; readonly peer: PeerCertificate }
  | { readonly ok: false; readonly code: string };

/** One HTTPS GET on a fresh connection; `servername` undefined sends no SNI (the IP is then verified). */
function get(
  target: Target,
  options: { servername?: string; host?: string; path?: string; ca?: string; rejectUnauthorized?: boolean } = {},
): Promise<TlsOutcome> {
  return new Promise<TlsOutcome>((resolve) => {
    const req = request(
      {
        host: target.address,
        port: target.port,
        path: options.path ?? '/',
        agent: false,
        ...(options.servername === undefined ? {} : { servername: options.servername }),
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        headers: options.host === undefined ? {} : { host: options.host },
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, body, peer }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? error.message }));
    req.end();
  });
}

function hostTarget(lab: Lab, key: string): Target {
  const host = lab.hosts[key];
  if (host === undefined) throw new Error(`no host ${key}`);
  return host;
}

function altNames(outcome: TlsOutcome): string[] {
  if (!outcome.ok) throw new Error(`request failed: ${outcome.code}`);
  return (outcome.peer.subjectaltname ?? '').split(', ').sort();
}

/** Whether a plain net server can listen on `port` at a loopback address outside the lab's random range. */
async function canBind(
  port: number,
  address = `127.251.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`,
): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, address, () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ok;
}

async function expectInvalid(options: LabOptions, message: RegExp): Promise<void> {
  const error: unknown = await startLab(options).then(
    async (lab) => {
      await lab.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
  expect((error as Error).message).toMatch(message);
}

describe('a lab with DNS and several hosts', () => {
  let lab: Lab;
  let https443Bindable: boolean;

  beforeAll(async () => {
    https443Bindable = await canBind(443);
    lab = await startLab({
      zones: {
        'example.com': { A: ['web'] },
        'www.example.com': { CNAME: 'example.com' },
        'matrix.example.com': { A: ['synapse'] },
        'fed.example.org': { A: ['fed'] },
        'literal.example.com': { A: ['127.0.0.1'] },
        'wrong.example.com': { A: ['wrong'] },
        'plain.example.com': { A: ['plain'] },
        '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8448, target: 'matrix.example.com' }] },
      },
      hosts: {
        web: { routes: { '/boom': () => Promise.reject(new Error('handler exploded')) } },
        synapse: {
          routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'lab', version: '1' } } } },
        },
        fed: {
          port: 'federation',
          certificates: [{ dnsNames: ['a.example.org'], ipAddresses: [] }, { dnsNames: ['*.wild.example.org'] }],
        },
        literal: { address: '127.0.0.1', port: 'federation' },
        wrong: { certificates: [{ kind: 'wrong-name' }] },
        plain: { mode: 'http', port: 0 },
      },
    });
  });
  afterAll(() => lab?.close());

  it("answers zone names with the hosts' addresses from the lab DNS server", async () => {
    expect(lab.dns.server).toBe(`127.0.0.1:${lab.dns.port}`);
    const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([lab.dns.server]);
    expect(await resolver.resolve4('example.com')).toEqual([lab.address('web')]);
    expect(await resolver.resolve4('www.example.com')).toEqual([lab.address('web')]);
    expect(await resolver.resolve4('matrix.example.com')).toEqual([lab.address('synapse')]);
    expect(await resolver.resolve4('literal.example.com')).toEqual(['127.0.0.1']);
    expect(await resolver.resolveSrv('_matrix-fed._tcp.example.com')).toEqual([
      { priority: 0, weight: 0, port: 8448, name: 'matrix.example.com' },
    ]);
  });

  it('gives hosts without an address distinct random 127.a.b.c addresses', () => {
    const random = ['web', 'synapse', 'fed', 'wrong', 'plain'].map((key) => lab.address(key));
    expect(new Set(random).size).toBe(random.length);
    for (const address of random) {
      const [first, a, b, c] = address.split('.').map(Number) as [number, number, number, number];
      expect(first).toBe(127);
      expect(a).toBeGreaterThanOrEqual(16);
      expect(a).toBeLessThanOrEqual(250);
      expect(b).toBeLessThanOrEqual(255);
      expect(c).toBeGreaterThanOrEqual(1);
      expect(c).toBeLessThanOrEqual(254);
    }
    expect(lab.address('literal')).toBe('127.0.0.1');
    expect(lab.hosts.web?.address).toBe(lab.address('web'));
    expect(() => lab.address('nope')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as unknown as Error,
    );
  });

  it('puts the hosts of a role on one port: 443 when the process can bind it, else an ephemeral one', () => {
    for (const key of ['web', 'synapse', 'wrong']) expect(lab.hosts[key]?.port).toBe(lab.ports.https);
    for (const key of ['fed', 'literal']) expect(lab.hosts[key]?.port).toBe(lab.ports.federation);
    expect(lab.ports.https === 443).toBe(https443Bindable);
    expect(lab.ports.federation).not.toBe(lab.ports.https);
    // port 0: a port of its own
    expect(lab.hosts.plain?.port).toBeGreaterThan(0);
    expect(lab.hosts.plain?.port).not.toBe(lab.ports.https);
    expect(lab.hosts.web?.url).toBe(`https://${lab.address('web')}:${lab.ports.https}`);
    expect(lab.hosts.plain?.url).toBe(`http://${lab.address('plain')}:${lab.hosts.plain?.port}`);
  });

  it('hands out client options pointing at the lab', () => {
    expect(lab.caCertPem).toBe(lab.ca.certPem);
    expect(lab.caCertPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(lab.clientOptions()).toEqual({
      dnsServers: [`127.0.0.1:${lab.dns.port}`],
      wellKnownPort: lab.ports.https,
      defaultPort: lab.ports.federation,
      ca: [lab.caCertPem],
      allowNetworks: ['127.0.0.0/8', '::1/128'],
    });
  });

  it('echoes the SNI and Host header the client sent', async () => {
    const outcome = await get(hostTarget(lab, 'web'), {
      servername: 'www.example.com',
      host: 'www.example.com:1234',
      path: '/echo?x=1',
      ca: lab.caCertPem,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(JSON.parse(outcome.body)).toMatchObject({
      server: 'web',
      sni: 'www.example.com',
      host: 'www.example.com:1234',
      method: 'GET',
      path: '/echo?x=1',
      localAddress: lab.address('web'),
      localPort: lab.ports.https,
      remoteAddress: '127.0.0.1',
    });
    const noSni = await get(hostTarget(lab, 'web'), { ca: lab.caCertPem });
    // node leaves the default port out of the Host header
    const hostHeader = lab.ports.https === 443 ? lab.address('web') : `${lab.address('web')}:${lab.ports.https}`;
    expect(noSni.ok && JSON.parse(noSni.body)).toMatchObject({ sni: null, host: hostHeader });
  });

  it('issues default certificates for the zone names pointing at each host, and its IP', async () => {
    const web = hostTarget(lab, 'web');
    expect(altNames(await get(web, { servername: 'example.com', ca: lab.caCertPem }))).toEqual(
      ['DNS:example.com', 'DNS:www.example.com', `IP Address:${lab.address('web')}`].sort(),
    );
    // verified by name (through the CNAME too) and by IP
    expect((await get(web, { servername: 'www.example.com', ca: lab.caCertPem })).ok).toBe(true);
    expect((await get(web, { ca: lab.caCertPem })).ok).toBe(true);
    // names of other hosts are not in it; an untrusting client refuses it
    expect(await get(web, { servername: 'matrix.example.com', ca: lab.caCertPem })).toEqual({
      ok: false,
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect((await get(web, { servername: 'example.com' })).ok).toBe(false);
    // an IP literal in the zones counts too
    const literal = hostTarget(lab, 'literal');
    expect((await get(literal, { servername: 'literal.example.com', ca: lab.caCertPem })).ok).toBe(true);
    expect((await get(literal, { ca: lab.caCertPem })).ok).toBe(true);
    // a CNAME-free host has only its own name
    expect(
      altNames(await get(hostTarget(lab, 'synapse'), { servername: 'matrix.example.com', ca: lab.caCertPem })),
    ).toEqual(['DNS:matrix.example.com', `IP Address:${lab.address('synapse')}`].sort());
  });

  it('chooses among several certificates by SNI: exact, wildcard, then the first; the IP one without SNI', async () => {
    const fed = hostTarget(lab, 'fed');
    const exact = await get(fed, { servername: 'a.example.org', ca: lab.caCertPem });
    expect(altNames(exact)).toEqual(['DNS:a.example.org']);
    const wild = await get(fed, { servername: 'x.wild.example.org', ca: lab.caCertPem });
    expect(altNames(wild)).toEqual(['DNS:*.wild.example.org', `IP Address:${lab.address('fed')}`].sort());
    const other = await get(fed, { servername: 'other.example.org', ca: lab.caCertPem, rejectUnauthorized: false });
    expect(altNames(other)).toEqual(['DNS:a.example.org']);
    expect(await get(fed, { servername: 'other.example.org', ca: lab.caCertPem })).toEqual({
      ok: false,
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const noSni = await get(fed, { ca: lab.caCertPem });
    expect(altNames(noSni)).toEqual(['DNS:*.wild.example.org', `IP Address:${lab.address('fed')}`].sort());
  });

  it('serves a wrong-name certificate that fails verification', async () => {
    const wrong = hostTarget(lab, 'wrong');
    expect(await get(wrong, { servername: 'wrong.example.com', ca: lab.caCertPem })).toEqual({
      ok: false,
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(altNames(await get(wrong, { servername: 'wrong.example.com', rejectUnauthorized: false }))).toEqual([
      'DNS:wrong.invalid',
    ]);
  });

  it('serves plain HTTP in mode http', async () => {
    const plain = hostTarget(lab, 'plain');
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        { host: plain.address, port: plain.port, path: '/p', agent: false, headers: { host: 'plain.example.com' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ server: 'plain', sni: null, host: 'plain.example.com', path: '/p' });
  });

  it('answers 500 when a handler fails, keeps serving, and counts requests', async () => {
    const web = lab.hosts.web!;
    web.resetCounters();
    lab.hosts.synapse?.resetCounters();
    const failed = await get(web, { servername: 'example.com', path: '/boom', ca: lab.caCertPem });
    expect(failed.ok && failed.status).toBe(500);
    expect(failed.ok && JSON.parse(failed.body)).toEqual({
      error: expect.stringContaining('handler exploded') as unknown,
    });
    const after = await get(web, {
      servername: 'example.com',
      path: '/_matrix/federation/v1/version',
      ca: lab.caCertPem,
    });
    expect(after.ok && after.status).toBe(200);
    expect(web.requestCount).toBe(2);
    expect(web.requests.map((r) => [r.path, r.sni, r.server])).toEqual([
      ['/boom', 'example.com', 'web'],
      ['/_matrix/federation/v1/version', 'example.com', 'web'],
    ]);
    // routes are per host: synapse has the version route, web falls back to echo
    expect(after.ok && JSON.parse(after.body)).toMatchObject({ server: 'web' });
    expect(lab.hosts.synapse?.requestCount).toBe(0);
    web.resetCounters();
    expect(web.requestCount).toBe(0);
    expect(web.requests).toEqual([]);
  });
});

describe('start-up and shutdown', () => {
  const fiveHosts = (): LabOptions => ({
    zones: {
      'example.com': { A: ['web'] },
      'matrix.example.com': { A: ['synapse'] },
      'alias.example.com': { CNAME: 'matrix.example.com' },
      'srv.example.net': { A: ['srv'] },
      'bad.example.net': { A: ['bad'] },
    },
    hosts: {
      web: { routes: { 'GET /.well-known/matrix/server': { json: { 'm.server': 'matrix.example.com:443' } } } },
      synapse: {},
      srv: { port: 'federation' },
      bad: { certificates: [{ kind: 'expired' }] },
      silent: { mode: 'plain-tcp' },
    },
  });

  it('starts a DNS server and five hosts in well under two seconds, and closes them all', async () => {
    await createCertificateAuthority(); // load the X.509 library first: the guard is about the lab, not module loading
    const started = performance.now();
    const lab = await startLab(fiveHosts());
    const startMs = performance.now() - started;
    expect(startMs).toBeLessThan(2000);
    const synapse = hostTarget(lab, 'synapse');
    expect((await get(synapse, { servername: 'alias.example.com', ca: lab.caCertPem })).ok).toBe(true);
    expect(await get(hostTarget(lab, 'bad'), { servername: 'bad.example.net', ca: lab.caCertPem })).toEqual({
      ok: false,
      code: 'CERT_HAS_EXPIRED',
    });
    const resolver = new dnsPromises.Resolver({ timeout: 500, tries: 1 });
    resolver.setServers([lab.dns.server]);
    expect(await resolver.resolve4('srv.example.net')).toEqual([lab.address('srv')]);

    await lab.close();
    expect(await get(synapse, { servername: 'matrix.example.com', ca: lab.caCertPem })).toEqual({
      ok: false,
      code: 'ECONNREFUSED',
    });
    await expect(resolver.resolve4('srv.example.net')).rejects.toThrow();
  });

  it('runs two labs at once in one process without collisions', async () => {
    const [one, two] = await Promise.all([startLab(fiveHosts()), startLab(fiveHosts())]);
    try {
      const addresses = [one, two].flatMap((lab) => Object.values(lab.hosts).map((h) => h.address));
      expect(new Set(addresses).size).toBe(10);
      expect(one.dns.server).not.toBe(two.dns.server);
      const reply = await get(hostTarget(two, 'web'), {
        servername: 'example.com',
        path: '/.well-known/matrix/server',
        ca: two.caCertPem,
      });
      expect(reply.ok && JSON.parse(reply.body)).toEqual({ 'm.server': 'matrix.example.com:443' });
      expect(two.hosts.web?.requestCount).toBe(1);
      expect(one.hosts.web?.requestCount).toBe(0);
      // each lab has its own CA: the other lab's root does not verify it
      expect((await get(hostTarget(one, 'web'), { servername: 'example.com', ca: two.caCertPem })).ok).toBe(false);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('close() is idempotent and does not wait for keep-alive clients or silent connections', async () => {
    const lab = await startLab(fiveHosts());
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      // (wrapped in an object: resolving with a bare promise would wait for it)
      const { socketClosed } = await new Promise<{ socketClosed: Promise<void> }>((resolve, reject) => {
        const req = request(
          {
            host: lab.address('web'),
            port: lab.ports.https,
            servername: 'example.com',
            ca: lab.caCertPem,
            agent,
            path: '/',
          },
          (res) => {
            const socket = res.socket;
            res.resume();
            res.on('end', () =>
              resolve({ socketClosed: new Promise<void>((done) => socket.once('close', () => done())) }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
      const silent = hostTarget(lab, 'silent');
      const tcp = connect(silent.port, silent.address);
      tcp.on('error', () => {});
      await new Promise<void>((resolve) => tcp.once('connect', () => resolve()));
      const tcpClosed = new Promise<void>((resolve) => tcp.once('close', () => resolve()));

      // the connection is idle in the agent's pool, open: close() must end it rather than wait
      expect(lab.hosts.web?.connectionCount).toBe(1);
      const started = performance.now();
      const first = lab.close();
      const second = lab.close();
      expect(second).toBe(first);
      await first;
      await Promise.all([socketClosed, tcpClosed]);
      expect(performance.now() - started).toBeLessThan(1000);
      await lab.close();
    } finally {
      agent.destroy();
      await lab.close();
    }
  });

  it('lets a plain-tcp host accept and never answer', async () => {
    const lab = await startLab({ hosts: { silent: { mode: 'plain-tcp' } } });
    try {
      const silent = lab.hosts.silent!;
      const outcome = get(silent, { servername: 'x.example', ca: lab.caCertPem });
      const early = await Promise.race([
        outcome,
        new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 200)),
      ]);
      expect(early).toBe('pending');
      expect(silent.connectionCount).toBe(1);
      await lab.close();
      expect(await outcome).toMatchObject({ ok: false });
    } finally {
      await lab.close();
    }
  });

  it('closes what it bound when start-up fails', async () => {
    const address = `127.252.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    expect(await canBind(port, address)).toBe(true);
    const error: unknown = await startLab({
      hosts: { fixed: { address, port }, unnamed: { certificates: [{ dnsNames: [], ipAddresses: [] }] } },
    }).then(
      (lab) => lab.close().then(() => null),
      (e: unknown) => e,
    );
    // the CA refuses a certificate without any name; by then `fixed` was listening
    expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(await canBind(port, address)).toBe(true);
  });

  it('puts the DNS server where asked', async () => {
    const address = `127.252.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    const lab = await startLab({ dns: { address }, zones: { 'example.com': { TXT: ['hello'] } } });
    try {
      expect(lab.dns.server).toBe(`${address}:${lab.dns.port}`);
      expect(lab.clientOptions().dnsServers).toEqual([lab.dns.server]);
      const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([lab.dns.server]);
      expect(await resolver.resolveTxt('example.com')).toEqual([['hello']]);
    } finally {
      await lab.close();
    }
  });

  it('still reports role ports when no host uses them', async () => {
    const lab = await startLab({ zones: { 'example.com': { A: ['127.0.0.1'] } } });
    try {
      expect(lab.ports.https).toBeGreaterThan(0);
      expect(lab.ports.federation).toBeGreaterThan(0);
      expect(lab.hosts).toEqual({});
    } finally {
      await lab.close();
    }
  });
});

describe.skipIf(!HAS_IPV6_LOOPBACK)('::1 hosts (skipped when this machine has no IPv6 loopback address)', () => {
  const v6Lab = (): LabOptions => ({
    zones: { 'v6.example.com': { AAAA: ['v6'], A: ['v4'] } },
    hosts: { v6: { address: '::1' }, v4: {} },
  });

  it('serves on ::1 with a certificate for the AAAA names and the IPv6 address', async () => {
    const lab = await startLab(v6Lab());
    try {
      expect(lab.address('v6')).toBe('::1');
      expect(lab.hosts.v6?.url).toBe(`https://[::1]:${lab.ports.https}`);
      const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 1 });
      resolver.setServers([lab.dns.server]);
      expect(await resolver.resolve6('v6.example.com')).toEqual(['::1']);
      const bySni = await get(hostTarget(lab, 'v6'), { servername: 'v6.example.com', ca: lab.caCertPem });
      expect(bySni.ok && JSON.parse(bySni.body)).toMatchObject({
        server: 'v6',
        localAddress: '::1',
        remoteAddress: '::1',
      });
      expect(altNames(bySni)).toEqual(['DNS:v6.example.com', 'IP Address:0:0:0:0:0:0:0:1'].sort());
      expect((await get(hostTarget(lab, 'v6'), { ca: lab.caCertPem })).ok).toBe(true);
    } finally {
      await lab.close();
    }
  });

  it('gives two labs sharing ::1 different role ports', async () => {
    const [one, two] = await Promise.all([startLab(v6Lab()), startLab(v6Lab())]);
    try {
      expect(one.ports.https).not.toBe(two.ports.https);
      for (const lab of [one, two]) {
        expect(lab.hosts.v4?.port).toBe(lab.ports.https);
        const reply = await get(hostTarget(lab, 'v6'), { servername: 'v6.example.com', ca: lab.caCertPem });
        expect(reply.ok).toBe(true);
        expect(lab.hosts.v6?.requestCount).toBe(1);
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe('invalid options', () => {
  const host = (spec: LabHostSpec = {}): Record<string, LabHostSpec> => ({ web: spec });

  it('refuses zone entries naming unknown hosts', async () => {
    await expectInvalid(
      { zones: { 'example.com': { A: ['nope'] } }, hosts: host() },
      /"nope".*neither an IP address nor a host key/,
    );
  });

  it('refuses an AAAA naming an IPv4 host, and an A naming the ::1 host', async () => {
    await expectInvalid(
      { zones: { 'example.com': { AAAA: ['web'] } }, hosts: host() },
      /::1 is the only IPv6 loopback address/,
    );
    await expectInvalid({ zones: { 'example.com': { A: ['web'] } }, hosts: host({ address: '::1' }) }, /IPv6/);
  });

  it('never binds a non-loopback address', async () => {
    await expectInvalid({ hosts: host({ address: '10.0.0.1' }) }, /not a loopback address/);
    await expectInvalid({ hosts: host({ address: '::2' }) }, /not a loopback address/);
    await expectInvalid({ hosts: host({ address: '0.0.0.0' }) }, /not a loopback address/);
    await expectInvalid({ hosts: host({ address: 'localhost' }) }, /not a loopback address/);
    await expectInvalid({ dns: { address: '192.0.2.1' } }, /dns\.address/);
  });

  it('refuses bad ports, modes and clashing hosts', async () => {
    for (const port of [70000, -1, 1.5, Number.NaN]) await expectInvalid({ hosts: host({ port }) }, /port must be/);
    await expectInvalid({ hosts: host({ port: 'http' as unknown as 'https' }) }, /port must be/);
    await expectInvalid({ dns: { port: 65536 } }, /dns\.port/);
    await expectInvalid({ hosts: host({ mode: 'ftp' as unknown as 'http' }) }, /mode must be/);
    await expectInvalid({ hosts: host({ mode: 'http', certificates: [{}] }) }, /certificates apply only/);
    await expectInvalid(
      { hosts: { a: { address: '127.0.0.1', port: 'federation' }, b: { address: '127.0.0.1', port: 'federation' } } },
      /hosts a and b both want 127\.0\.0\.1/,
    );
    await expectInvalid({ hosts: { '127.0.0.1': {} } }, /not an IP literal/);
    await expectInvalid({ hosts: host({ routes: { GET: {} } }) }, /METHOD \/path/);
  });
});
