// Tests of the lab CA: node's own TLS client must accept the valid leaves and reject each bad kind for its reason.

import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatrixDelegationError } from '../../src/errors.js';
import { createCertificateAuthority } from '../../src/testing/certificates.js';
import type { LabCertificateAuthority } from '../../src/testing/certificates.js';
import type { LabCertificate } from '../../src/testing/types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Slack for the time between the test reading the clock and the CA reading it, plus X.509's whole seconds. */
const CLOCK_SLACK_MS = 10_000;

/** What a TLS client saw: the handshake finished (authorized or not, and why), or the socket failed. */
type Outcome =
  | { readonly handshake: true; readonly authorized: boolean; readonly authorizationError: string | null }
  | { readonly handshake: false; readonly code: string | undefined };

const servers: tls.Server[] = [];

/** Serve `cert` on `address`, port 0, with node:tls: what a lab host does. */
async function serve(cert: LabCertificate, address = '127.0.0.1'): Promise<number> {
  const server = tls.createServer({ key: cert.keyPem, cert: cert.fullChainPem }, (socket) => socket.end());
  // A rejecting client resets the connection; that is expected, not a server failure.
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Connect as a client that does not abort on verification failures, so that a failure is observed as
 * `authorized: false` with node's own reason (proving the handshake itself worked and the certificate is
 * what was refused). Node runs `checkServerIdentity` in that mode too and reports its code the same way.
 */
function probe(options: tls.ConnectionOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = tls.connect({ ...options, rejectUnauthorized: false }, () => {
      const error = socket.authorizationError as unknown as Error | string | null;
      resolve({
        handshake: true,
        authorized: socket.authorized,
        authorizationError: error === null ? null : typeof error === 'string' ? error : String(error),
      });
      socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ handshake: false, code: error.code }));
  });
}

