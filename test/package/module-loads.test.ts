// What the built CLI and the package's entry points load: a command or an entry loads only the code its path uses.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labCliFlags } from '../cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');
const RECORDER = join(ROOT, 'test', 'package', 'record-loads.mjs');

/** The optional or heavy packages a path must not load unless it needs them (issue #14, "an instant CLI"). */
const HEAVY = ['undici', 'pino', 'yaml', 'prom-client', '@peculiar/x509', 'ioredis', 'reflect-metadata'] as const;

/** What one process loaded. */
interface Loads {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module file, relative to the repository. */
  readonly files: readonly string[];
  /** Every package of node_modules whose code ran from its own files or from a loaded CLI chunk that bundles it. */
  readonly packages: ReadonlySet<string>;
  /** Node's public built-in modules that were loaded, as `node:<name>`. */
  readonly builtins: ReadonlySet<string>;
}

let tempDir: string;

/** The package a node_modules path belongs to (`@scope/name` or `name`). */
function packageOf(path: string): string | null {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match?.[1] ?? null;
}

/**
 * Runs `node [args]` with the load recorder, and lists what it loaded. A CLI chunk carries bundled packages as
 * `// node_modules/<package>/...` markers (esbuild writes one before each bundled module): a loaded chunk counts as
 * loading every package it bundles.
 */
function loads(args: readonly string[], env: Record<string, string> = {}): Promise<Loads> {
  const out = join(tempDir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RECORDER, ...args],
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, NO_COLOR: '1', MD_RECORD_LOADS: out, ...env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`spawn failed (${String(error.code ?? error.signal)}): ${stderr}`));
          return;
        }
        const paths = [
          ...new Set(
            readFileSync(out, 'utf8')
              .split('\n')
              .filter((line) => line !== ''),
          ),
        ].map((line) => (line.startsWith('file://') ? fileURLToPath(line) : line));
        const builtins = new Set(paths.filter((p) => p.startsWith('node:')));
        const packages = new Set<string>();
        for (const path of paths) {
          const own = packageOf(path);
          if (own !== null) packages.add(own);
          if (path.startsWith(join(ROOT, 'dist', 'cli'))) {
            for (const marker of readFileSync(path, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm))
              packages.add(marker[1]!);
          }
        }
        resolve({
          code: error ? (error.code as number) : 0,
          stdout,
          stderr,
          files: paths.filter((p) => !p.startsWith('node:')).map((p) => relative(ROOT, p)),
          builtins,
          packages,
        });
      },
    );
  });
}

const loaded = (result: Loads, names: readonly string[]): string[] => names.filter((name) => result.packages.has(name));

