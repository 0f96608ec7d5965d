// Property tests of every reader of remote or user input (issue #8): nothing throws past the public API, every rejection has its code.

import fc from 'fast-check';
import * as dnsPacket from 'dns-packet';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClientDocument } from '../../src/checker/client-document.js';
import { readJsonBody } from '../../src/net/json-body.js';
import type { ClientDocumentProblemCode } from '../../src/checker/client-document.js';
import { checkSupportDocument } from '../../src/checker/support-document.js';
import type { SupportDocumentProblemCode } from '../../src/checker/support-document.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { createDnsClient, createMemoryDns } from '../../src/dns/index.js';
import type { DnsFailureCode } from '../../src/dns/types.js';
import { ERROR_CODES, MatrixDelegationError } from '../../src/errors.js';
import {
  KEY_CHECK_CODES,
  canonicalJson,
  encodeUnpaddedBase64,
  ed25519PublicKeyFromSeed,
  generateEd25519Seed,
  inspectServerKeys,
  signEd25519,
  canonicalJsonBytes,
  verifyJsonSignature,
} from '../../src/keys/index.js';
import { MAX_SIGNATURE_CHECKS } from '../../src/keys/key-response.js';
import type { AddressPolicy } from '../../src/net/types.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { CONFIG_ERROR_CODES, TOP_LEVEL_KEYS, parseConfig } from '../../src/config/index.js';
import { parseServerName } from '../../src/server-name/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabResponse } from '../../src/testing/index.js';
import {
  WELL_KNOWN_CACHE,
  headerLifetimeMs,
  parseCacheControl,
  parseHttpDate,
  successLifetimeMs,
  failureLifetimeMs,
} from '../../src/well-known/cache-policy.js';
import { fetchWellKnownServer } from '../../src/well-known/fetch.js';
import { parseWellKnownServer } from '../../src/well-known/parse-server.js';
import { startRogueDns, type RogueDns } from '../../support/fault-tools.js';

const ANY_ERROR_CODE: readonly string[] = ERROR_CODES;
const DNS_FAILURES: readonly DnsFailureCode[] = [
  'DNS_NXDOMAIN',
  'DNS_NODATA',
  'DNS_SERVFAIL',
  'DNS_TIMEOUT',
  'DNS_ERROR',
  'DNS_CNAME_LOOP',
];

/** Text that looks like what servers send: JSON of any value, JSON-ish fragments, or arbitrary bytes. */
function bodyBytes(documentShape: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  return fc.oneof(
    documentShape.map((value) => encode(JSON.stringify(value))),
    fc.jsonValue().map((value) => encode(JSON.stringify(value))),
    fc.string({ unit: 'binary', maxLength: 60 }).map(encode),
    fc.constantFrom('', ' ', '\ufeff{}', '<html></html>', '{"a":', 'null', '[]', '1e999', '"\\ud800"').map(encode),
    fc.uint8Array({ maxLength: 200 }),
  );
}

// --- well-known bodies -------------------------------------------------------------------------------------

