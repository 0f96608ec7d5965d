// The check command in-process against a lab: text, --json, --format federation-tester, exit codes, and --from batches.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest, LabResponse } from '../../src/testing/index.js';
import { labCliFlags, runCapture as run } from './run-cli.js';

let lab: Lab;
let tempDir: string;
let caFile: string;
const seed = generateEd25519Seed();

const GOOD = ['good.example.org', 'good2.example.org', 'good3.example.org'];
const SLOW = ['slow1.example.org', 'slow2.example.org', 'slow3.example.org', 'slow4.example.org'];
const SLOW_MS = 300;
let slowInFlight = 0;
let slowMaxInFlight = 0;

/** Keys signed for the name in the Host header (the server name, for a step-6 target): valid for every zone name. */
function keysFor(req: LabRequest): LabResponse {
  const serverName = (req.host ?? '').replace(/:\d+$/, '');
  return {
    json: buildSignedKeyResponse({ serverName, keyId: 'ed25519:lab', seed, validUntilTs: Date.now() + 86_400_000 }),
  };
}

const VERSION: LabResponse = { json: { server: { name: 'LabSynapse', version: '9.9.9' } } };

beforeAll(async () => {
  lab = await startLab({
    zones: {
      ...Object.fromEntries(GOOD.map((n) => [n, { A: ['good'] }])),
      ...Object.fromEntries(SLOW.map((n) => [n, { A: ['slow'] }])),
      'expired.example.org': { A: ['expired'] },
      'dead.example.org': { A: ['dead'] },
    },
    hosts: {
      good: {
        port: 'federation',
        routes: { 'GET /_matrix/federation/v1/version': VERSION, 'GET /_matrix/key/v2/server': keysFor },
      },
      expired: {
        port: 'federation',
        certificates: [{ kind: 'expired' }],
        routes: { 'GET /_matrix/federation/v1/version': VERSION, 'GET /_matrix/key/v2/server': keysFor },
      },
      // Accepts TCP and never speaks TLS: a check of it can only end by its budget.
      dead: { port: 'federation', mode: 'plain-tcp' },
      slow: {
        port: 'federation',
        routes: {
          // Counts the version requests in flight: with --concurrency 2 there are never more than two.
          'GET /_matrix/federation/v1/version': async () => {
            slowInFlight += 1;
            slowMaxInFlight = Math.max(slowMaxInFlight, slowInFlight);
            await new Promise((r) => setTimeout(r, SLOW_MS));
            slowInFlight -= 1;
            return VERSION;
          },
          'GET /_matrix/key/v2/server': keysFor,
        },
      },
    },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-check-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

function listFile(name: string, lines: readonly string[]): string {
  const path = join(tempDir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const sortedKeys = (value: unknown): string[] => Object.keys(value as object).sort();
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const ANSI_ALL = /\x1b\[[0-9;]*m/g;
const ERROR_LINE = (code: string): RegExp => new RegExp(`^error ${code}: \\S`, 'm');

/** matrix-federation-tester's /api/report top-level keys (ground-truth §5); `Error` only when there is one. */
const TESTER_KEYS = [
  'ConnectionErrors',
  'ConnectionReports',
  'DNSResult',
  'FederationOK',
  'Version',
  'WellKnownResult',
];
/** The native document's top-level keys (docs/check-report.md). */
const NATIVE_KEYS = [
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

function jsonLines(text: string): Record<string, unknown>[] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('check (one name)', () => {
  it('a healthy server: exit 0; text with the verdict, the path, the address row and version', async () => {
    const r = await run(['check', 'good.example.org', ...labCliFlags(lab, caFile)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('good.example.org');
    expect(lines[1]).toMatch(/^PASS +Federation works\./);
    expect(r.stdout).toContain('How other servers find you');
    // No well-known and no SRV: step 6, the host on the federation port (spec "Resolving server names").
    expect(r.stdout).toMatch(/step 6 +taken/);
    const address = `${lab.address('good')}:${lab.ports.federation}`;
    const row = lines.find((l) => l.trimStart().startsWith(address));
    expect(row).toMatch(/IPv4 +TLS 1\.[23] +trusted, name ok .*LabSynapse 9\.9\.9 +valid \(ed25519:lab\) +OK$/);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('an expired certificate: exit 1, FAIL, the failure explained under the address (--color: same text, coloured)', async () => {
    const r = await run(['check', 'expired.example.org', '--color', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    // --color forces colours although stdout is not a terminal here; without them the text is the same.
    expect(r.stdout).toMatch(ANSI);
    const lines = r.stdout.replace(ANSI_ALL, '').split('\n');
    expect(lines[1]).toMatch(/^FAIL\b/);
    const rowIndex = lines.findIndex((l) =>
      l.trimStart().startsWith(`${lab.address('expired')}:${lab.ports.federation}`),
    );
    expect(lines[rowIndex]).toMatch(/NOT TRUSTED.*FAIL$/);
    expect(lines[rowIndex + 1]).toMatch(/^\s+- TLS_EXPIRED: /);
  });

  it('an invalid server name: exit 2 with INVALID_SERVER_NAME, whatever the format', async () => {
    const text = await run(['check', 'bad_name!.example', ...labCliFlags(lab, caFile)]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(ERROR_LINE('INVALID_SERVER_NAME'));
    const tester = await run([
      'check',
      'bad_name!.example',
      '--format',
      'federation-tester',
      ...labCliFlags(lab, caFile),
    ]);
    expect(tester.code).toBe(2);
    expect(JSON.parse(tester.stdout)).toMatchObject({
      FederationOK: false,
      Error: "Invalid server name 'bad_name!.example'",
    });
  });

  it('--json: the native document with its documented keys and schema', async () => {
    const r = await run(['check', 'good.example.org', '--json', ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(sortedKeys(doc)).toEqual(NATIVE_KEYS);
    expect(doc).toMatchObject({
      schema: 'matrix-delegation/check/v1',
      serverName: 'good.example.org',
      federationOk: true,
      reachable: true,
    });
    expect(sortedKeys(doc['resolution'])).toEqual(['error', 'serverName', 'targets', 'trace', 'wellKnown']);
    const [address] = doc['addresses'] as Record<string, unknown>[];
    expect(address).toMatchObject({
      address: `${lab.address('good')}:${lab.ports.federation}`,
      family: 4,
      ok: true,
      keys: { ok: true, matchingServerName: true },
    });
  });

  it('--format federation-tester: exactly the tester top-level keys, its verdict, exit 0 / 1 by it', async () => {
    const good = await run(['check', 'good.example.org', '--format', 'federation-tester', ...labCliFlags(lab, caFile)]);
    expect(good.code).toBe(0);
    const doc = JSON.parse(good.stdout) as Record<string, unknown>;
    expect(sortedKeys(doc)).toEqual(TESTER_KEYS);
    expect(doc['FederationOK']).toBe(true);
    const bad = await run([
      'check',
      'expired.example.org',
      '--format',
      'federation-tester',
      ...labCliFlags(lab, caFile),
    ]);
    expect(bad.code).toBe(1);
    const badDoc = JSON.parse(bad.stdout) as {
      FederationOK: boolean;
      ConnectionReports: Record<string, { Checks: { ValidCertificates: boolean } }>;
    };
    expect(sortedKeys(badDoc)).toEqual(TESTER_KEYS);
    expect(badDoc.FederationOK).toBe(false);
    expect(Object.values(badDoc.ConnectionReports)[0]?.Checks.ValidCertificates).toBe(false);
  });

  it('a server that never answers TLS: the --timeout-ms budget gives a report with the address TIMEOUT, exit 1', async () => {
    const started = Date.now();
    const r = await run(['check', 'dead.example.org', '--json', ...labCliFlags(lab, caFile, { timeoutMs: 600 })]);
    expect(r.code).toBe(1);
    // Issue 13, item 5: the report, not an error line; the stalled address says it timed out.
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      schema: 'matrix-delegation/check/v1',
      serverName: 'dead.example.org',
      federationOk: false,
    });
    expect(report['error']).toBeUndefined();
    expect(
      (report['addresses'] as { connectionError: { code: string } | null }[]).map((a) => a.connectionError?.code),
    ).toEqual(['TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['an unknown --format', ['check', 'good.example.org', '--format', 'xml']],
    ['--json with another --format', ['check', 'good.example.org', '--json', '--format', 'text']],
    ['no server name', ['check']],
    ['a name and --from', ['check', 'good.example.org', '--from', '-']],
    ['--concurrency 0', ['check', '--from', '-', '--concurrency', '0']],
    ['--from with --format text', ['check', '--from', '-', '--format', 'text']],
  ])('usage error, exit 2: %s', async (_what, argv) => {
    const r = await run(argv, { stdin: Readable.from(['good.example.org\n']) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error [A-Z_]+: /m);
  });

  it('--from a file that does not exist: exit 2 with INVALID_ARGUMENT', async () => {
    const r = await run(['check', '--from', join(tempDir, 'missing.txt'), ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ERROR_LINE('INVALID_ARGUMENT'));
  });
});

describe('check --from (many names)', () => {
  it('3 good, 1 bad, 1 invalid, comments: 5 JSON lines with their names, a summary on stderr, exit 1', async () => {
    const file = listFile('mixed.txt', [
      '# servers to watch',
      ...GOOD,
      '',
      'expired.example.org   # certificate lapsed',
      'bad_name!.example',
      '   # done',
    ]);
    const r = await run(['check', '--from', file, ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(1);
    const docs = jsonLines(r.stdout);
    expect(docs).toHaveLength(5);
    for (const d of docs) expect(d['schema']).toBe('matrix-delegation/check/v1');
    const byName = new Map(docs.map((d) => [d['serverName'], d]));
    expect([...byName.keys()].sort()).toEqual([...GOOD, 'bad_name!.example', 'expired.example.org'].sort());
    for (const name of GOOD) expect(byName.get(name)?.['federationOk']).toBe(true);
    expect(byName.get('expired.example.org')?.['federationOk']).toBe(false);
    expect(byName.get('bad_name!.example')).toMatchObject({
      federationOk: false,
      resolution: { error: { code: 'INVALID_SERVER_NAME' } },
    });
    expect(r.stderr).toMatch(/checked 5 names in .*: 3 OK, 2 failing, 0 errors/);
    // Not a terminal: no progress bar.
    expect(r.stderr).not.toContain('\r');
  });

  it('reads stdin with "-"; --format federation-tester gives tester objects with ServerName', async () => {
    const stdin = Readable.from([`${GOOD[0]}\n# comment\n`, 'bad_name!.example\n']);
    const r = await run(['check', '--from', '-', '--format', 'federation-tester', ...labCliFlags(lab, caFile)], {
      stdin,
    });
    expect(r.code).toBe(1);
    const docs = jsonLines(r.stdout);
    expect(docs.map((d) => d['ServerName']).sort()).toEqual(['bad_name!.example', GOOD[0]]);
    const good = docs.find((d) => d['ServerName'] === GOOD[0]);
    expect(sortedKeys(good)).toEqual(['ServerName', ...TESTER_KEYS].sort());
    expect(good?.['FederationOK']).toBe(true);
    // The tester's own answer for an invalid name: FederationOK false and an Error.
    expect(docs.find((d) => d['ServerName'] === 'bad_name!.example')).toMatchObject({
      FederationOK: false,
      Error: "Invalid server name 'bad_name!.example'",
    });
    expect(r.stderr).toMatch(/1 OK, 1 failing, 0 errors/);
  });

  it('honours --concurrency: 4 names each held 300 ms, 2 at a time, take 600 ms or more', async () => {
    slowMaxInFlight = 0;
    const started = Date.now();
    const r = await run([
      'check',
      '--from',
      listFile('slow.txt', SLOW),
      '--concurrency',
      '2',
      ...labCliFlags(lab, caFile),
    ]);
    const elapsed = Date.now() - started;
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(4);
    expect(elapsed).toBeGreaterThanOrEqual(2 * SLOW_MS);
    expect(slowMaxInFlight).toBe(2);
  });

  it('a name whose server never answers TLS: a report line (the address TIMEOUT) within the per-name budget, the others unaffected', async () => {
    const started = Date.now();
    const r = await run([
      'check',
      '--from',
      listFile('dead.txt', ['dead.example.org', 'bad_name!.example']),
      ...labCliFlags(lab, caFile, { timeoutMs: 600 }),
    ]);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    const docs = jsonLines(r.stdout);
    expect(docs).toHaveLength(2);
    const dead = docs.find((d) => d['serverName'] === 'dead.example.org');
    expect(dead).toMatchObject({ federationOk: false, addresses: [{ connectionError: { code: 'TIMEOUT' } }] });
    expect(dead?.['error']).toBeUndefined();
    expect(docs.find((d) => d['serverName'] === 'bad_name!.example')).toMatchObject({
      federationOk: false,
      resolution: { error: { code: 'INVALID_SERVER_NAME' } },
    });
    expect(r.stderr).toMatch(/0 OK, 2 failing, 0 errors\b/);
  });

  it('all OK: exit 0; on a terminal, a progress bar on stderr with the total from the file', async () => {
    const r = await run(
      ['check', '--from', listFile('progress.txt', ['# one name', GOOD[0]!]), ...labCliFlags(lab, caFile)],
      { isTTY: { stderr: true } },
    );
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain('\r\x1b[2K');
    expect(r.stderr).toMatch(/\] 1\/1 +ok 1/);
    expect(r.stderr).toMatch(/checked 1 name in .*: 1 OK, 0 failing, 0 errors/);
  });
});
