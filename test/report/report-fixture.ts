// A check report built by hand (no network): two addresses, one working and one with an expired certificate, a hint.

import { NO_PROBES, type AddressReport, type CheckReport, type Hint } from '../../src/check-report/index.js';
import type { ResolvedTarget } from '../../src/resolver/types.js';
import type { WellKnownFacts } from '../../src/well-known/types.js';

/** The hint the fixture carries: its fix line must reach the text output. */
export const FIXTURE_HINT: Hint = {
  id: 'tls-certificate-expired',
  severity: 'error',
  area: 'federation',
  title: 'The certificate of 192.0.2.20:8448 has expired',
  detail: 'It expired on 2025-01-01; homeservers refuse to connect.',
  fix: 'Renew the certificate (certbot renew) and reload the web server.',
};

/** A second, milder hint in another area, to check grouping and order. */
export const FIXTURE_CLIENT_HINT: Hint = {
  id: 'client-cors-missing',
  severity: 'warning',
  area: 'client',
  title: 'The client well-known lacks CORS headers',
  detail: 'Element Web cannot read it.',
  fix: 'Add "Access-Control-Allow-Origin: *" to /.well-known/matrix/client.',
};

function target(ip: string): ResolvedTarget {
  return {
    step: '3.3',
    ip,
    port: 8448,
    hostHeader: 'matrix.example.org',
    tlsServerName: 'matrix.example.org',
    sni: 'matrix.example.org',
    addressOf: 'backend.example.org',
    srv: { name: '_matrix-fed._tcp.matrix.example.org', priority: 10, weight: 5, target: 'backend.example.org' },
  };
}

const certificate = {
  subjectCommonName: 'matrix.example.org',
  issuerCommonName: 'Example CA',
  sha256Fingerprint: 'q1w2e3',
  dnsNames: ['matrix.example.org'],
  ipAddresses: [],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  selfSigned: false,
};

const goodAddress: AddressReport = {
  target: target('192.0.2.10'),
  address: '192.0.2.10:8448',
  family: 4,
  connectionError: null,
  tls: {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_128_GCM_SHA256',
    chain: [certificate],
    trusted: true,
    trustError: null,
    nameMatches: true,
    nameError: null,
    expiresInDays: 90,
    durationMs: 12.345,
  },
  version: {
    ok: true,
    httpStatus: 200,
    name: 'Synapse',
    version: '1.140.0',
    contentType: 'application/json',
    error: null,
    durationMs: 3.2,
  },
  keys: {
    ok: true,
    httpStatus: 200,
    matchingServerName: true,
    futureValidUntilTs: true,
    hasEd25519Key: true,
    allEd25519ChecksOk: true,
    ed25519Checks: { 'ed25519:abc': { ValidEd25519: true, MatchingSignature: true } },
    verifyKeys: { 'ed25519:abc': 'AAAA' },
    serverName: 'example.org',
    validUntilTs: 1_900_000_000_000,
    raw: { server_name: 'example.org', unsigned: undefined },
    problems: [],
    durationMs: 4.9,
  },
  ok: true,
};

const expiredAddress: AddressReport = {
  ...goodAddress,
  target: target('2001:db8::20'),
  address: '[2001:db8::20]:8448',
  family: 6,
  tls: {
    ...goodAddress.tls!,
    chain: [{ ...certificate, validTo: '2025-01-01T00:00:00.000Z' }],
    trusted: false,
    trustError: { code: 'TLS_EXPIRED', message: 'the certificate expired on 2025-01-01' },
    expiresInDays: -30,
  },
  ok: false,
};

/** The fixture: the tester verdict is false (one address fails), the native view says it is reachable. */
export function fixtureReport(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    serverName: 'example.org',
    checkedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 321,
    federationOk: false,
    reachable: true,
    summary: 'Federation works, but 1 of 2 addresses fail: servers that reach those addresses cannot federate.',
    resolution: {
      serverName: 'example.org',
      parsed: { host: 'example.org', kind: 'dns' },
      wellKnown: {
        status: 'delegated',
        mServer: 'matrix.example.org',
        serverName: { host: 'matrix.example.org', kind: 'dns' },
        detail: 'delegates to matrix.example.org',
        code: null,
      },
      targets: [goodAddress.target, expiredAddress.target],
      trace: [
        { step: '1', status: 'skipped', reason: 'example.org is not an IP literal', startMs: 0, durationMs: 0 },
        {
          step: '3',
          status: 'taken',
          reason: 'delegates to matrix.example.org',
          startMs: 0.1,
          durationMs: 5,
          query: 'https://example.org/.well-known/matrix/server',
          // Open-shaped data: bytes and undefined must not leak into the JSON.
          data: {
            body: Buffer.from('{"m.server"}'),
            nothing: undefined,
            list: [1, undefined, Number.NaN],
          } as unknown as WellKnownFacts,
        },
      ],
      error: null,
    },
    wellKnownByAddress: [
      {
        ip: '192.0.2.1',
        family: 4,
        status: 'delegated',
        mServer: 'matrix.example.org',
        code: null,
        detail: 'delegates',
      },
      {
        ip: '2001:db8::1',
        family: 6,
        status: 'error',
        mServer: null,
        code: 'CONNECT_REFUSED',
        detail: 'connection refused on port 443',
      },
    ],
    addresses: [goodAddress, expiredAddress],
    version: { name: 'Synapse', version: '1.140.0', error: null },
    client: null,
    support: null,
    probes: {
      ...NO_PROBES,
      srv: [
        { host: 'example.org', service: '_matrix._tcp', name: '_matrix._tcp.example.org', records: [], error: null },
      ],
    },
    hints: [FIXTURE_CLIENT_HINT, FIXTURE_HINT],
    ...overrides,
  };
}