let lab: Lab;
let flags: string[];

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm ci does it)`);
  tempDir = mkdtempSync(join(tmpdir(), 'md-loads-'));
  const started: Lab = await startLab({
    zones: { 'loads.example.org': { A: ['fed'] }, 'delegating.example.org': { A: ['web'] } },
    hosts: {
      fed: {
        port: 'federation',
        routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'Lab', version: '1' } } } },
      },
      web: {
        routes: {
          'GET /.well-known/matrix/server': () => ({
            json: { 'm.server': `loads.example.org:${started.ports.federation}` },
          }),
        },
      },
    },
  });
  lab = started;
  const caFile = join(tempDir, 'ca.pem');
  writeFileSync(caFile, lab.caCertPem);
  flags = labCliFlags(lab, caFile);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('the built CLI loads only what a command uses', () => {
  it('resolve of an IP literal (step 1, no network) loads none of the heavy packages', async () => {
    const r = await loads([BUILT, 'resolve', '1.2.3.4:8448', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(loaded(r, HEAVY)).toEqual([]);
    // Nor the DNS client and its message codec: an IP literal asks no DNS (createLazyDnsClient).
    expect(loaded(r, ['dns-packet'])).toEqual([]);
  });

  it('resolve of a name that delegates through its well-known loads the HTTP client and nothing else heavy', async () => {
    const r = await loads([BUILT, 'resolve', 'delegating.example.org', '--json', ...flags]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { wellKnown: { status: string }; targets: { step: string }[] };
    // Spec step 3.2: m.server with an explicit port, so the bundled client did fetch the document.
    expect([result.wellKnown.status, result.targets.map((t) => t.step)]).toEqual(['delegated', ['3.2']]);
    expect(loaded(r, HEAVY)).toEqual(['undici']);
    expect(loaded(r, ['dns-packet'])).toEqual(['dns-packet']);
  });

  it('--version and the root help load none of them, not even the command-line parser', async () => {
    for (const args of [['--version'], ['--help'], ['-h'], []]) {
      const r = await loads([BUILT, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(loaded(r, [...HEAVY, 'commander']), args.join(' ')).toEqual([]);
    }
    // `help` is the same text through commander (test/cli/root-help.test.ts): the parser is seen when it is loaded.
    const help = await loads([BUILT, 'help']);
    expect(help.code, help.stderr).toBe(0);
    expect(loaded(help, [...HEAVY, 'commander'])).toEqual(['commander']);
  });

  it('check loads the HTTP client it needs (which shows that bundled packages are seen), and no server, log, metrics, YAML or certificate library', async () => {
    const r = await loads([BUILT, 'check', 'loads.example.org', '--json', ...flags]);
    // Federation does not work (the lab host has no keys), but the bundled HTTP client did its job: the version.
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as { addresses: { version: { name: string | null } | null }[] };
    expect(report.addresses.map((a) => a.version?.name)).toEqual(['Lab']);
    expect(loaded(r, HEAVY)).toEqual(['undici']);
  });

  it('config with TLS files that are not on this machine loads no certificate library and installs no Reflect polyfill', async () => {
    const r = await loads([BUILT, 'config', 'nginx', '--from', join(ROOT, 'examples', 'well-known-delegation.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(loaded(r, ['@peculiar/x509', 'reflect-metadata', 'undici', 'pino', 'prom-client', 'ioredis'])).toEqual([]);
  });
});

describe('the package entry points', () => {
  it('matrix-delegation/resolver loads no server, checker, diagnosis, report, logging, metrics or HTTP client code', async () => {
    const r = await loads(['--input-type=module', '-e', "await import('matrix-delegation/resolver')"]);
    expect(r.code, r.stderr).toBe(0);
    const layers = new Set(r.files.filter((f) => f.startsWith('dist/')).map((f) => f.split('/')[1]));
    expect(
      [...layers].filter((layer) =>
        [
          'server',
          'config',
          'checker',
          'diagnosis',
          'report',
          'client',
          'cli',
          'plan',
          'proxy-config',
          'keys',
        ].includes(layer!),
      ),
    ).toEqual([]);
    expect(loaded(r, HEAVY)).toEqual([]);
    // Nor the catalogues' completeness checks (tests use them): the resolver's texts import i18n's modules directly.
    expect(r.files.filter((f) => f === 'dist/i18n/completeness.js' || f === 'dist/i18n/index.js')).toEqual([]);
    // Nor Node's modules for the work a resolution does, not its import: they are taken at the call. (node:net is not
    // in the list: a child whose stderr is a pipe loads it to write the loader's warning.)
    const atTheCall = ['node:crypto', 'node:zlib', 'node:dgram', 'node:tls', 'node:fs/promises'];
    expect(atTheCall.filter((m) => r.builtins.has(m))).toEqual([]);
  });

  it('nothing outside the lab imports reflect-metadata or @peculiar/x509 (the server never installs a global Reflect polyfill)', () => {
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('testing/'),
    );
    const importers = sources.filter((f) =>
      /['"](reflect-metadata|@peculiar\/x509)['"]/.test(readFileSync(join(ROOT, 'src', f), 'utf8')),
    );
    expect(importers).toEqual([]);
  });

  it('ioredis loads only when a Redis store is made', async () => {
    const without = await loads([
      '--input-type=module',
      '-e',
      "const m = await import('matrix-delegation'); m.createMemoryStore();",
    ]);
    expect(without.code, without.stderr).toBe(0);
    expect(loaded(without, ['ioredis'])).toEqual([]);
    // Nothing listens on port 9 of this address: the store is made (and loads the client) but never connects.
    const withRedis = await loads([
      '--input-type=module',
      '-e',
      "const m = await import('matrix-delegation'); const s = m.createRedisStore({ url: 'redis://127.0.0.1:9', connectTimeoutMs: 200 }); await s.close?.();",
    ]);
    expect(withRedis.code, withRedis.stderr).toBe(0);
    expect(loaded(withRedis, ['ioredis'])).toEqual(['ioredis']);
  });
});
