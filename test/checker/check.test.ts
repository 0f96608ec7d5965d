// End-to-end checks over the lab: a healthy homeserver, a bad certificate, a dead address, wrong keys.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { toFederationTesterReport } from '../../src/report/federation-tester.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';

let lab: Lab;
const seed = generateEd25519Seed();

/** Routes of a working homeserver whose keys are signed for `serverName`. */
function homeserver(serverName: string): NonNullable<LabHostSpec['routes']> {
  return {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': () => ({
      json: buildSignedKeyResponse({ serverName, keyId: 'ed25519:a_key', seed, validUntilTs: Date.now() + 86_400_000 }),
    }),
  };
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'good.example.org': { A: ['good'] },
      'badcert.example.org': { A: ['badcert'] },
      'halfdead.example.org': { A: ['good', 'dead'] },
      'wrongkeys.example.org': { A: ['wrongkeys'] },
    },
    hosts: {
      good: {
        port: 'federation',
        certificates: [{ dnsNames: ['good.example.org', 'halfdead.example.org'] }],
        routes: {
          ...homeserver('good.example.org'),
          'GET /_matrix/key/v2/server': (req) => ({
            json: buildSignedKeyResponse({
              serverName: (req.host ?? '').replace(/:\d+$/, ''),
              keyId: 'ed25519:a_key',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
        },
      },
      badcert: { port: 'federation', certificates: [{ kind: 'expired' }], routes: homeserver('badcert.example.org') },
      dead: { port: 'federation', mode: 'plain-tcp' },
      // Keys signed for the delegated-looking name, not the server name.
      wrongkeys: { port: 'federation', routes: homeserver('matrix.wrongkeys.example.org') },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

function options() {
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return { ...lab.clientOptions(), allowNetworks: hostNets, operationTimeoutMs: 1500 };
}

describe('checkServer', () => {
  it('a healthy server: federation OK, keys valid, tester JSON says so', async () => {
    const report = await checkServer('good.example.org', options());
    expect(report.federationOk).toBe(true);
    expect(report.addresses).toHaveLength(1);
    const a = report.addresses[0];
    expect(a?.tls).toMatchObject({ trusted: true, nameMatches: true });
    expect(a?.version).toMatchObject({ ok: true, name: 'Synapse', version: '1.140.0' });
    expect(a?.keys).toMatchObject({
      ok: true,
      matchingServerName: true,
      futureValidUntilTs: true,
      hasEd25519Key: true,
    });
    const tester = toFederationTesterReport(report);
    const addr = `${lab.address('good')}:${lab.ports.federation}`;
    expect(tester.FederationOK).toBe(true);
    expect(Object.keys(tester.ConnectionReports)).toEqual([addr]);
    expect(tester.ConnectionReports[addr]?.Checks).toMatchObject({
      AllChecksOK: true,
      MatchingServerName: true,
      FutureValidUntilTS: true,
      HasEd25519Key: true,
      AllEd25519ChecksOK: true,
      ValidCertificates: true,
      Ed25519Checks: { 'ed25519:a_key': { ValidEd25519: true, MatchingSignature: true } },
    });
    expect(tester.Version).toEqual({ name: 'Synapse', version: '1.140.0' });
    expect(tester.DNSResult).toMatchObject({ SRVSkipped: false, SRVRecords: null, Addrs: [addr] });
  });

  it('an expired certificate: keys still read, ValidCertificates false, verdict BAD', async () => {
    const report = await checkServer('badcert.example.org', options());
    expect(report.federationOk).toBe(false);
    const a = report.addresses[0];
    expect(a?.tls?.trusted).toBe(false);
    expect(a?.tls?.trustError?.code).toBe('TLS_EXPIRED');
    expect(a?.keys?.ok).toBe(true);
    const checks = Object.values(toFederationTesterReport(report).ConnectionReports)[0]?.Checks;
    expect(checks).toMatchObject({ ValidCertificates: false, AllChecksOK: false, MatchingServerName: true });
  });

  it('one dead address of two: the tester verdict is BAD, the native report says which works', async () => {
    const started = Date.now();
    const report = await checkServer('halfdead.example.org', options());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.federationOk).toBe(false);
    expect(report.reachable).toBe(true);
    const dead = report.addresses.find((a) => a.target.ip === lab.address('dead'));
    const good = report.addresses.find((a) => a.target.ip === lab.address('good'));
    expect(dead?.connectionError?.code).toBe('TIMEOUT');
    expect(good?.ok).toBe(true);
    expect(report.summary).toMatch(/1 of 2/);
    const tester = toFederationTesterReport(report);
    expect(Object.keys(tester.ConnectionErrors)).toEqual([`${lab.address('dead')}:${lab.ports.federation}`]);
  });

  it('keys for another server name: MatchingServerName false', async () => {
    const report = await checkServer('wrongkeys.example.org', options());
    expect(report.federationOk).toBe(false);
    expect(report.addresses[0]?.keys).toMatchObject({
      ok: false,
      matchingServerName: false,
      serverName: 'matrix.wrongkeys.example.org',
    });
  });

  it('an invalid server name: no address, tester Error set', async () => {
    const report = await checkServer('bad_name.example.org', options());
    expect(report.federationOk).toBe(false);
    expect(toFederationTesterReport(report).Error).toBe("Invalid server name 'bad_name.example.org'");
  });
});