describe('server well-known bodies', () => {
  const parseCodes = [
    'WELL_KNOWN_INVALID_JSON',
    'WELL_KNOWN_NOT_OBJECT',
    'WELL_KNOWN_MISSING_M_SERVER',
    'WELL_KNOWN_INVALID_M_SERVER',
  ];
  const mServer = fc.oneof(
    fc.domain(),
    fc.string({ maxLength: 30 }),
    fc.jsonValue(),
    fc.constantFrom('example.org:443', '[::1]:8448', '1.2.3.4', 'https://example.org', 'a:99999'),
  );
  const shape = fc.dictionary(fc.oneof(fc.constant('m.server'), fc.string({ maxLength: 8 })), mServer, { maxKeys: 3 });

  it('parseWellKnownServer never throws; a delegation is exactly a string m.server that parses as a server name', () => {
    fc.assert(
      fc.property(bodyBytes(shape), (body) => {
        const result = parseWellKnownServer(body);
        if (result.ok) {
          const parsed = parseServerName(result.mServer);
          expect(parsed).toEqual({ ok: true, value: result.serverName });
          return;
        }
        expect(parseCodes).toContain(result.code);
        expect(result.detail.length).toBeGreaterThan(0);
        if (result.mServer !== null) {
          expect(result.code).toBe('WELL_KNOWN_INVALID_M_SERVER');
          expect(parseServerName(result.mServer).ok).toBe(false);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('readJsonBody (every JSON body read) never throws, and what it accepts is what JSON.parse reads', () => {
    fc.assert(
      fc.property(bodyBytes(fc.jsonValue()), (body) => {
        const read = readJsonBody(body);
        if (read.ok) {
          const start = read.hasBom ? 3 : 0;
          expect(read.value).toEqual(JSON.parse(new TextDecoder().decode(body.subarray(start))));
        } else {
          expect(['empty', 'not-utf8', 'invalid-json']).toContain(read.reason);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

// --- client and support documents over the lab ----------------------------------------------------------------

const CLIENT_CODES = [
  'CLIENT_NOT_FOUND',
  'CLIENT_FETCH_FAILED',
  'CLIENT_HTTP_STATUS',
  'CLIENT_EMPTY_BODY',
  'CLIENT_INVALID_JSON',
  'CLIENT_HTML_BODY',
  'CLIENT_BOM',
  'CLIENT_NOT_OBJECT',
  'CLIENT_MISSING_BASE_URL',
  'CLIENT_INVALID_BASE_URL',
  'CLIENT_BASE_URL_NOT_HTTPS',
  'CLIENT_VERSIONS_FAILED',
  'CLIENT_VERSIONS_INVALID',
  'CLIENT_IDENTITY_MISSING_BASE_URL',
  'CLIENT_IDENTITY_INVALID_BASE_URL',
  'CLIENT_IDENTITY_FAILED',
  'CLIENT_CONTENT_TYPE',
  'CLIENT_CORS_MISSING',
  'CLIENT_PREFLIGHT_FAILED',
  'CLIENT_PREFLIGHT_CORS_MISSING',
] as const satisfies readonly ClientDocumentProblemCode[];
const SUPPORT_CODES = [
  'SUPPORT_FETCH_FAILED',
  'SUPPORT_HTTP_STATUS',
  'SUPPORT_EMPTY_BODY',
  'SUPPORT_INVALID_JSON',
  'SUPPORT_HTML_BODY',
  'SUPPORT_BOM',
  'SUPPORT_NOT_OBJECT',
  'SUPPORT_CONTACTS_NOT_ARRAY',
  'SUPPORT_CONTACT_NOT_OBJECT',
  'SUPPORT_CONTACT_MISSING_ROLE',
  'SUPPORT_CONTACT_INVALID_ROLE',
  'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED',
  'SUPPORT_CONTACT_NO_ADDRESS',
  'SUPPORT_CONTACT_INVALID_MATRIX_ID',
  'SUPPORT_CONTACT_INVALID_EMAIL',
  'SUPPORT_EMPTY',
  'SUPPORT_PAGE_INVALID',
  'SUPPORT_PAGE_NOT_HTTPS',
  'SUPPORT_CONTENT_TYPE',
  'SUPPORT_CORS_MISSING',
] as const satisfies readonly SupportDocumentProblemCode[];

describe('client and support documents served by a hostile server', () => {
  let lab: Lab;
  /** What the lab serves for the next check (set by each run). */
  let next: LabResponse = { status: 404 };
  beforeAll(async () => {
    lab = await startLab({
      zones: { 'docs.test': { A: ['web'] } },
      hosts: {
        web: { routes: { '/.well-known/matrix/client': () => next, '/.well-known/matrix/support': () => next } },
      },
    });
  });
  afterAll(async () => {
    await lab?.close();
  });

  /** Only the lab's web server may be contacted: a base URL or support page naming any other address is never dialled. */
  function options() {
    const web = lab.address('web');
    const policy: AddressPolicy = {
      check: (ip) =>
        ip === web
          ? { allowed: true, range: null, reason: 'the lab web server' }
          : { allowed: false, range: null, reason: 'not the lab' },
    };
    return {
      dns: createDnsClient({ servers: [lab.dns.server], timeoutMs: 500 }),
      policy,
      port: lab.ports.https,
      ca: [lab.caCertPem],
      timeoutMs: 2_000,
    };
  }

  const url = fc.oneof(
    fc.webUrl(),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('https://docs.test', 'http://docs.test', 'https://[::1]', 'ftp://x'),
  );
  const response = (shape: fc.Arbitrary<unknown>): fc.Arbitrary<LabResponse> =>
    fc.record({
      status: fc.constantFrom(200, 200, 200, 404, 500, 302),
      body: bodyBytes(shape).map((b) => Buffer.from(b)),
      headers: fc.constantFrom<Record<string, string>>(
        {},
        { 'content-type': 'application/json' },
        { 'content-type': 'text/html', 'access-control-allow-origin': '*' },
      ),
    });

  it('checkClientDocument always reports a discovery status and known problem codes', async () => {
    const doc = fc.record(
      {
        'm.homeserver': fc.oneof(fc.record({ base_url: url }), fc.jsonValue()),
        'm.identity_server': fc.oneof(fc.record({ base_url: url }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(response(doc), async (answer) => {
        next = answer;
        const report = await checkClientDocument('docs.test', options());
        expect(['IGNORE', 'FAIL_PROMPT', 'FAIL_ERROR', 'SUCCESS']).toContain(report.status);
        for (const p of report.problems) {
          expect(CLIENT_CODES).toContain(p.code);
          expect(['error', 'warning', 'info']).toContain(p.severity);
          if (p.cause !== null) expect(ANY_ERROR_CODE).toContain(p.cause);
        }
        // Nothing here may work: every base URL is out of bounds for the policy, or not one at all.
        expect(report.status).not.toBe('SUCCESS');
      }),
      { numRuns: 30 },
    );
  });

  it('checkSupportDocument always reports a status and known problem codes', async () => {
    const contact = fc.record(
      {
        role: fc.oneof(
          fc.constantFrom('m.role.admin', 'm.role.security', 'org.example.helpdesk', 'm.role.other', 'Admin'),
          fc.jsonValue(),
        ),
        matrix_id: fc.oneof(fc.constantFrom('@admin:example.org', '@:x', 'admin'), fc.jsonValue()),
        email_address: fc.oneof(fc.emailAddress(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const doc = fc.record(
      {
        contacts: fc.oneof(fc.array(fc.oneof(contact, fc.jsonValue()), { maxLength: 4 }), fc.jsonValue()),
        support_page: fc.oneof(url, fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(response(doc), async (answer) => {
        next = answer;
        const report = await checkSupportDocument('docs.test', options());
        expect(['absent', 'valid', 'invalid', 'error']).toContain(report.status);
        for (const p of report.problems) {
          expect(SUPPORT_CODES).toContain(p.code);
          if (p.cause !== null) expect(ANY_ERROR_CODE).toContain(p.cause);
        }
        if (report.status === 'valid') expect(report.problems.every((p) => p.severity !== 'error')).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});

// --- keys, signatures and canonical JSON -----------------------------------------------------------------------

describe('key responses and signatures', () => {
  it('verifyJsonSignature never throws, whatever the document, names, key and signature', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('ed25519:a', 'example.org', 'A'.repeat(43), 'A'.repeat(86)),
    );
    const document = fc.oneof(
      fc.anything(),
      fc.record({
        signatures: fc.oneof(fc.dictionary(text, fc.dictionary(text, fc.oneof(text, fc.anything()))), fc.anything()),
        a: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(
        document,
        text,
        text,
        fc.oneof(text, fc.uint8Array({ maxLength: 40 })),
        (value, server, keyId, key) => {
          const result = verifyJsonSignature(value, server, keyId, key);
          if (!result.ok) expect(KEY_CHECK_CODES).toContain(result.code);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it(`a response with n valid keys passes only for 1 <= n <= ${MAX_SIGNATURE_CHECKS}: the work per response is bounded`, () => {
    const seed = generateEd25519Seed();
    const key = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(seed));
    const now = Date.now();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * MAX_SIGNATURE_CHECKS }), (n) => {
        const ids = Array.from({ length: n }, (_, i) => `ed25519:k${i}`);
        const signed = {
          server_name: 'example.org',
          valid_until_ts: now + 86_400_000,
          verify_keys: Object.fromEntries(ids.map((id) => [id, { key }])),
        };
        // One key under many ids: one signature over the signed part serves for every id.
        const signature = encodeUnpaddedBase64(signEd25519(seed, canonicalJsonBytes(signed)));
        const body = { ...signed, signatures: { 'example.org': Object.fromEntries(ids.map((id) => [id, signature])) } };
        const inspection = inspectServerKeys(body, 'example.org', now);
        expect(inspection.ok).toBe(n >= 1 && n <= MAX_SIGNATURE_CHECKS);
        expect(inspection.verifyKeys.filter((k) => k.matchingSignature)).toHaveLength(
          Math.min(n, MAX_SIGNATURE_CHECKS),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('canonicalJson either encodes (idempotently, as JSON) or throws INVALID_ARGUMENT, for anything', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
        }),
        (value) => {
          let text: string;
          try {
            text = canonicalJson(value);
          } catch (error) {
            expect(error).toBeInstanceOf(MatrixDelegationError);
            expect((error as MatrixDelegationError).code).toBe('INVALID_ARGUMENT');
            return;
          }
          expect(canonicalJson(JSON.parse(text))).toBe(text);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

// --- Cache-Control and Expires ---------------------------------------------------------------------------------

describe('Cache-Control and Expires of a well-known answer', () => {
  const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
  const directive = fc.oneof(
    fc.constantFrom('no-store', 'no-cache', 'public', 'private', 'must-revalidate'),
    fc
      .tuple(
        fc.constantFrom('max-age', 'MAX-AGE', 's-maxage', 'x'),
        fc.oneof(fc.nat().map(String), fc.string({ maxLength: 6 }), fc.constant('"60"')),
      )
      .map(([k, v]) => `${k}=${v}`),
    fc.string({ maxLength: 10 }),
  );
  const cacheControl = fc.oneof(
    fc.constant(null),
    fc.array(directive, { maxLength: 4 }).map((parts) => parts.join(', ')),
    fc.string({ unit: 'binary', maxLength: 30 }),
  );
  const httpDate = fc.date({
    min: new Date(Date.UTC(1970, 0, 1)),
    max: new Date(Date.UTC(9999, 11, 31)),
    noInvalidDate: true,
  });
  const expires = fc.oneof(
    fc.constant(null),
    httpDate.map((d) => d.toUTCString()),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('0', '-1', '2024', 'Thu, 31 Feb 2030 00:00:00 GMT'),
  );

  it('parsing never throws; lifetimes stay within the documented bounds', () => {
    fc.assert(
      fc.property(
        cacheControl,
        expires,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (cc, exp, r) => {
          const headers = { cacheControl: cc, expires: exp };
          for (const name of parseCacheControl(cc).keys()) expect(name).toBe(name.toLowerCase());
          const fromHeaders = headerLifetimeMs(headers, NOW);
          if (fromHeaders !== null) expect(fromHeaders).toBeGreaterThanOrEqual(0);
          const success = successLifetimeMs(headers, NOW, () => r);
          const { minLifetimeMs, maxLifetimeMs, defaultLifetimeMs, jitter } = WELL_KNOWN_CACHE;
          if (fromHeaders === null) {
            expect(success).toBeGreaterThanOrEqual(defaultLifetimeMs * (1 - jitter));
            expect(success).toBeLessThanOrEqual(defaultLifetimeMs * (1 + jitter));
          } else {
            expect(success).toBeGreaterThanOrEqual(minLifetimeMs);
            expect(success).toBeLessThanOrEqual(maxLifetimeMs);
          }
          expect(Number.isFinite(success)).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('an HTTP-date written by Date#toUTCString reads back to the same second; a valid max-age wins over it', () => {
    fc.assert(
      fc.property(httpDate, fc.nat({ max: 10 * 86_400 }), (date, maxAge) => {
        expect(parseHttpDate(date.toUTCString(), NOW)).toBe(Math.floor(date.getTime() / 1000) * 1000);
        expect(headerLifetimeMs({ cacheControl: `max-age=${maxAge}`, expires: date.toUTCString() }, NOW)).toBe(
          maxAge * 1000,
        );
        expect(headerLifetimeMs({ cacheControl: `no-store, max-age=${maxAge}`, expires: null }, NOW)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('parseHttpDate returns null or a finite time for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          httpDate.map((d) => d.toUTCString().replace(/\d/g, (c) => String((Number(c) * 7) % 10))),
        ),
        (text) => {
          const ms = parseHttpDate(text, NOW);
          if (ms !== null) expect(Number.isFinite(ms)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('failure lifetimes never exceed 1 h plus jitter, whatever the failure count', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: -5, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (recent, failures, r) => {
          const ms = failureLifetimeMs(recent, failures, () => r);
          expect(ms).toBeGreaterThan(0);
          expect(ms).toBeLessThanOrEqual(WELL_KNOWN_CACHE.failureLifetimeMs * (1 + WELL_KNOWN_CACHE.jitter));
        },
      ),
      { numRuns: 500 },
    );
  });
});

// --- the YAML config -------------------------------------------------------------------------------------------

describe('the serve config (YAML)', () => {
  const noFiles = (path: string): string => {
    throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  };
  const check = (text: string): void => {
    const result = parseConfig(text, { readTextFile: noFiles, sourceName: 'fuzz.yaml' });
    if (result.ok) {
      expect(parseServerName(result.config.serverName).ok).toBe(true);
      return;
    }
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      expect(CONFIG_ERROR_CODES).toContain(error.code);
      expect(error.problem.length).toBeGreaterThan(0);
      expect(error.fix.length).toBeGreaterThan(0);
    }
  };

  it('parseConfig never throws on arbitrary text, and every error has a code, a problem and a fix', () => {
    const yamlish = fc
      .array(
        fc.constantFrom(
          'server_name: ',
          'a.b',
          '\n',
          '  ',
          '- ',
          '&x ',
          '*x ',
          '[',
          ']',
          '{',
          '}',
          ':',
          '"',
          "'",
          '#',
          '!!binary ',
          '<<: ',
          '1e9',
          'yes',
          '~',
        ),
        { maxLength: 30 },
      )
      .map((p) => p.join(''));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish), check), { numRuns: 1_000 });
  });

  it('parseConfig never throws on YAML of any shape using the real keys', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.domain(),
      fc.integer(),
      fc.constantFrom('example.org', 'example.org:443', 'https://matrix.example.org', '0.0.0.0', '::'),
    );
    const listener = fc.record(
      {
        port: fc.oneof(fc.integer({ min: -1, max: 70_000 }), value),
        bind_addresses: fc.oneof(fc.array(value, { maxLength: 2 }), value),
        tls: value,
        type: value,
      },
      { requiredKeys: [] },
    );
    const config = fc.record(
      {
        ...Object.fromEntries(TOP_LEVEL_KEYS.map((key) => [key, value])),
        server_name: fc.oneof(fc.domain(), value),
        listeners: fc.oneof(fc.array(listener, { maxLength: 3 }), value),
        support: fc.oneof(
          fc.record(
            {
              contacts: fc.array(
                fc.record({ role: value, matrix_id: value, email_address: value }, { requiredKeys: [] }),
                { maxLength: 2 },
              ),
              support_page: value,
            },
            { requiredKeys: [] },
          ),
          value,
        ),
        tester: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              'enabled',
              'rate_limit_per_minute',
              'max_in_flight',
              'cache_seconds',
              'allow_networks',
              'dns_servers',
              'ca_file',
              'timeout_ms',
            ),
            value,
          ),
          value,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(config, fc.jsonValue()), (data) => check(toYaml(data))),
      { numRuns: 200 },
    );
  });
});

// --- the command line ------------------------------------------------------------------------------------------

describe('the command line', () => {
  let lab: Lab;
  beforeAll(async () => {
    // A DNS server that knows no name: every resolution ends in NXDOMAIN, so no argument can reach the network.
    lab = await startLab({});
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('runCli always settles with exit 0, 1 or 2, and every error line carries a known code', async () => {
    // No value may reach beyond loopback: names go to the lab's DNS server (which knows none), IP literals are
    // private or loopback, and generated text never contains an IP address (only [0-9a-f:.[]] characters could).
    const safeText = fc.string({ maxLength: 10 }).filter((text) => !/^[0-9a-fA-F:.[\]]*$/.test(text));
    const name = fc.oneof(
      { weight: 3, arbitrary: fc.domain() },
      { weight: 1, arbitrary: safeText },
      {
        weight: 1,
        arbitrary: fc.constantFrom('10.0.0.1', '[::1]:8448', '127.0.0.1:1', 'example.org:0', ':80', 'a..b', '-x', ''),
      },
    );
    const values: Readonly<Record<string, readonly string[]>> = {
      '--timeout-ms': ['0', '1', '50', '2000', '600001', '-1', '1e3'],
      '--concurrency': ['0', '1', '3', '-2'],
      '--method': ['GET', 'POST', 'DELETE', 'x y'],
      '--allow-network': ['not-a-cidr', '300.0.0.0/8', '127.0.0.0/8', '::1/128'],
      '--well-known-port': ['0', '1', '443', '65536'],
      '--federation-port': ['0', '1', '8448', '65536'],
      '--format': ['text', 'json', 'federation-tester', 'xml'],
      '--from': ['/nonexistent/names.txt'],
      '--ca-file': ['/nonexistent/ca.pem'],
      '--dns-server': ['not-an-address', '127.0.0.1:0', '[::1]:99999', ':53'],
    };
    const flag = fc.oneof(
      fc.constantFrom(['--json'], ['--trace'], ['--no-color'], ['--color'], ['--help'], ['--bogus'], ['-x']),
      fc
        .constantFrom(...Object.keys(values))
        .chain((f) =>
          fc
            .oneof({ weight: 4, arbitrary: fc.constantFrom(...values[f]!) }, safeText, fc.constant(''))
            .map((v) => [f, v]),
        ),
    );
    const command = fc.constantFrom(
      'resolve',
      'resolve',
      'request',
      'check',
      'check',
      'nonsense',
      '--help',
      '--version',
      '',
    );
    const argv = fc
      .record({
        command,
        name,
        path: fc.constantFrom('/_matrix/federation/v1/version', 'x', '//a', ''),
        flags: fc.array(flag, { maxLength: 2 }),
        extra: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: name }),
      })
      .map(({ command: c, name: n, path, flags, extra }) => [
        ...(c === '' ? [] : [c]),
        n,
        ...(c === 'request' ? [path] : []),
        ...flags.flat(),
        ...(extra === null ? [] : [extra]),
      ]);
    const seen = { ok: 0, failure: 0, usage: 0 };
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        // The lab's DNS server last: commander keeps every --dns-server, and a broken one earlier is a usage error.
        const full = ['resolve', 'request', 'check'].includes(args[0] ?? '')
          ? [...args, '--dns-server', lab.dns.server]
          : args;
        const err: string[] = [];
        const io: CliIo = { stdout: () => undefined, stderr: (text) => err.push(text), env: {} };
        const code = await runCli(full, io);
        expect([0, 1, 2]).toContain(code);
        seen[code === 0 ? 'ok' : code === 1 ? 'failure' : 'usage']++;
        for (const line of err.join('').split('\n')) {
          const m = /^error ([A-Za-z_]+):/.exec(line);
          if (m !== null) expect(ANY_ERROR_CODE).toContain(m[1]);
        }
      }),
      { numRuns: 150 },
    );
    // The generator reaches resolution and checks, not only argument errors: about one run in seven does (exit 1,
    // NXDOMAIN everywhere); 8 is far below that, and far above zero.
    expect(seen.failure).toBeGreaterThanOrEqual(8);
  }, 60_000);
});

// --- server names through the public entry points ---------------------------------------------------------------

describe('server names given to the public entry points', () => {
  const dns = createMemoryDns({});
  const names = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.domain(),
    fc.ipV4(),
    fc.ipV6().map((ip) => `[${ip}]`),
  );

  it('resolveServerName never throws: an invalid name is INVALID_SERVER_NAME, anything else a coded result', async () => {
    await fc.assert(
      fc.asyncProperty(names, async (name) => {
        // Resolution only, on an empty in-memory DNS and a canned well-known: nothing is contacted.
        const result = await resolveServerName(name, {
          deps: {
            dns,
            fetchWellKnown: async () => ({
              status: 'absent',
              mServer: null,
              serverName: null,
              code: 'WELL_KNOWN_NOT_FOUND',
              detail: 'none',
            }),
          },
        });
        if (result.error !== null) expect(ANY_ERROR_CODE).toContain(result.error.code);
        expect(result.parsed === null).toBe(!parseServerName(name).ok);
      }),
      { numRuns: 500 },
    );
  });

  it('fetchWellKnownServer refuses a host that is not one with INVALID_ARGUMENT, and never throws anything else', async () => {
    const denyAll: AddressPolicy = {
      check: () => ({ allowed: false, range: null, reason: 'test: nothing is contacted' }),
    };
    await fc.assert(
      fc.asyncProperty(names, async (host) => {
        try {
          const result = await fetchWellKnownServer(host, { dns, policy: denyAll, timeoutMs: 1_000 });
          expect(['absent', 'invalid', 'error', 'blocked']).toContain(result.status);
          expect(ANY_ERROR_CODE).toContain(result.code);
        } catch (error) {
          expect(error).toBeInstanceOf(MatrixDelegationError);
          expect((error as MatrixDelegationError).code).toBe('INVALID_ARGUMENT');
        }
      }),
      { numRuns: 300 },
    );
  });
});

// --- DNS answers ---------------------------------------------------------------------------------------------------

describe('DNS answers from a hostile server', () => {
  let rogue: RogueDns;
  /** What the server answers the next query with. */
  let next: (query: dnsPacket.DecodedPacket, raw: Buffer) => Buffer = () => Buffer.alloc(0);
  beforeAll(async () => {
    rogue = await startRogueDns({ udp: (query, raw) => next(query, raw) });
  });
  afterAll(async () => {
    await rogue?.close();
  });

  const client = () => createDnsClient({ servers: [rogue.server], timeoutMs: 150, attempts: 1 });
  const checkAnswer = (
    answer: Awaited<ReturnType<ReturnType<typeof createDnsClient>['resolve4']>>,
    valid: (record: string) => boolean,
  ): void => {
    if (answer.ok) {
      for (const record of answer.records) expect(valid(record)).toBe(true);
      expect(answer.ttlSeconds).toBeGreaterThanOrEqual(0);
    } else {
      expect(DNS_FAILURES).toContain(answer.code);
    }
  };

  it('random bytes carrying the query id (and often its question) never make a lookup throw or hang', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 8, maxLength: 300 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        async (bytes, echoQuestion, answers) => {
          next = (_query, raw) => {
            if (!echoQuestion) {
              // The id, then anything: mostly undecodable, or not a response (a stray the client ignores).
              const out = Buffer.concat([raw.subarray(0, 2), Buffer.from(bytes)]);
              out.writeUInt16BE(0x8180 | ((bytes[0] ?? 0) & 0x0f), 2);
              return out;
            }
            // A response header, the question asked, then random bytes where the answer records belong.
            const header = Buffer.alloc(12);
            raw.copy(header, 0, 0, 2);
            header.writeUInt16BE(0x8180, 2);
            header.writeUInt16BE(1, 4);
            header.writeUInt16BE(answers, 6);
            return Buffer.concat([header, raw.subarray(12), Buffer.from(bytes)]);
          };
          const started = performance.now();
          const answer = await client().resolve4('fuzz.test');
          checkAnswer(answer, (r) => /^\d+\.\d+\.\d+\.\d+$/.test(r));
          // A stray waits out the question budget (150 ms); anything else settles at once.
          expect(performance.now() - started).toBeLessThan(1_000);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('well-formed answers with random records: only A records of the name asked (or its CNAME chain) are returned', async () => {
    const owner = fc.constantFrom('fuzz.test', 'FUZZ.test.', 'other.test', 'alias.test');
    const record = fc.oneof(
      fc.record({ type: fc.constant('A' as const), name: owner, ttl: fc.nat(), data: fc.ipV4() }),
      fc.record({ type: fc.constant('AAAA' as const), name: owner, ttl: fc.nat(), data: fc.ipV6() }),
      fc.record({
        type: fc.constant('CNAME' as const),
        name: owner,
        ttl: fc.nat(),
        data: fc.constantFrom('alias.test', 'fuzz.test', 'other.test'),
      }),
      fc.record({ type: fc.constant('TXT' as const), name: owner, ttl: fc.nat(), data: fc.string({ maxLength: 10 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 8 }),
        fc.constantFrom('NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'),
        async (answers, rcode) => {
          next = (query) =>
            dnsPacket.encode({
              type: 'response',
              id: query.id ?? 0,
              flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
              rcode,
              questions: query.questions ?? [],
              answers,
            } as dnsPacket.Packet);
          const answer = await client().resolve4('fuzz.test');
          checkAnswer(answer, (r) => answers.some((a) => a.type === 'A' && a.data === r));
          if (answer.ok) expect(answer.cnameChain.length).toBeLessThanOrEqual(8);
        },
      ),
      { numRuns: 150 },
    );
  });
});
