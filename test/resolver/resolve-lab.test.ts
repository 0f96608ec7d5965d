// End-to-end resolution and federation requests over the lab: real DNS packets, real TLS, loopback servers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationFetch } from '../../src/client/federation-client.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;

/** Echo body of a lab host: what the server saw. */
interface Echo {
  server: string;
  sni: string | null;
  host: string | null;
  path: string;
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // 3.2: well-known -> matrix.example.com:<https port>
      'example.com': { A: ['web'] },
      'matrix.example.com': { A: ['synapse'], AAAA: ['v6'] },
      // 3.3: well-known -> delegated.example.com (no port) -> SRV -> backend.example.net
      'srv-delegated.example.com': { A: ['web'] },
      '_matrix-fed._tcp.delegated.example.com': {
        SRV: [{ priority: 0, weight: 0, port: 0, target: 'backend.example.net' }],
      },
      'delegated.example.com': { A: ['web'] },
      'backend.example.net': { A: ['srvhost'] },
      // 4: no well-known (web answers 404 for this name), SRV on the server name, two records: the first closed.
      'srv.example.org': { A: ['plain'] },
      '_matrix-fed._tcp.srv.example.org': {
        SRV: [
          { priority: 0, weight: 0, port: 1, target: 'closed.example.org' },
          { priority: 5, weight: 0, port: 0, target: 'open.example.org' },
        ],
      },
      'closed.example.org': { A: ['plain'] },
      'open.example.org': { CNAME: 'open-alias.example.org' },
      'open-alias.example.org': { A: ['srvhost'] },
      // 5: only the deprecated _matrix._tcp
      'legacy.example.org': { A: ['plain'] },
      '_matrix._tcp.legacy.example.org': { SRV: [{ priority: 0, weight: 0, port: 0, target: 'backend.example.net' }] },
      // 6: nothing: the host on the federation port
      'direct.example.org': { A: ['direct'] },
      // "." target
      'nosrv.example.org': { A: ['direct'] },
      '_matrix-fed._tcp.nosrv.example.org': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
      // punycode (bücher.example)
      'xn--bcher-kva.example': { A: ['direct'] },
      // deny-list: names pointing at loopback addresses not allowed in these tests
      'private.example.org': { A: ['127.0.0.1'] },
      'mapped.example.org': { AAAA: ['::ffff:127.0.0.1'] },
      'redirector.example.com': { A: ['web'] },
      'trap.example.com': { A: ['trap'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => {
            const host = (req.host ?? '').replace(/:\d+$/, '');
            if (host === 'example.com') return { json: { 'm.server': `matrix.example.com:${lab.ports.https}` } };
            if (host === 'srv-delegated.example.com') return { json: { 'm.server': 'delegated.example.com' } };
            if (host === 'redirector.example.com')
              return { status: 302, redirect: `https://trap.example.com:${lab.ports.https}/.well-known/matrix/server` };
            return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
          },
        },
        certificates: [
          { dnsNames: ['example.com', 'srv-delegated.example.com', 'delegated.example.com', 'redirector.example.com'] },
        ],
      },
      synapse: { certificates: [{ dnsNames: ['matrix.example.com'] }] },
      v6: { address: '::1', port: 'https', certificates: [{ dnsNames: ['matrix.example.com'] }] },
      // The SRV target's certificate names the delegated host / server name, never the target itself.
      srvhost: {
        port: 'federation',
        certificates: [{ dnsNames: ['delegated.example.com', 'srv.example.org', 'legacy.example.org'] }],
      },
      plain: { mode: 'http', port: 'https' },
      direct: {
        port: 'federation',
        certificates: [{ dnsNames: ['direct.example.org', 'xn--bcher-kva.example', 'nosrv.example.org'] }],
      },
      trap: { certificates: [{ dnsNames: ['trap.example.com'] }] },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

/** Lab options allowing the lab's own host addresses (not the whole of 127/8) so deny-list tests bite. */
function options(extraAllow: string[] = []) {
  const base = lab.clientOptions();
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return { ...base, allowNetworks: [...hostNets, ...extraAllow] };
}

/** SRV ports in the zones are 0 where the lab's federation port belongs: patch them in at run time. */
beforeAll(() => {
  const fed = lab.ports.federation;
  lab.dns.setName('_matrix-fed._tcp.delegated.example.com', {
    SRV: [{ priority: 0, weight: 0, port: fed, target: 'backend.example.net' }],
  });
  lab.dns.setName('_matrix-fed._tcp.srv.example.org', {
    SRV: [
      { priority: 0, weight: 0, port: 1, target: 'closed.example.org' },
      { priority: 5, weight: 0, port: fed, target: 'open.example.org' },
    ],
  });
  lab.dns.setName('_matrix._tcp.legacy.example.org', {
    SRV: [{ priority: 0, weight: 0, port: fed, target: 'backend.example.net' }],
  });
});

describe('resolution over real DNS and HTTPS', () => {
  it('3.2: well-known to host:port, IPv6 first, Host with the port, certificate for the delegated host', async () => {
    const r = await resolveServerName('example.com', options());
    expect(r.wellKnown).toMatchObject({ status: 'delegated', mServer: `matrix.example.com:${lab.ports.https}` });
    const hostHeader = `matrix.example.com:${lab.ports.https}`;
    expect(r.targets).toEqual([
      expect.objectContaining({
        step: '3.2',
        ip: '::1',
        port: lab.ports.https,
        hostHeader,
        tlsServerName: 'matrix.example.com',
        sni: 'matrix.example.com',
      }),
      expect.objectContaining({
        step: '3.2',
        ip: lab.address('synapse'),
        port: lab.ports.https,
        hostHeader,
        tlsServerName: 'matrix.example.com',
      }),
    ]);
  });

  it('3.3: the SRV target is dialled, but SNI, certificate and Host are the delegated host', async () => {
    const res = await federationFetch('srv-delegated.example.com', '/_matrix/federation/v1/version', options());
    expect(res.target).toMatchObject({ step: '3.3', ip: lab.address('srvhost'), port: lab.ports.federation });
    const echo = res.json() as Echo;
    expect(echo).toMatchObject({
      server: 'srvhost',
      sni: 'delegated.example.com',
      host: 'delegated.example.com',
      path: '/_matrix/federation/v1/version',
    });
  });

  it('4: SRV on the server name; a closed first target falls back to the next; CNAME of the SRV target followed', async () => {
    const res = await federationFetch('srv.example.org', '/echo', options());
    expect(res.resolution.wellKnown.status).toBe('error'); // `plain` speaks HTTP, not HTTPS, on the well-known port
    expect(res.attempts.map((a) => [a.target.port, a.error?.code ?? null])).toEqual([
      [1, 'CONNECT_REFUSED'],
      [lab.ports.federation, null],
    ]);
    expect(res.json()).toMatchObject({ server: 'srvhost', sni: 'srv.example.org', host: 'srv.example.org' });
  });

  it('5: the deprecated _matrix._tcp when _matrix-fed has no records', async () => {
    const r = await resolveServerName('legacy.example.org', options());
    expect(r.targets.map((t) => [t.step, t.ip, t.port, t.hostHeader])).toEqual([
      ['5', lab.address('srvhost'), lab.ports.federation, 'legacy.example.org'],
    ]);
    const srvQueries = lab.dns.queries
      .filter((q) => q.type === 'SRV' && q.name.endsWith('legacy.example.org'))
      .map((q) => q.name);
    expect(srvQueries.slice(0, 2)).toEqual(['_matrix-fed._tcp.legacy.example.org', '_matrix._tcp.legacy.example.org']);
  });

  it('6: no delegation and no SRV: the host on the federation port, Host without the port', async () => {
    const res = await federationFetch('direct.example.org', '/x', options());
    expect(res.target).toMatchObject({ step: '6', port: lab.ports.federation, hostHeader: 'direct.example.org' });
    expect(res.json()).toMatchObject({ server: 'direct', sni: 'direct.example.org', host: 'direct.example.org' });
  });

  it('1: an IP literal with a port: no SNI, certificate checked against the IP', async () => {
    const ip = lab.address('direct');
    const res = await federationFetch(`${ip}:${lab.ports.federation}`, '/x', options());
    expect(res.target).toMatchObject({ step: '1', ip, sni: null, tlsServerName: ip });
    expect(res.json()).toMatchObject({ server: 'direct', sni: null, host: `${ip}:${lab.ports.federation}` });
  });

  it('IPv6 literal: bracketed Host, connects over ::1', async () => {
    const res = await federationFetch(`[::1]:${lab.ports.https}`, '/x', options());
    expect(res.target).toMatchObject({ step: '1', ip: '::1', sni: null });
    expect(res.json()).toMatchObject({ server: 'v6', host: `[::1]:${lab.ports.https}` });
  });

  it('a single "." SRV target: unavailable, no fallback to the host', async () => {
    lab.hosts['direct']?.resetCounters();
    const r = await resolveServerName('nosrv.example.org', options());
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('SRV_UNAVAILABLE');
    expect(lab.hosts['direct']?.requestCount).toBe(0);
  });

  it('punycode server names resolve like any other', async () => {
    const res = await federationFetch('xn--bcher-kva.example', '/x', options());
    expect(res.json()).toMatchObject({ server: 'direct', sni: 'xn--bcher-kva.example', host: 'xn--bcher-kva.example' });
  });
});

describe('address policy', () => {
  it('a name resolving to 127.0.0.1 is refused without an allow-list entry, and nothing is contacted', async () => {
    const r = await resolveServerName('private.example.org', options());
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('ADDRESS_DENIED');
    expect(r.wellKnown.status).toBe('blocked');
  });

  it('::ffff:127.0.0.1 is denied like 127.0.0.1', async () => {
    const r = await resolveServerName('mapped.example.org', options());
    expect(r.targets).toEqual([]);
    expect(r.trace.flatMap((e) => (e.step === 'policy' ? [e.data.ip] : []))).toContain('::ffff:127.0.0.1');
  });

  it('a well-known redirect to a denied address is not followed', async () => {
    lab.hosts['trap']?.resetCounters();
    const trapNet = `${lab.address('trap')}/32`;
    const allow = options().allowNetworks.filter((n) => n !== trapNet);
    const r = await resolveServerName('redirector.example.com', { ...options(), allowNetworks: allow });
    expect(r.wellKnown.status).toBe('blocked');
    expect(lab.hosts['trap']?.requestCount).toBe(0);
  });

  it('the whole of 127.0.0.0/8 allowed: the same name now resolves', async () => {
    const r = await resolveServerName('private.example.org', options(['127.0.0.0/8']));
    expect(r.targets.map((t) => t.ip)).toEqual(['127.0.0.1']);
  });
});
