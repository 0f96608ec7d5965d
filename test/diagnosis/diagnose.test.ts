// Unit tests of the hint catalogue without the network: hand-built reports, the document mappings, the text helpers.

import { describe, expect, it } from 'vitest';
import {
  NO_PROBES,
  type AddressReport,
  type ClientDocumentProblemCode,
  type ClientDocumentReport,
  type SupportDocumentProblemCode,
  type SupportDocumentReport,
} from '../../src/check-report/index.js';
import { diagnose, HINT_CATALOGUE, HINT_IDS, type DiagnosisInput } from '../../src/diagnosis/index.js';
import { cleanServerName, nameCovers } from '../../src/diagnosis/text.js';
import { CLOUDFLARE_DATA, cloudflareRange } from '../../src/diagnosis/cloudflare.js';
import { defaultCertificateKind, isStagingCaName } from '../../src/diagnosis/rules/field-tls.js';
import { zoneAppendedTarget } from '../../src/diagnosis/rules/field-srv.js';
import { answersDiffer, browserRetryTrigger } from '../../src/checker/answer-headers.js';
import { otherHostForm } from '../../src/checker/address-retries.js';
import { formatMissingCors } from '../../src/checker/cors.js';
import { srvMistakeNames } from '../../src/checker/srv-mistakes.js';
import type { ResolvedTarget, TraceEntry } from '../../src/resolver/types.js';

const CHECKED_AT = '2026-03-01T12:00:00.000Z';

function target(overrides: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return {
    step: '3.2',
    ip: '192.0.2.10',
    port: 443,
    hostHeader: 'matrix.example.org:443',
    tlsServerName: 'matrix.example.org',
    sni: 'matrix.example.org',
    addressOf: 'matrix.example.org',
    srv: null,
    ...overrides,
  };
}

function workingAddress(overrides: Partial<AddressReport> = {}): AddressReport {
  return {
    target: target(),
    address: '192.0.2.10:443',
    family: 4,
    connectionError: null,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      chain: [
        {
          subjectCommonName: 'matrix.example.org',
          issuerCommonName: 'R11',
          sha256Fingerprint: 'x',
          dnsNames: ['matrix.example.org'],
          ipAddresses: [],
          validFrom: '2026-02-01T00:00:00.000Z',
          validTo: '2026-05-01T00:00:00.000Z',
          selfSigned: false,
        },
      ],
      trusted: true,
      trustError: null,
      nameMatches: true,
      nameError: null,
      expiresInDays: 60,
      durationMs: 10,
    },
    version: {
      ok: true,
      httpStatus: 200,
      name: 'Synapse',
      version: '1.120.0',
      contentType: 'application/json',
      error: null,
      durationMs: 5,
    },
    keys: {
      ok: true,
      httpStatus: 200,
      matchingServerName: true,
      futureValidUntilTs: true,
      hasEd25519Key: true,
      allEd25519ChecksOk: true,
      ed25519Checks: {},
      verifyKeys: {},
      serverName: 'example.org',
      validUntilTs: Date.parse(CHECKED_AT) + 86_400_000,
      raw: null,
      problems: [],
      durationMs: 5,
    },
    ok: true,
    ...overrides,
  };
}

/** The step-3 trace entry of a delegating well-known, with the given response headers. */
function wellKnownEntry(
  headers: { cacheControl?: string; expires?: string; contentType?: string } = {},
  hops?: { url: string; status: number }[],
): TraceEntry {
  return {
    step: '3',
    status: 'taken',
    reason: 'https://example.org/.well-known/matrix/server delegates to matrix.example.org:443',
    startMs: 0,
    durationMs: 30,
    query: 'https://example.org/.well-known/matrix/server',
    data: {
      httpStatus: 200,
      hops: (hops ?? [{ url: 'https://example.org/.well-known/matrix/server', status: 200 }]).map((h) => ({
        ...h,
        address: null,
        attempts: [],
        durationMs: 0,
      })),
      headers: {
        cacheControl: headers.cacheControl ?? null,
        expires: headers.expires ?? null,
        contentType: headers.contentType ?? 'application/json',
      },
      durationMs: 30,
    },
  };
}

