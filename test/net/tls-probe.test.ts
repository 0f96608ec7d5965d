// Tests of probeTls against lab hosts with good and bad certificates, and against servers that misbehave at TCP level.

import { createHash, X509Certificate } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { trustProblem } from '../../src/checker/trust-problem.js';
import { parseSubjectAltName, probeTls, type TlsProbeResult } from '../../src/net/tls-probe.js';
import {
  createCertificateAuthority,
  startLab,
  type Lab,
  type LabCertificate,
  type LabCertificateAuthority,
} from '../../src/testing/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

let lab: Lab;
let authority: LabCertificateAuthority;
const certs: Record<string, LabCertificate> = {};
const extraServers: (TcpServer | TlsServer)[] = [];

beforeAll(async () => {
  // Our own CA for the named certificates, so the test knows every PEM; the lab's CA signs the IP host's default.
  authority = await createCertificateAuthority({ commonName: 'probe test' });
  for (const kind of [
    'valid',
    'wrong-name',
    'expired',
    'not-yet-valid',
    'self-signed',
    'missing-intermediate',
  ] as const) {
    certs[kind] = await authority.issue({ dnsNames: [`${kind}.probe.test`], kind });
  }
  lab = await startLab({
    hosts: {
      // Host keys are the kinds, so `<key>.probe.test` is the name each certificate carries.
      valid: { certificates: [certs['valid']!] },
      'wrong-name': { certificates: [certs['wrong-name']!] },
      expired: { certificates: [certs['expired']!] },
      'not-yet-valid': { certificates: [certs['not-yet-valid']!] },
      'self-signed': { certificates: [certs['self-signed']!] },
      'missing-intermediate': { certificates: [certs['missing-intermediate']!] },
      // No zone names point here: the default certificate carries only the host's IP address.
      iponly: {},
      stall: { mode: 'plain-tcp' },
    },
  });
});

