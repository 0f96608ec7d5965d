// HTTPS listeners and reload(): certificate swap without dropping a keep-alive client, refused reloads change nothing.

import { X509Certificate } from 'node:crypto';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeConfig, TlsConfig } from '../../src/config/index.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificate, LabCertificateAuthority } from '../../src/testing/index.js';
import { captureLogger, send, testConfig } from './http-helpers.js';

let ca: LabCertificateAuthority;
let certA: LabCertificate;
let certB: LabCertificate;

function tlsOf(cert: LabCertificate): TlsConfig {
  return {
    certificatePath: '/test/cert.pem',
    privateKeyPath: '/test/key.pem',
    certificatePem: cert.fullChainPem,
    privateKeyPem: cert.keyPem,
  };
}

function fingerprint(cert: LabCertificate): string {
  return new X509Certificate(cert.certPem).fingerprint256;
}

/** A config with one HTTPS listener on 127.0.0.1 (ephemeral port) and the given certificate and delegation target. */
function httpsConfig(cert: LabCertificate, target: string): ServeConfig {
  const base = testConfig(`server_name: example.com\ndelegation_target: ${target}\n`, [
    { port: 0, bindAddresses: ['127.0.0.1'], tls: true },
  ]);
  return { ...base, tls: tlsOf(cert) };
}

beforeAll(async () => {
  ca = await createCertificateAuthority();
  [certA, certB] = await Promise.all([
    ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], commonName: 'certificate A' }),
    ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], commonName: 'certificate B' }),
  ]);
});

describe('HTTPS', () => {
  let server: RunningServer;
  let log: ReturnType<typeof captureLogger>;

  beforeAll(async () => {
    log = captureLogger('info');
    server = await startServer(httpsConfig(certA, 'a.example.com:443'), { logger: log.logger });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('serves the documents over TLS with the configured certificate', async () => {
    expect(server.urls[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await send(`${server.urls[0]!}.well-known/matrix/server`, { ca: ca.certPem });
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"m.server":"a.example.com:443"}');
    expect(r.peerFingerprint).toBe(fingerprint(certA));
  });

  it('reload() swaps the certificate for new connections while a keep-alive client keeps working', async () => {
    const url = `${server.urls[0]!}.well-known/matrix/server`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.certPem });
    try {
      const before = await send(url, { agent });
      expect(before.peerFingerprint).toBe(fingerprint(certA));

      const result = server.reload(httpsConfig(certB, 'b.example.com:443'));
      expect(result.warnings).toEqual([]);

      // Same connection: still answered (with the new document), still the old certificate.
      const sameConnection = await send(url, { agent });
      expect(sameConnection.reusedSocket).toBe(true);
      expect(sameConnection.status).toBe(200);
      expect(sameConnection.body).toBe('{"m.server":"b.example.com:443"}');
      expect(sameConnection.peerFingerprint).toBe(fingerprint(certA));

      // A new connection gets the new certificate.
      const fresh = await send(url, { ca: ca.certPem });
      expect(fresh.reusedSocket).toBe(false);
      expect(fresh.peerFingerprint).toBe(fingerprint(certB));
      expect(log.lines.some((l) => l.msg === 'configuration reloaded' && l.certificateReloaded === true)).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('a reload whose certificate cannot be used throws INVALID_CONFIG and changes nothing', async () => {
    const current = server.config;
    const broken: ServeConfig = {
      ...httpsConfig(certB, 'broken.example.com:443'),
      tls: { ...tlsOf(certB), privateKeyPem: certA.keyPem },
    };
    expect(() => server.reload(broken)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(server.config).toBe(current);
    const r = await send(`${server.urls[0]!}.well-known/matrix/server`, { ca: ca.certPem });
    expect(r.body).toBe('{"m.server":"b.example.com:443"}');
    expect(r.peerFingerprint).toBe(fingerprint(certB));
    const metrics = await server.metrics.registry.getSingleMetricAsString('matrix_delegation_config_reloads_total');
    expect(metrics).toContain('matrix_delegation_config_reloads_total{result="failure"} 1');
    expect(metrics).toContain('matrix_delegation_config_reloads_total{result="success"} 1');
  });

  it('a reload that changes the listeners applies the rest and warns that they need a restart', async () => {
    const moved: ServeConfig = {
      ...httpsConfig(certB, 'c.example.com:443'),
      listeners: [{ port: 1, bindAddresses: ['127.0.0.1'], tls: true }],
    };
    const result = server.reload(moved);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/restart/);
    const r = await send(`${server.urls[0]!}.well-known/matrix/server`, { ca: ca.certPem });
    expect(r.body).toBe('{"m.server":"c.example.com:443"}');
  });
});