/** A report of a working delegated server (example.org -> matrix.example.org:443); override what a test needs. */
function input(overrides: Partial<DiagnosisInput> = {}, trace: TraceEntry[] = [wellKnownEntry()]): DiagnosisInput {
  const address = workingAddress();
  return {
    serverName: 'example.org',
    checkedAt: CHECKED_AT,
    federationOk: true,
    reachable: true,
    summary: 'Federation works.',
    resolution: {
      serverName: 'example.org',
      parsed: { host: 'example.org', kind: 'dns' },
      wellKnown: {
        status: 'delegated',
        mServer: 'matrix.example.org:443',
        serverName: { host: 'matrix.example.org', kind: 'dns', port: 443 },
        detail: 'delegates',
        code: null,
      },
      targets: [address.target],
      trace,
      error: null,
    },
    wellKnownByAddress: [
      {
        ip: '192.0.2.1',
        family: 4,
        status: 'delegated',
        mServer: 'matrix.example.org:443',
        code: null,
        detail: 'delegates',
      },
    ],
    addresses: [address],
    version: { name: 'Synapse', version: '1.120.0', error: null },
    client: null,
    support: null,
    probes: NO_PROBES,
    ...overrides,
  };
}

function ids(i: DiagnosisInput): string[] {
  return diagnose(i).map((h) => h.id);
}

describe('diagnose over hand-built reports', () => {
  it('a working delegated server with sane headers gets no hint', () => {
    expect(diagnose(input())).toEqual([]);
  });

  it('sorts errors, then warnings, then infos, and fills severity, area and title from the catalogue', () => {
    const expired = workingAddress({
      ok: false,
      tls: {
        ...workingAddress().tls!,
        trusted: false,
        trustError: { code: 'TLS_EXPIRED', message: 'expired' },
        expiresInDays: -3,
      },
    });
    const hints = diagnose(
      input({ addresses: [expired] }, [wellKnownEntry({ cacheControl: 'no-store', contentType: 'text/plain' })]),
    );
    expect(hints.map((h) => [h.severity, h.id])).toEqual([
      ['error', 'tls-expired'],
      ['warning', 'well-known-no-cache'],
      ['info', 'well-known-content-type'],
    ]);
    expect(hints[0]).toMatchObject({ area: 'federation', title: HINT_CATALOGUE['tls-expired'].title });
  });

  it('Expires is read against the time of the check; max-age wins over Expires', () => {
    const in72h = new Date(Date.parse(CHECKED_AT) + 72 * 3600_000).toUTCString();
    const in12h = new Date(Date.parse(CHECKED_AT) + 12 * 3600_000).toUTCString();
    expect(ids(input({}, [wellKnownEntry({ expires: in72h })]))).toContain('well-known-cache-too-long');
    expect(ids(input({}, [wellKnownEntry({ expires: in12h })]))).toEqual([]);
    expect(ids(input({}, [wellKnownEntry({ expires: in72h, cacheControl: 'max-age=3600' })]))).toEqual([]);
    // An unparseable Expires means "already expired" (RFC 9111), which is "do not cache".
    expect(ids(input({}, [wellKnownEntry({ expires: 'soon' })]))).toContain('well-known-no-cache');
    expect(ids(input({}, [wellKnownEntry({ cacheControl: 'max-age=0' })]))).toContain('well-known-no-cache');
  });

  it('a redirect chain is a warning; a 307 in it makes it the 307/308 warning instead', () => {
    const hop = (status: number, path = '/.well-known/matrix/server') => ({
      url: `https://example.org${path}`,
      status,
    });
    expect(ids(input({}, [wellKnownEntry({}, [hop(302), hop(200, '/wk')])]))).toEqual(['well-known-redirect']);
    expect(ids(input({}, [wellKnownEntry({}, [hop(307), hop(200, '/wk')])]))).toEqual(['well-known-redirect-308']);
  });

  it('IPv6 failing while IPv4 works is one family hint, not also "address unreachable"', () => {
    const v6 = workingAddress({
      target: target({ ip: '2001:db8::1' }),
      address: '[2001:db8::1]:443',
      family: 6,
      connectionError: { code: 'CONNECT_TIMEOUT', message: 'timed out' },
      tls: null,
      version: null,
      keys: null,
      ok: false,
    });
    expect(ids(input({ addresses: [v6, workingAddress()] }))).toEqual(['ipv6-unreachable']);
    // The same failure with no working IPv4 is a plain unreachable address.
    expect(ids(input({ addresses: [v6] }))).toEqual(['address-unreachable']);
  });
});