afterAll(async () => {
  await lab?.close();
  await Promise.all(extraServers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Probe a lab host by key, trusting our CA and the lab's. */
function probe(key: string, overrides: Partial<Parameters<typeof probeTls>[0]> = {}): Promise<TlsProbeResult> {
  const host = lab.hosts[key]!;
  return probeTls({
    ip: host.address,
    port: host.port,
    sni: `${key}.probe.test`,
    tlsServerName: `${key}.probe.test`,
    ca: [authority.certPem, lab.caCertPem],
    timeoutMs: 3_000,
    ...overrides,
  });
}

function ok(result: TlsProbeResult): Extract<TlsProbeResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a handshake, got ${result.error.code}: ${result.error.message}`);
  return result;
}

/** Fingerprints computed from the PEM, independently of the socket. */
function fingerprints(pem: string): { base64: string; hex: string } {
  const digest = createHash('sha256').update(new X509Certificate(pem).raw).digest();
  return {
    base64: digest.toString('base64').replace(/=+$/, ''),
    hex: digest.toString('hex').toUpperCase().match(/../g)!.join(':'),
  };
}

function cn(pem: string): string {
  return /CN=([^\n]+)/.exec(new X509Certificate(pem).subject)![1]!;
}

async function listen(server: TcpServer | TlsServer): Promise<number> {
  extraServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

describe('probeTls: certificates', () => {
  it('describes a valid chain: protocol, cipher, leaf then intermediate (sent) then root (trust store), trusted, name matching', async () => {
    const leaf = certs['valid']!;
    const now = leaf.notAfter.getTime() - 10.5 * DAY_MS;
    const r = ok(await probe('valid', { now: () => now }));
    expect(r.protocol).toBe('TLSv1.3');
    expect(r.cipher?.version).toBe('TLSv1.3');
    expect(r.cipher?.standardName).toMatch(/^TLS_/);
    expect(r.alpnProtocol).toBe('http/1.1');
    expect(r).toMatchObject({ trusted: true, trustError: null, nameMatches: true, nameError: null, expiresInDays: 10 });

    expect(r.chain.map((c) => c.source)).toEqual(['peer', 'peer', 'trust-store']);
    const [c0, c1, c2] = r.chain;
    expect(c0).toMatchObject({
      subjectCommonName: 'valid.probe.test',
      issuerCommonName: cn(authority.intermediatePem),
      sha256Fingerprint: fingerprints(leaf.certPem).base64,
      sha256Hex: fingerprints(leaf.certPem).hex,
      dnsNames: ['valid.probe.test'],
      ipAddresses: [],
      validFrom: leaf.notBefore.toISOString(),
      validTo: leaf.notAfter.toISOString(),
      selfSigned: false,
      isCa: false,
    });
    expect(c0!.sha256Fingerprint).toHaveLength(43); // 32 bytes, unpadded base64
    expect(c1).toMatchObject({
      subjectCommonName: cn(authority.intermediatePem),
      sha256Fingerprint: fingerprints(authority.intermediatePem).base64,
      isCa: true,
      selfSigned: false,
    });
    expect(c2).toMatchObject({
      subjectCommonName: cn(authority.certPem),
      issuerCommonName: cn(authority.certPem),
      selfSigned: true,
      isCa: true,
    });
  });

  it('reports a certificate for another name as trusted but not matching', async () => {
    const r = ok(await probe('wrong-name'));
    expect(r).toMatchObject({ trusted: true, nameMatches: false, nameError: { code: 'TLS_NAME_MISMATCH' } });
    expect(r.nameError?.message).toContain('wrong-name.probe.test');
    expect(r.chain[0]?.dnsNames).toEqual(['wrong.invalid']);
  });

  it.each([
    ['expired', 'TLS_EXPIRED'],
    ['not-yet-valid', 'TLS_NOT_YET_VALID'],
    ['self-signed', 'TLS_SELF_SIGNED'],
    ['missing-intermediate', 'TLS_INCOMPLETE_CHAIN'],
  ])('reports the %s certificate as untrusted with %s, and still describes it', async (key, code) => {
    const r = ok(await probe(key));
    expect(r.trusted).toBe(false);
    expect(r.trustError?.code).toBe(code);
    // The name is right in all of these: trust and name are judged separately.
    expect(r.nameMatches).toBe(true);
    expect(r.chain[0]).toMatchObject({
      dnsNames: [`${key}.probe.test`],
      sha256Fingerprint: fingerprints(certs[key]!.certPem).base64,
      source: 'peer',
    });
  });

  it.each([
    ['expired', 'CERT_HAS_EXPIRED', 'the certificate has expired'],
    [
      'self-signed',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      "the certificate is self-signed; use one from a public CA (e.g. Let's Encrypt)",
    ],
  ])(
    "states the %s chain in TLS terms (OpenSSL %s); the report's words with the fix are the checker's",
    async (key, verifyError, words) => {
      const r = ok(await probe(key));
      expect(r.trustError?.verifyError).toBe(verifyError);
      expect(r.trustError?.message).toContain(`(${verifyError})`);
      expect(r.trustError?.message).not.toMatch(/Let's Encrypt|fullchain|server clock/);
      expect(trustProblem(r.trustError!)).toEqual({ code: r.trustError?.code, message: `${words} (${verifyError})` });
    },
  );

  it('describes a self-signed leaf as such, and a lone leaf without its intermediate', async () => {
    const self = ok(await probe('self-signed'));
    expect(self.chain).toHaveLength(1);
    expect(self.chain[0]).toMatchObject({
      selfSigned: true,
      subjectCommonName: 'self-signed.probe.test',
      issuerCommonName: 'self-signed.probe.test',
    });
    const lone = ok(await probe('missing-intermediate'));
    expect(lone.chain.map((c) => c.subjectCommonName)).toEqual(['missing-intermediate.probe.test']);
    expect(lone.chain[0]?.selfSigned).toBe(false);
  });

  it('gives a negative expiresInDays for an expired leaf', async () => {
    const leaf = certs['expired']!;
    const r = ok(await probe('expired', { now: () => leaf.notAfter.getTime() + 3.5 * DAY_MS }));
    expect(r.expiresInDays).toBe(-4);
  });

  it('reports a chain from an unknown CA as untrusted (TLS_UNTRUSTED)', async () => {
    const r = ok(await probe('valid', { ca: [lab.caCertPem] }));
    expect(r).toMatchObject({ trusted: false, trustError: { code: 'TLS_UNTRUSTED' }, nameMatches: true });
    // Nothing came from the trust store: both certificates are the ones the server sent.
    expect(r.chain.map((c) => c.source)).toEqual(['peer', 'peer']);
  });

  it('checks an IP address against the IP SANs when no SNI is sent', async () => {
    const ip = lab.address('iponly');
    const r = ok(await probe('iponly', { sni: null, tlsServerName: ip }));
    expect(r).toMatchObject({ trusted: true, nameMatches: true, sni: null });
    expect(r.chain[0]?.ipAddresses).toEqual([ip]);
    expect(r.chain[0]?.dnsNames).toEqual([]);
    const other = ok(
      await probe('iponly', { sni: null, tlsServerName: '127.0.0.1' === ip ? '127.0.0.2' : '127.0.0.1' }),
    );
    expect(other).toMatchObject({ nameMatches: false, nameError: { code: 'TLS_NAME_MISMATCH' } });
  });

  it('sends the SNI given, and none for null', async () => {
    const cert = certs['valid']!;
    const names: string[] = [];
    let connections = 0;
    const server = createTlsServer({
      key: cert.keyPem,
      cert: cert.fullChainPem,
      // Called only when the client sends an SNI.
      SNICallback: (name, callback) => {
        names.push(name);
        callback(null, undefined);
      },
    });
    server.on('connection', () => (connections += 1));
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    ok(
      await probeTls({
        ip: '127.0.0.1',
        port,
        sni: 'valid.probe.test',
        tlsServerName: 'valid.probe.test',
        ca: [authority.certPem],
      }),
    );
    ok(await probeTls({ ip: '127.0.0.1', port, sni: null, tlsServerName: '127.0.0.1', ca: [authority.certPem] }));
    expect(connections).toBe(2);
    expect(names).toEqual(['valid.probe.test']);
  });
});

describe('probeTls: connection failures are results', () => {
  it('times out within timeoutMs on a server that accepts TCP and never speaks TLS', async () => {
    const started = Date.now();
    const r = await probe('stall', { timeoutMs: 300 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    extraServers.splice(extraServers.indexOf(server), 1);
    const r = await probeTls({ ip: '127.0.0.1', port, sni: 'x.test', tlsServerName: 'x.test', timeoutMs: 2_000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECT_REFUSED' } });
  });

  it('reports a connection reset during the handshake', async () => {
    const server = createTcpServer((socket) => socket.resetAndDestroy());
    const port = await listen(server);
    const r = await probeTls({ ip: '127.0.0.1', port, sni: 'x.test', tlsServerName: 'x.test', timeoutMs: 2_000 });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONNECTION_RESET' } });
  });

  it('never contacts an address the policy denies', async () => {
    const host = lab.hosts['valid']!;
    const before = host.connectionCount;
    const r = await probe('valid', { policy: createAddressPolicy() });
    expect(r).toMatchObject({ ok: false, error: { code: 'ADDRESS_DENIED' } });
    expect(host.connectionCount).toBe(before);
    const allowed = await probe('valid', { policy: createAddressPolicy({ allowNetworks: [`${host.address}/32`] }) });
    expect(allowed.ok).toBe(true);
  });

  it('rejects with the reason when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = probe('stall', { timeoutMs: 5_000, signal: controller.signal });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('throws INVALID_ARGUMENT for unusable options', () => {
    const bad = [
      { ip: 'example.org', port: 443, sni: null, tlsServerName: 'example.org' },
      { ip: '127.0.0.1', port: 0, sni: null, tlsServerName: '127.0.0.1' },
      { ip: '127.0.0.1', port: 443, sni: '127.0.0.1', tlsServerName: '127.0.0.1' },
      { ip: '127.0.0.1', port: 443, sni: null, tlsServerName: '127.0.0.1', timeoutMs: 0 },
    ];
    for (const options of bad) {
      let caught: unknown;
      try {
        void probeTls(options);
      } catch (error) {
        caught = error;
      }
      expect(isMatrixDelegationError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('parseSubjectAltName', () => {
  it('splits DNS names and IP addresses, compressing IPv6 and reading quoted values', () => {
    expect(
      parseSubjectAltName(
        'DNS:a.example, DNS:*.b.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, email:x@y.z',
      ),
    ).toEqual({
      dnsNames: ['a.example', '*.b.example'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    expect(parseSubjectAltName('DNS:"weird, name", DNS:c.example')).toEqual({
      dnsNames: ['weird, name', 'c.example'],
      ipAddresses: [],
    });
    expect(parseSubjectAltName(undefined)).toEqual({ dnsNames: [], ipAddresses: [] });
  });
});
