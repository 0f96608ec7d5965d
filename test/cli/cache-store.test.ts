// resolve and request with --cache-store: answers shared through a real redis-server between runs, a bad URL, Redis down.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/testing/index.js';
import { startRedisServer } from '../cache/redis-server.js';
import type { TestRedisServer } from '../cache/redis-server.js';
import { startDelegatingLab } from '../support/delegating-lab.js';
import { labCliFlags, runCapture as run } from './run-cli.js';

let lab: Lab;
let redis: TestRedisServer;
let tempDir: string;
let caFile: string;

beforeAll(async () => {
  [lab, redis] = await Promise.all([
    // Each test its own name, so that one test's answers in Redis cannot make another's first run a hit.
    startDelegatingLab(['text.example.com', 'json.example.com', 'request.example.com', 'down.example.com'], {
      routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'Lab', version: '1' } } } },
    }),
    startRedisServer(),
  ]);
  tempDir = mkdtempSync(join(tmpdir(), 'md-cli-cache-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await Promise.all([lab?.close(), redis?.kill()]);
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Lines of a --trace text account that carry a cache note. */
const cacheNotes = (text: string): string[] =>
  text.split('\n').filter((line) => /\[(cache hit|stale cache hit|fetched)[^\]]*\]/.test(line));

interface JsonTraceEntry {
  readonly step: string;
  readonly query?: string;
  readonly cache?: { hit: boolean; ageMs: number };
}

describe('resolve --cache-store with a running Redis', () => {
  it('a second run answers from what the first stored: "cache hit, N old" and no DNS question, no well-known fetch', async () => {
    const web = lab.hosts['web']!;
    web.resetCounters();
    const argv = ['resolve', 'text.example.com', '--trace', '--cache-store', redis.url, ...labCliFlags(lab, caFile)];

    const first = await run(argv);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(lab.address('synapse'));
    const firstNotes = cacheNotes(first.stdout);
    expect(firstNotes.length).toBeGreaterThan(0);
    for (const line of firstNotes) expect(line).toMatch(/\[fetched, cached \d+ (ms|s|min|h|d)\]/);
    expect(web.requestCount).toBe(1);

    const questions = lab.dns.queries.length;
    const second = await run(argv);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(lab.address('synapse'));
    const secondNotes = cacheNotes(second.stdout);
    expect(secondNotes).toHaveLength(firstNotes.length);
    for (const line of secondNotes) expect(line).toMatch(/\[cache hit, \d+ (ms|s) old\]/);
    expect(second.stdout).not.toContain('fetched');
    // Everything came from Redis (each run has a cache of its own): the lab saw nothing new.
    expect(lab.dns.queries.length).toBe(questions);
    expect(web.requestCount).toBe(1);
  });

  it('--json --trace: the first run carries cache.hit false, the second cache.hit true with an age', async () => {
    const argv = [
      'resolve',
      'json.example.com',
      '--json',
      '--trace',
      '--cache-store',
      redis.url,
      ...labCliFlags(lab, caFile),
    ];
    const lookups = (stdout: string): JsonTraceEntry[] =>
      ((JSON.parse(stdout) as { trace: JsonTraceEntry[] }).trace ?? []).filter((e) => e.query !== undefined);

    const first = await run(argv);
    expect(first.code).toBe(0);
    const cold = lookups(first.stdout);
    expect(cold.map((e) => e.step)).toContain('3');
    for (const entry of cold) expect(entry.cache).toMatchObject({ hit: false, ageMs: 0 });

    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await run(argv);
    expect(second.code).toBe(0);
    const warm = lookups(second.stdout);
    expect(warm.map((e) => e.step)).toEqual(cold.map((e) => e.step));
    for (const entry of warm) {
      expect(entry.cache?.hit).toBe(true);
      expect(entry.cache?.ageMs).toBeGreaterThanOrEqual(30);
    }
    expect((JSON.parse(second.stdout) as { targets: unknown }).targets).toEqual(
      (JSON.parse(first.stdout) as { targets: unknown }).targets,
    );
  });

  it('request fills the shared cache too: a resolve afterwards asks nothing', async () => {
    const first = await run([
      'request',
      'request.example.com',
      '/_matrix/federation/v1/version',
      '--cache-store',
      redis.url,
      ...labCliFlags(lab, caFile),
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ server: { name: 'Lab', version: '1' } });

    const questions = lab.dns.queries.length;
    const second = await run([
      'resolve',
      'request.example.com',
      '--trace',
      '--cache-store',
      redis.url,
      ...labCliFlags(lab, caFile),
    ]);
    expect(second.code).toBe(0);
    expect(cacheNotes(second.stdout).length).toBeGreaterThan(0);
    for (const line of cacheNotes(second.stdout)) expect(line).toMatch(/\[cache hit, /);
    expect(lab.dns.queries.length).toBe(questions);
  });
});

describe('resolve --cache-store when Redis is down', () => {
  it('still resolves (exit 0, the targets), with one warning line, promptly', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const r = await run(['resolve', 'down.example.com', '--trace', '--cache-store', url, ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(lab.address('synapse'));
    // Answers went to the local cache instead.
    expect(r.stdout).toMatch(/\[fetched, cached /);
    const lines = r.stderr.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: .*Redis.*unavailable/);
    expect(lines[0]).toContain(url);
    // The store's connect timeout is 1 s; a refused connection needs far less, and nothing is left to wait for.
    expect(r.ms).toBeLessThan(3000);
  });

  it('request still answers too', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const r = await run([
      'request',
      'down.example.com',
      '/_matrix/federation/v1/version',
      '--cache-store',
      url,
      ...labCliFlags(lab, caFile),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ server: { name: 'Lab', version: '1' } });
    expect(r.stderr).toMatch(/^warning: /);
  });
});

describe('--cache-store usage errors', () => {
  it.each([
    ['http://127.0.0.1:6379'],
    ['127.0.0.1:6379'],
    ['redis://'],
    ['redis://127.0.0.1:6379/not-a-db'],
    ['memory'],
  ])('%s: exit 2 with INVALID_ARGUMENT naming the flag, nothing asked', async (value) => {
    const questions = lab.dns.queries.length;
    for (const command of [
      ['resolve', 'text.example.com'],
      ['request', 'text.example.com', '/x'],
    ]) {
      const r = await run([...command, '--cache-store', value, ...labCliFlags(lab, caFile)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: .*--cache-store/m);
      expect(r.stdout).toBe('');
    }
    expect(lab.dns.queries.length).toBe(questions);
  });

  it('check does not take the flag: refused as an unknown option (exit 2)', async () => {
    const r = await run(['check', 'text.example.com', '--cache-store', redis.url, ...labCliFlags(lab, caFile)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: unknown option '--cache-store'/m);
  });
});