/** A client report with one problem (the rest as a working document). */
function clientWith(
  code: string,
  severity: 'error' | 'warning' | 'info' = 'error',
  corsGet: string[] = [],
): ClientDocumentReport {
  return {
    status: 'SUCCESS',
    url: 'https://example.org/.well-known/matrix/client',
    httpStatus: 200,
    contentType: 'application/json',
    cacheControl: null,
    hasBom: false,
    htmlBody: false,
    cors: { get: corsGet, preflight: { status: 204, missing: [], error: null } },
    homeserver: null,
    identityServer: null,
    extras: [],
    problems: [{ code: code as ClientDocumentProblemCode, severity, message: `problem ${code}`, cause: null }],
    durationMs: 1,
  };
}

function supportWith(code: string): SupportDocumentReport {
  return {
    status: 'invalid',
    url: 'https://example.org/.well-known/matrix/support',
    httpStatus: 200,
    contentType: 'application/json',
    cors: [],
    contacts: [],
    supportPage: null,
    problems: [
      { code: code as SupportDocumentProblemCode, severity: 'error', message: `problem ${code}`, cause: null },
    ],
    durationMs: 1,
  };
}

describe('document problems become hints', () => {
  const CLIENT: readonly [string, string][] = [
    ['CLIENT_NOT_FOUND', 'client-well-known-missing'],
    ['CLIENT_FETCH_FAILED', 'client-fetch-failed'],
    ['CLIENT_HTTP_STATUS', 'client-http-status'],
    ['CLIENT_EMPTY_BODY', 'client-invalid-document'],
    ['CLIENT_INVALID_JSON', 'client-invalid-document'],
    ['CLIENT_HTML_BODY', 'client-html'],
    ['CLIENT_BOM', 'client-bom'],
    ['CLIENT_NOT_OBJECT', 'client-invalid-document'],
    ['CLIENT_MISSING_BASE_URL', 'client-base-url-missing'],
    ['CLIENT_INVALID_BASE_URL', 'client-base-url-invalid'],
    ['CLIENT_BASE_URL_NOT_HTTPS', 'client-base-url-invalid'],
    ['CLIENT_VERSIONS_FAILED', 'client-homeserver-unreachable'],
    ['CLIENT_VERSIONS_INVALID', 'client-homeserver-unreachable'],
    ['CLIENT_IDENTITY_MISSING_BASE_URL', 'client-identity-server-broken'],
    ['CLIENT_IDENTITY_INVALID_BASE_URL', 'client-identity-server-broken'],
    ['CLIENT_IDENTITY_FAILED', 'client-identity-server-broken'],
    ['CLIENT_CONTENT_TYPE', 'client-content-type'],
    ['CLIENT_PREFLIGHT_FAILED', 'client-preflight-failed'],
    ['CLIENT_PREFLIGHT_CORS_MISSING', 'client-preflight-failed'],
    ['CLIENT_SOMETHING_NEW', 'client-problem'],
  ];
  it.each(CLIENT)('%s -> %s', (code, id) => {
    const hints = diagnose(input({ client: clientWith(code) }));
    expect(hints.map((h) => h.id)).toEqual([id]);
    expect(hints[0]?.detail).toBe(`problem ${code}.`);
    expect(hints[0]?.area).toBe('client');
  });

  it('missing CORS: an error without Allow-Origin, a warning when only methods or headers are missing', () => {
    const blocking = clientWith('CLIENT_CORS_MISSING', 'error', [
      'Access-Control-Allow-Origin: *',
      'Access-Control-Allow-Methods: PUT',
    ]);
    const partial = clientWith('CLIENT_CORS_MISSING', 'warning', ['Access-Control-Allow-Methods: PUT']);
    expect(diagnose(input({ client: blocking })).map((h) => [h.id, h.severity])).toEqual([
      ['client-cors-missing', 'error'],
    ]);
    expect(diagnose(input({ client: partial })).map((h) => [h.id, h.severity])).toEqual([
      ['client-cors-incomplete', 'warning'],
    ]);
  });

  const SUPPORT: readonly [string, string][] = [
    ['SUPPORT_FETCH_FAILED', 'support-fetch-failed'],
    ['SUPPORT_HTTP_STATUS', 'support-http-status'],
    ['SUPPORT_EMPTY_BODY', 'support-invalid-document'],
    ['SUPPORT_INVALID_JSON', 'support-invalid-document'],
    ['SUPPORT_HTML_BODY', 'support-html'],
    ['SUPPORT_BOM', 'support-bom'],
    ['SUPPORT_NOT_OBJECT', 'support-invalid-document'],
    ['SUPPORT_CONTACTS_NOT_ARRAY', 'support-invalid-document'],
    ['SUPPORT_CONTACT_NOT_OBJECT', 'support-contact-invalid'],
    ['SUPPORT_CONTACT_MISSING_ROLE', 'support-contact-invalid'],
    ['SUPPORT_CONTACT_INVALID_ROLE', 'support-contact-invalid'],
    ['SUPPORT_CONTACT_ROLE_NOT_NAMESPACED', 'support-role-not-namespaced'],
    ['SUPPORT_CONTACT_NO_ADDRESS', 'support-contact-invalid'],
    ['SUPPORT_CONTACT_INVALID_MATRIX_ID', 'support-contact-invalid'],
    ['SUPPORT_CONTACT_INVALID_EMAIL', 'support-contact-invalid'],
    ['SUPPORT_EMPTY', 'support-invalid-document'],
    ['SUPPORT_PAGE_INVALID', 'support-page-invalid'],
    ['SUPPORT_PAGE_NOT_HTTPS', 'support-page-not-https'],
    ['SUPPORT_CONTENT_TYPE', 'support-content-type'],
    ['SUPPORT_CORS_MISSING', 'support-cors-missing'],
    ['SUPPORT_SOMETHING_NEW', 'support-problem'],
  ];
  it.each(SUPPORT)('%s -> %s', (code, id) => {
    expect(ids(input({ support: supportWith(code) }))).toEqual([id]);
  });

  it('several problems of one kind make one hint with every message', () => {
    const report = supportWith('SUPPORT_CONTACT_NO_ADDRESS');
    const two = {
      ...report,
      problems: [
        ...report.problems,
        { ...report.problems[0]!, code: 'SUPPORT_CONTACT_MISSING_ROLE' as const, message: 'contacts[1]: no role' },
      ],
    };
    const hints = diagnose(input({ support: two }));
    expect(hints).toHaveLength(1);
    expect(hints[0]?.detail).toBe('problem SUPPORT_CONTACT_NO_ADDRESS; contacts[1]: no role.');
  });
});