/** Connect with node's defaults (rejectUnauthorized): resolves with the error code, or 'connected'. */
function strictConnect(options: tls.ConnectionOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect(options, () => {
      resolve('connected');
      socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

const refused = (code: string): Outcome => ({ handshake: true, authorized: false, authorizationError: code });
const trusted: Outcome = { handshake: true, authorized: true, authorizationError: null };

function sanEntries(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ').filter((entry) => entry !== '');
}

let ca: LabCertificateAuthority;

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'certificates test' });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('createCertificateAuthority', () => {
  it('makes a self-signed root CA and an intermediate CA signed by it', () => {
    const root = new X509Certificate(ca.certPem);
    const intermediate = new X509Certificate(ca.intermediatePem);
    expect(root.ca).toBe(true);
    expect(intermediate.ca).toBe(true);
    expect(root.checkIssued(root)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(root.subject).toBe('CN=certificates test root CA');
    expect(intermediate.subject).toBe('CN=certificates test intermediate CA');
    expect(root.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const now = Date.now();
    expect(new Date(root.validFrom).getTime()).toBeLessThanOrEqual(now - DAY_MS);
    expect(new Date(root.validTo).getTime()).toBeGreaterThanOrEqual(now + DAY_MS);
  });

  it('makes new keys for every CA, so two labs never trust each other', async () => {
    const other = await createCertificateAuthority();
    const spki = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
    expect(spki(other.certPem).equals(spki(ca.certPem))).toBe(false);
    expect(spki(other.intermediatePem).equals(spki(ca.intermediatePem))).toBe(false);
    expect(new X509Certificate(other.certPem).subject).toBe('CN=matrix-delegation lab root CA');

    const leaf = await other.issue({ dnsNames: ['other.example'] });
    const port = await serve(leaf);
    expect(await probe({ host: '127.0.0.1', port, servername: 'other.example', ca: [ca.certPem] })).toEqual(
      refused('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'),
    );
    expect(await probe({ host: '127.0.0.1', port, servername: 'other.example', ca: [other.certPem] })).toEqual(trusted);
  });
});

describe('issue: certificate contents', () => {
  it('issues a leaf with the names, key and validity asked for, signed by the intermediate', async () => {
    const before = Date.now();
    const leaf = await ca.issue({
      dnsNames: ['matrix.example.org', '*.example.net'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    const cert = new X509Certificate(leaf.certPem);

    expect(sanEntries(cert)).toEqual([
      'DNS:matrix.example.org',
      'DNS:*.example.net',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
    ]);
    expect(cert.subject).toBe('CN=matrix.example.org');
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    expect(cert.checkIssued(new X509Certificate(ca.intermediatePem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.intermediatePem).publicKey)).toBe(true);

    const notBefore = new Date(cert.validFrom).getTime();
    const notAfter = new Date(cert.validTo).getTime();
    expect(Math.abs(notBefore - (before - HOUR_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect(Math.abs(notAfter - (before + DAY_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect(leaf.notBefore.getTime()).toBe(notBefore);
    expect(leaf.notAfter.getTime()).toBe(notAfter);

    expect(leaf.keyPem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
    expect(createPublicKey(leaf.keyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    expect(leaf.chainPem).toBe(ca.intermediatePem);
    expect(leaf.fullChainPem).toBe(leaf.certPem + ca.intermediatePem);
    expect(leaf.dnsNames).toEqual(['matrix.example.org', '*.example.net']);
    expect(leaf.ipAddresses).toEqual(['127.0.0.1', '::1']);
  });

  it('uses an explicit common name, and the first IP when there is no DNS name', async () => {
    const named = new X509Certificate((await ca.issue({ dnsNames: ['a.example'], commonName: 'Lab host' })).certPem);
    expect(named.subject).toBe('CN=Lab host');
    expect(sanEntries(named)).toEqual(['DNS:a.example']);
    const ipOnly = new X509Certificate((await ca.issue({ ipAddresses: ['127.0.0.5', '::ffff:127.0.0.1'] })).certPem);
    expect(ipOnly.subject).toBe('CN=127.0.0.5');
    expect(sanEntries(ipOnly)).toEqual(['IP Address:127.0.0.5', 'IP Address:0:0:0:0:0:FFFF:7F00:1']);
  });

  it('gives every certificate a fresh key and a random serial number', async () => {
    const [a, b] = await Promise.all([ca.issue({ dnsNames: ['x.example'] }), ca.issue({ dnsNames: ['x.example'] })]);
    const certA = new X509Certificate(a!.certPem);
    const certB = new X509Certificate(b!.certPem);
    expect(certA.serialNumber).not.toBe(certB.serialNumber);
    expect(certA.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(a!.keyPem).not.toBe(b!.keyPem);
  });

  it('backdates expired certificates and postdates not-yet-valid ones', async () => {
    const now = Date.now();
    const expired = await ca.issue({ dnsNames: ['old.example'], kind: 'expired' });
    const future = await ca.issue({ dnsNames: ['new.example'], kind: 'not-yet-valid' });
    const expiredCert = new X509Certificate(expired.certPem);
    const futureCert = new X509Certificate(future.certPem);
    expect(Math.abs(new Date(expiredCert.validFrom).getTime() - (now - 2 * DAY_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect(Math.abs(new Date(expiredCert.validTo).getTime() - (now - DAY_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect(Math.abs(new Date(futureCert.validFrom).getTime() - (now + DAY_MS))).toBeLessThan(CLOCK_SLACK_MS);
    expect(new Date(futureCert.validTo).getTime()).toBeGreaterThan(now + DAY_MS);
    expect(expired.chainPem).toBe(ca.intermediatePem);
    expect(future.chainPem).toBe(ca.intermediatePem);
  });

  it('self-signed: its own issuer, no chain', async () => {
    const leaf = await ca.issue({ dnsNames: ['self.example'], ipAddresses: ['127.0.0.1'], kind: 'self-signed' });
    const cert = new X509Certificate(leaf.certPem);
    // Its own issuer, signed by its own key (checkIssued(cert) would say false: the leaf lacks keyCertSign).
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.verify(new X509Certificate(ca.intermediatePem).publicKey)).toBe(false);
    expect(sanEntries(cert)).toEqual(['DNS:self.example', 'IP Address:127.0.0.1']);
    expect(leaf.chainPem).toBe('');
    expect(leaf.fullChainPem).toBe(leaf.certPem);
  });

  it('missing-intermediate: signed by the intermediate, but served alone', async () => {
    const leaf = await ca.issue({ dnsNames: ['alone.example'], kind: 'missing-intermediate' });
    expect(new X509Certificate(leaf.certPem).verify(new X509Certificate(ca.intermediatePem).publicKey)).toBe(true);
    expect(leaf.chainPem).toBe('');
    expect(leaf.fullChainPem).toBe(leaf.certPem);
  });

  it('wrong-name: carries wrong.invalid only, whatever was asked', async () => {
    const leaf = await ca.issue({ dnsNames: ['right.example'], ipAddresses: ['127.0.0.1'], kind: 'wrong-name' });
    const cert = new X509Certificate(leaf.certPem);
    expect(sanEntries(cert)).toEqual(['DNS:wrong.invalid']);
    expect(cert.subject).toBe('CN=wrong.invalid');
    expect(leaf.dnsNames).toEqual(['wrong.invalid']);
    expect(leaf.ipAddresses).toEqual([]);
  });

  it('refuses a leaf without names, and names a certificate cannot carry', async () => {
    const invalid = { name: 'MatrixDelegationError', code: 'INVALID_ARGUMENT' };
    await expect(ca.issue({})).rejects.toMatchObject(invalid);
    await expect(ca.issue({ ipAddresses: ['not-an-ip'] })).rejects.toMatchObject(invalid);
    await expect(ca.issue({ ipAddresses: ['fe80::1%lo'] })).rejects.toMatchObject(invalid);
    await expect(ca.issue({ dnsNames: ['bad name.example'] })).rejects.toBeInstanceOf(MatrixDelegationError);
    await expect(ca.issue({ dnsNames: ['bad name.example'] })).rejects.toMatchObject(invalid);
    await expect(ca.issue({ dnsNames: [''] })).rejects.toMatchObject(invalid);
  });
});

describe('issue: what node:tls makes of each kind', () => {
  it('valid: trusted for its DNS name through the served intermediate', async () => {
    const port = await serve(await ca.issue({ dnsNames: ['matrix.example.org'] }));
    const options = { host: '127.0.0.1', port, servername: 'matrix.example.org', ca: [ca.certPem] };
    expect(await probe(options)).toEqual(trusted);
    expect(await strictConnect(options)).toBe('connected');
    // Another name is not covered.
    expect(await probe({ ...options, servername: 'other.example.org' })).toEqual(
      refused('ERR_TLS_CERT_ALTNAME_INVALID'),
    );
  });

  it('valid: trusted for an IPv4 SAN when connecting to the literal without SNI', async () => {
    const port = await serve(await ca.issue({ ipAddresses: ['127.0.0.1'] }));
    expect(await probe({ host: '127.0.0.1', port, ca: [ca.certPem] })).toEqual(trusted);
  });

  it('valid: trusted for an IPv6 SAN (::1)', async () => {
    const port = await serve(await ca.issue({ dnsNames: ['v6.example'], ipAddresses: ['::1'] }), '::1');
    expect(await probe({ host: '::1', port, ca: [ca.certPem] })).toEqual(trusted);
  });

  it('issuer: an intermediate of that name, chained to the lab root and trusted', async () => {
    const leaf = await ca.issue({ dnsNames: ['named.example'], issuer: { commonName: 'Lab R11' } });
    expect(new X509Certificate(leaf.certPem).issuer).toBe('CN=Lab R11');
    expect(new X509Certificate(leaf.chainPem).subject).toBe('CN=Lab R11');
    const again = await ca.issue({ dnsNames: ['other.example'], issuer: { commonName: 'Lab R11' } });
    expect(again.chainPem).toBe(leaf.chainPem);
    const port = await serve(leaf);
    expect(await probe({ host: '127.0.0.1', port, servername: 'named.example', ca: [ca.certPem] })).toEqual(trusted);
  });

  it('issuer with rootCommonName: chained to a root of that name that nobody trusts', async () => {
    const leaf = await ca.issue({
      dnsNames: ['staging.example'],
      issuer: { commonName: '(STAGING) Artificial Apricot R3', rootCommonName: '(STAGING) Pretend Pear X1' },
    });
    const intermediate = new X509Certificate(leaf.chainPem);
    expect(new X509Certificate(leaf.certPem).issuer).toBe('CN=(STAGING) Artificial Apricot R3');
    expect(intermediate.issuer).toBe('CN=(STAGING) Pretend Pear X1');
    const port = await serve(leaf);
    const options = { host: '127.0.0.1', port, servername: 'staging.example', ca: [ca.certPem] };
    expect(await probe(options)).toEqual(refused('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'));
  });

  it('valid: not trusted without the lab root (the CA is throwaway)', async () => {
    const port = await serve(await ca.issue({ dnsNames: ['matrix.example.org'] }));
    const options = { host: '127.0.0.1', port, servername: 'matrix.example.org' };
    expect(await probe(options)).toEqual(refused('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'));
    expect(await strictConnect(options)).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it.each([
    ['wrong-name', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['expired', 'CERT_HAS_EXPIRED'],
    ['not-yet-valid', 'CERT_NOT_YET_VALID'],
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['missing-intermediate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ] as const)('%s: refused with %s', async (kind, code) => {
    const port = await serve(await ca.issue({ dnsNames: ['bad.example.org'], kind }));
    const options = { host: '127.0.0.1', port, servername: 'bad.example.org', ca: [ca.certPem] };
    expect(await probe(options)).toEqual(refused(code));
    expect(await strictConnect(options)).toBe(code);
  });
});
