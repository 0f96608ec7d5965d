// The native JSON document: schema tag, documented keys, the resolution as `resolve --json --trace`, JSON-safe values.

import { describe, expect, it } from 'vitest';
import { NATIVE_SCHEMA, jsonSafe, toNativeErrorJson, toNativeJson } from '../../src/report/native.js';
import { FIXTURE_HINT, fixtureReport } from './report-fixture.js';

const sortedKeys = (value: unknown): string[] => Object.keys(value as object).sort();

/** The top-level keys docs/check-report.md documents. */
const TOP_KEYS = [
  'addresses',
  'checkedAt',
  'client',
  'durationMs',
  'federationOk',
  'hints',
  'probes',
  'reachable',
  'resolution',
  'schema',
  'serverName',
  'summary',
  'support',
  'version',
  'wellKnownByAddress',
];
const ADDRESS_KEYS = ['address', 'connectionError', 'family', 'keys', 'ok', 'retries', 'target', 'tls', 'version'];
const TARGET_KEYS = ['addressOf', 'hostHeader', 'ip', 'port', 'sni', 'srv', 'step', 'tlsServerName'];

describe('toNativeJson', () => {
  const doc = toNativeJson(fixtureReport());

  it('is tagged with the schema and has exactly the documented top-level keys', () => {
    expect(doc.schema).toBe('matrix-delegation/check/v1');
    expect(NATIVE_SCHEMA).toBe('matrix-delegation/check/v1');
    expect(sortedKeys(doc)).toEqual(TOP_KEYS);
    expect(doc).toMatchObject({
      serverName: 'example.org',
      federationOk: false,
      reachable: true,
      durationMs: 321,
      checkedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('survives a JSON round trip unchanged: no undefined, no Buffers, no NaN anywhere', () => {
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  it('renders the resolution as resolve --json --trace does (six-field targets, the trace)', () => {
    expect(sortedKeys(doc.resolution)).toEqual(['error', 'serverName', 'targets', 'trace', 'wellKnown']);
    expect(doc.resolution.wellKnown).toEqual({
      status: 'delegated',
      mServer: 'matrix.example.org',
      detail: 'delegates to matrix.example.org',
    });
    expect(doc.resolution.targets[0]).toEqual({
      step: '3.3',
      ip: '192.0.2.10',
      port: 8448,
      hostHeader: 'matrix.example.org',
      tlsServerName: 'matrix.example.org',
      sni: 'matrix.example.org',
    });
    expect(doc.resolution.trace?.map((e) => e.step)).toEqual(['1', '3']);
  });

  it('turns bytes in trace data into unpadded base64, drops undefined members and nulls NaN', () => {
    const data = doc.resolution.trace?.[1]?.data as unknown as Record<string, unknown>;
    // '{"m.server"}' is 12 bytes: base64 of 12 bytes has no padding to strip, so check the text decodes back.
    expect(Buffer.from(data['body'] as string, 'base64').toString('utf8')).toBe('{"m.server"}');
    expect('nothing' in data).toBe(false);
    expect(data['list']).toEqual([1, null, null]);
  });

  it('gives each address its documented keys, the full target, and whole-millisecond durations', () => {
    expect(doc.addresses).toHaveLength(2);
    for (const a of doc.addresses) {
      expect(sortedKeys(a)).toEqual(ADDRESS_KEYS);
      expect(sortedKeys(a.target)).toEqual(TARGET_KEYS);
    }
    const [good, bad] = doc.addresses;
    expect(good?.target.srv).toEqual({
      name: '_matrix-fed._tcp.matrix.example.org',
      priority: 10,
      weight: 5,
      target: 'backend.example.org',
    });
    expect(good?.tls?.durationMs).toBe(12);
    expect(good?.version?.durationMs).toBe(3);
    expect(good?.keys?.durationMs).toBe(5);
    expect(bad).toMatchObject({
      address: '[2001:db8::20]:8448',
      family: 6,
      ok: false,
      tls: { trusted: false, trustError: { code: 'TLS_EXPIRED' }, expiresInDays: -30 },
    });
    // The raw key response keeps what the server sent, minus undefined members.
    expect(good?.keys?.raw).toEqual({ server_name: 'example.org' });
    expect(Object.keys(good?.keys?.raw as object)).toEqual(['server_name']);
  });

  it('keeps only documented certificate fields, even when the report object carries more', () => {
    const report = fixtureReport();
    const extra = {
      ...report.addresses[0]!,
      tls: {
        ...report.addresses[0]!.tls!,
        chain: [{ ...report.addresses[0]!.tls!.chain[0]!, sha256Hex: 'AB:CD', source: 'peer' }],
      },
    };
    const cert = toNativeJson({ ...report, addresses: [extra] }).addresses[0]?.tls?.chain[0];
    expect(sortedKeys(cert)).toEqual([
      'dnsNames',
      'ipAddresses',
      'issuerCommonName',
      'selfSigned',
      'sha256Fingerprint',
      'subjectCommonName',
      'validFrom',
      'validTo',
    ]);
  });

  it('passes hints through with their six fields', () => {
    expect(doc.hints).toContainEqual(FIXTURE_HINT);
    for (const h of doc.hints) expect(sortedKeys(h)).toEqual(['area', 'detail', 'fix', 'id', 'severity', 'title']);
  });

  it('carries the probes (the evidence behind the hints) with all their parts', () => {
    expect(sortedKeys(doc.probes)).toEqual([
      'encodedPath',
      'httpsPort',
      'srv',
      'srvMistakes',
      'targetHttps',
      'wellKnownBody',
      'wellKnownBrowserRetry',
      'wellKnownElsewhere',
    ]);
    expect(doc.probes.srv).toEqual([
      { host: 'example.org', service: '_matrix._tcp', name: '_matrix._tcp.example.org', records: [], error: null },
    ]);
    expect(doc.probes.httpsPort).toBeNull();
  });

  it('client and support are null when not checked', () => {
    expect(doc.client).toBeNull();
    expect(doc.support).toBeNull();
  });
});

describe('toNativeErrorJson', () => {
  it('is a schema-tagged line with the name, a false verdict and the error', () => {
    const line = toNativeErrorJson('slow.example.org', { code: 'TIMEOUT', message: 'no result within 500 ms' }, 500.4);
    expect(line).toEqual({
      schema: 'matrix-delegation/check/v1',
      serverName: 'slow.example.org',
      federationOk: false,
      error: { code: 'TIMEOUT', message: 'no result within 500 ms' },
      durationMs: 500,
    });
  });
});

describe('jsonSafe', () => {
  it('makes JSON-faithful copies of awkward values', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(jsonSafe(cyclic)).toEqual({ a: 1, self: null });
    expect(jsonSafe({ n: 10n, d: new Date(0), inf: Infinity, f: () => 1, u8: new Uint8Array([0xff]) })).toEqual({
      n: '10',
      d: '1970-01-01T00:00:00.000Z',
      inf: null,
      u8: '/w',
    });
    // The same object twice (not a cycle) is copied twice.
    const shared = { x: 1 };
    expect(jsonSafe([shared, shared])).toEqual([{ x: 1 }, { x: 1 }]);
  });
});