describe('the catalogue', () => {
  it('every hint has a severity, an area, a title and a rule description', () => {
    expect(HINT_IDS.length).toBeGreaterThan(50);
    for (const id of HINT_IDS) {
      const def = HINT_CATALOGUE[id];
      expect(['error', 'warning', 'info'], id).toContain(def.severity);
      expect(['federation', 'client', 'support'], id).toContain(def.area);
      expect(def.title.length, id).toBeGreaterThan(10);
      expect(def.when.length, id).toBeGreaterThan(10);
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe('text helpers', () => {
  it('cleanServerName finds schemes, paths, spaces and trailing dots', () => {
    expect(cleanServerName('https://matrix.example.org/')).toEqual({
      faults: ['a scheme ("https://")', 'a path ("/")'],
      cleaned: 'matrix.example.org',
      hadHttpsScheme: true,
    });
    expect(cleanServerName(' matrix.example.org:8448 ')).toMatchObject({
      faults: ['white space'],
      cleaned: 'matrix.example.org:8448',
      hadHttpsScheme: false,
    });
    expect(cleanServerName('matrix.example.org.:443')).toMatchObject({
      faults: ['a trailing dot'],
      cleaned: 'matrix.example.org:443',
    });
    expect(cleanServerName('under_score.example')).toMatchObject({ faults: [], cleaned: null });
  });

  it('nameCovers matches exact names and one-label wildcards only', () => {
    expect(nameCovers('matrix.example.org', 'MATRIX.example.org')).toBe(true);
    expect(nameCovers('*.example.org', 'matrix.example.org')).toBe(true);
    expect(nameCovers('*.example.org', 'a.b.example.org')).toBe(false);
    expect(nameCovers('*.example.org', 'example.org')).toBe(false);
  });
});

describe('field situations over hand-built reports', () => {
  /** An address of matrix.example.org on 8448 that never answers (a proxied record, or a firewall). */
  function deadOn8448(ip: string, port = 8448): AddressReport {
    const t = target({ step: '3.2', ip, port, hostHeader: `matrix.example.org:${port}` });
    return {
      target: t,
      address: `${ip}:${port}`,
      family: 4,
      connectionError: { code: 'CONNECT_TIMEOUT', message: `${ip}:${port}: the connection timed out` },
      tls: null,
      version: null,
      keys: null,
      ok: false,
    };
  }
  const dead = (a: AddressReport): Partial<DiagnosisInput> => ({
    addresses: [a],
    federationOk: false,
    reachable: false,
    resolution: { ...input().resolution, targets: [a.target] },
  });

  it("an address in Cloudflare's published ranges failing on 8448 is the CDN hint, with the range and its date", () => {
    const hints = diagnose(input(dead(deadOn8448('104.21.90.241'))));
    const cdn = hints.find((h) => h.id === 'cdn-port-not-proxied');
    expect(cdn?.detail).toContain('104.16.0.0/13');
    expect(cdn?.detail).toContain(CLOUDFLARE_DATA.asOf);
    expect(cdn?.fix).toContain('DNS only');
    expect(hints.map((h) => h.id)).not.toContain('address-unreachable');
  });

  it('the same failure outside the ranges is a firewall problem; on a port Cloudflare proxies (8443) it is not the CDN', () => {
    expect(ids(input(dead(deadOn8448('192.0.2.10'))))).toEqual(['address-unreachable']);
    expect(ids(input(dead(deadOn8448('104.21.90.241', 8443))))).not.toContain('cdn-port-not-proxied');
  });

  it("cloudflareRange: Cloudflare's published IPv4 and IPv6 ranges, nothing else", () => {
    expect(cloudflareRange('104.21.90.241')).toBe('104.16.0.0/13');
    expect(cloudflareRange('2606:4700:3036::ac43:a2cf')).toBe('2606:4700::/32');
    expect(cloudflareRange('192.0.2.1')).toBeNull();
    expect(cloudflareRange('not an address')).toBeNull();
    expect(CLOUDFLARE_DATA.httpsPorts).not.toContain(8448);
  });

  it("default certificates: Traefik, ingress-nginx, a machine name; an admin's own self-signed certificate is not one", () => {
    const cert = (subject: string, issuer: string, dnsNames: string[], selfSigned = true) => ({
      subjectCommonName: subject,
      issuerCommonName: issuer,
      sha256Fingerprint: 'x',
      dnsNames,
      ipAddresses: [],
      validFrom: '',
      validTo: '',
      selfSigned,
    });
    expect(
      defaultCertificateKind(cert('TRAEFIK DEFAULT CERT', 'TRAEFIK DEFAULT CERT', ['a1.b2.traefik.default'])),
    ).toBe('traefik');
    const fake = 'Kubernetes Ingress Controller Fake Certificate';
    expect(defaultCertificateKind(cert(fake, fake, ['ingress.local']))).toBe('ingressNginx');
    expect(defaultCertificateKind(cert('vps-1234', 'vps-1234', ['vps-1234']))).toBe('machine');
    expect(defaultCertificateKind(cert('web.localdomain', 'web.localdomain', ['web.localdomain']))).toBe('machine');
    expect(defaultCertificateKind(cert('matrix.example.org', 'matrix.example.org', ['matrix.example.org']))).toBeNull();
    expect(defaultCertificateKind(cert('vps-1234', 'Some CA', ['vps-1234'], false))).toBeNull();
  });

  it("Let's Encrypt's staging names, current and old; production names are not", () => {
    expect(isStagingCaName('(STAGING) Artificial Apricot R3')).toBe(true);
    expect(isStagingCaName('(STAGING) Pretend Pear X1')).toBe(true);
    expect(isStagingCaName('Fake LE Intermediate X1')).toBe(true);
    expect(isStagingCaName('R11')).toBe(false);
    expect(isStagingCaName('ISRG Root X1')).toBe(false);
  });

  it('a target with its zone appended twice, and names that only look alike', () => {
    expect(zoneAppendedTarget('matrix.example.com.example.com')).toBe('matrix.example.com');
    expect(zoneAppendedTarget('matrix.example.com.example.com.')).toBe('matrix.example.com');
    expect(zoneAppendedTarget('example.com.example.com')).toBe('example.com');
    expect(zoneAppendedTarget('matrix.example.com')).toBeNull();
    expect(zoneAppendedTarget('a.b.b')).toBeNull();
  });

  it('the misnamed SRV names asked: the zone twice, UDP, misspelt services; at most six', () => {
    const names = srvMistakeNames('example.com').map((m) => m.name);
    expect(names).toEqual([
      '_matrix-fed._tcp.example.com.example.com',
      '_matrix._tcp.example.com.example.com',
      '_matrix-fed._udp.example.com',
      '_matrix_fed._tcp.example.com',
      '_matrix-federation._tcp.example.com',
    ]);
    const sub = srvMistakeNames('chat.example.com').map((m) => m.name);
    expect(sub).toContain('_matrix-fed._tcp.chat.example.com.example.com');
    expect(sub.length).toBeLessThanOrEqual(6);
  });

  it('retries as a browser only for 401/403/429/503 or HTML, and a retry counts only when the answer changed', () => {
    for (const status of [401, 403, 429, 503]) expect(browserRetryTrigger(status, 'application/json')).toBe('status');
    expect(browserRetryTrigger(200, 'text/html; charset=utf-8')).toBe('html');
    for (const status of [200, 400, 404, 500, 502, null])
      expect(browserRetryTrigger(status, 'application/json')).toBeNull();
    const html = 'text/html';
    expect(answersDiffer({ status: 403, contentType: html }, { status: 200, contentType: 'application/json' })).toBe(
      true,
    );
    expect(answersDiffer({ status: 403, contentType: html }, { status: 403, contentType: html })).toBe(false);
    expect(answersDiffer({ status: 200, contentType: html }, { status: 200, contentType: 'application/json' })).toBe(
      true,
    );
    expect(answersDiffer({ status: 403, contentType: html }, { status: null, contentType: null })).toBe(false);
  });

  it('the other Host form: without the port when it has one, with it otherwise', () => {
    expect(otherHostForm('matrix.example.org:443', 443)).toBe('matrix.example.org');
    expect(otherHostForm('matrix.example.org', 8448)).toBe('matrix.example.org:8448');
    expect(otherHostForm('[2001:db8::1]:8448', 8448)).toBe('[2001:db8::1]');
  });

  it('missing CORS headers are named once each, with their values', () => {
    expect(
      formatMissingCors([
        'Access-Control-Allow-Origin: *',
        'Access-Control-Allow-Methods: POST',
        'Access-Control-Allow-Methods: PUT',
        'Access-Control-Allow-Headers: Authorization',
      ]),
    ).toBe(
      'Access-Control-Allow-Origin: *; Access-Control-Allow-Methods: POST, PUT; Access-Control-Allow-Headers: Authorization',
    );
  });

  it('Cache-Control: no-cache alone gives no warning (it means "revalidate"); no-store does', () => {
    expect(ids(input({}, [wellKnownEntry({ cacheControl: 'no-cache' })]))).not.toContain('well-known-no-cache');
    expect(ids(input({}, [wellKnownEntry({ cacheControl: 'no-cache, no-store' })]))).toContain('well-known-no-cache');
  });
});

describe('fallback hints', () => {
  /** Every problem code of the client document check: the compiler refuses this list when a code is added. */
  const CLIENT_CODES = {
    CLIENT_NOT_FOUND: true,
    CLIENT_FETCH_FAILED: true,
    CLIENT_HTTP_STATUS: true,
    CLIENT_EMPTY_BODY: true,
    CLIENT_INVALID_JSON: true,
    CLIENT_HTML_BODY: true,
    CLIENT_BOM: true,
    CLIENT_NOT_OBJECT: true,
    CLIENT_MISSING_BASE_URL: true,
    CLIENT_INVALID_BASE_URL: true,
    CLIENT_BASE_URL_NOT_HTTPS: true,
    CLIENT_VERSIONS_FAILED: true,
    CLIENT_VERSIONS_INVALID: true,
    CLIENT_IDENTITY_MISSING_BASE_URL: true,
    CLIENT_IDENTITY_INVALID_BASE_URL: true,
    CLIENT_IDENTITY_FAILED: true,
    CLIENT_CONTENT_TYPE: true,
    CLIENT_CORS_MISSING: true,
    CLIENT_PREFLIGHT_FAILED: true,
    CLIENT_PREFLIGHT_CORS_MISSING: true,
  } as const satisfies Record<ClientDocumentProblemCode, true>;

  // client-problem is the hint of a client code this catalogue does not map yet: no lab can trigger it while every
  // code maps to a hint of its own, which this test proves (test/diagnosis/catalogue-coverage.test.ts relies on it).
  it.each(Object.keys(CLIENT_CODES))('client-problem is unreachable: %s maps to a hint of its own', (code) => {
    const hints = diagnose(input({ client: clientWith(code) }));
    expect(hints.length).toBeGreaterThan(0);
    expect(hints.map((h) => h.id)).not.toContain('client-problem');
  });
});
