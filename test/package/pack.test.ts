// The package as another project gets it: packed, installed in an empty directory (offline), run, imported and compiled against.

import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
/** The entry points issue #14 asks for, besides the root. */
const SUBPATHS = ['resolver', 'client', 'checker', 'server', 'testing'] as const;
/** A function each entry point must export (the main entry of that part). */
const ENTRY_FUNCTION: Record<string, string> = {
  'matrix-delegation': 'resolveServerName',
  'matrix-delegation/resolver': 'resolveServerName',
  'matrix-delegation/client': 'createFederationClient',
  'matrix-delegation/checker': 'checkServer',
  'matrix-delegation/server': 'startServer',
  'matrix-delegation/testing': 'startLab',
};
const SPECIFIERS = Object.keys(ENTRY_FUNCTION);
/** Spec, server-server API "Resolving server names", step 1: an IP literal with a port is used as it is. */
const STEP_1 = [
  { step: '1', ip: '1.2.3.4', port: 8448, hostHeader: '1.2.3.4:8448', tlsServerName: '1.2.3.4', sni: null },
];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end (never rejects for a non-zero exit: the tests look at the code). */
function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // No colour, and npm told to stay offline whatever the test runner's environment says.
    const env = {
      ...process.env,
      NO_COLOR: '1',
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    execFile(file, [...args], { cwd, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')} could not run (${String(error.code ?? error.signal)}): ${stderr}`));
        return;
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

const node = (args: readonly string[], cwd: string): Promise<Run> => run(process.execPath, args, cwd);

/** GET over plain HTTP: status, content type and body. */
function get(url: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

let work: string;
let consumer: string;
let tarball: string;
let packed: readonly string[];

/**
 * The consumer's lockfile: the tarball, and for its dependencies exactly the versions, addresses and checksums of
 * this project's own lockfile (its entries that are not development-only), so that `npm ci --offline` installs
 * everything from the cache `npm ci` filled for this project, and no test touches the registry.
 */
function consumerLock(tarballName: string): unknown {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; link?: boolean }>;
  };
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(work, tarballName)))
    .digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [PACKAGE.name]: `file:../${tarballName}` } },
    [`node_modules/${PACKAGE.name}`]: {
      version: PACKAGE.version,
      resolved: `file:../${tarballName}`,
      integrity,
      license: PACKAGE.license,
      dependencies: PACKAGE.dependencies,
      bin: PACKAGE.bin,
      engines: PACKAGE.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith('node_modules/') && entry.dev !== true && entry.link !== true) packages[path] = entry;
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` first (npm ci does it)');
  work = mkdtempSync(join(tmpdir(), 'md-pack-'));
  // The package as published: `npm pack` with the build already in dist/ (its prepare script would build again).
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = info!.filename;
  packed = info!.files.map((f) => f.path);
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      version: '1.0.0',
      private: true,
      dependencies: { [PACKAGE.name]: `file:../${tarball}` },
    }),
  );
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball)));
  const install = await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
  expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('carries the licence, the build and what the exports and the bin name, and no source map without its source', () => {
    expect(Object.keys(PACKAGE.exports)).toEqual(expect.arrayContaining(['.', ...SUBPATHS.map((sub) => `./${sub}`)]));
    expect(packed).toContain('LICENSE');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    const targets = [
      ...Object.values(PACKAGE.bin),
      ...Object.values(PACKAGE.exports).flatMap((entry) =>
        typeof entry === 'string' ? [entry] : Object.values(entry),
      ),
    ].map((path) => path.replace(/^\.\//, ''));
    expect(targets.filter((path) => !packed.includes(path))).toEqual([]);
    // A map is only worth shipping with the sources it points at.
    if (!packed.some((path) => path.startsWith('src/')))
      expect(packed.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('names its repository, home page and issue tracker', () => {
    const pkg = JSON.parse(
      readFileSync(join(consumer, 'node_modules', PACKAGE.name, 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(pkg['repository']).toBeTruthy();
    expect(pkg['homepage']).toBeTruthy();
    expect(pkg['bugs']).toBeTruthy();
  });
});

describe('installed in an empty project', () => {
  it('the bin runs: --version, and resolve of an IP literal (spec step 1)', async () => {
    const version = await run('npx', ['--no', '--', PACKAGE.name, '--version'], consumer);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(PACKAGE.version);
    const resolved = await run('npx', ['--no', '--', PACKAGE.name, 'resolve', '1.2.3.4:8448', '--json'], consumer);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect((JSON.parse(resolved.stdout) as { targets: unknown }).targets).toEqual(STEP_1);
  });

  it('serve from the installed package answers the well-known document and the tester page (its files found from the bundle)', async () => {
    const port = await freePort();
    const config = join(consumer, 'serve.yaml');
    writeFileSync(
      config,
      `server_name: example.org\ndelegation_target: matrix.example.org:443\nlisteners:\n  - port: ${port}\n    bind_addresses: ['127.0.0.1']\ntester:\n  enabled: true\n`,
    );
    const child = spawn(
      process.execPath,
      [join(consumer, 'node_modules', '.bin', PACKAGE.name), 'serve', '--config', config],
      { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`serve did not start within 20 s: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('serving on')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${String(code)}: ${out}`)));
      });
      const wellKnown = await get(`http://127.0.0.1:${port}/.well-known/matrix/server`);
      expect([wellKnown.status, JSON.parse(wellKnown.body)]).toEqual([200, { 'm.server': 'matrix.example.org:443' }]);
      const page = await get(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^text\/html/);
      expect(page.body).toContain(readFileSync(join(ROOT, 'web', 'index.html'), 'utf8').slice(0, 200));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('every entry point imports from an ES module, and the resolver works', async () => {
    const script = `
      const out = {};
      for (const specifier of ${JSON.stringify(SPECIFIERS)}) out[specifier] = Object.entries(await import(specifier)).filter(([, v]) => typeof v === 'function').map(([k]) => k);
      const { resolveServerName } = await import('${PACKAGE.name}/resolver');
      out.targets = (await resolveServerName('1.2.3.4:8448')).targets.map(({ step, ip, port, hostHeader, tlsServerName, sni }) => ({ step, ip, port, hostHeader, tlsServerName, sni }));
      console.log(JSON.stringify(out));`;
    const r = await node(['--input-type=module', '-e', script], consumer);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, string[]> & { targets: unknown };
    for (const specifier of SPECIFIERS) expect(out[specifier], specifier).toContain(ENTRY_FUNCTION[specifier]);
    expect(out.targets).toEqual(STEP_1);
  });

  it('every entry point requires from CommonJS (Node >= 20.19), one module instance whichever way it is loaded', async () => {
    const script = `
      const out = {};
      for (const specifier of ${JSON.stringify(SPECIFIERS)}) out[specifier] = Object.entries(require(specifier)).filter(([, v]) => typeof v === 'function').map(([k]) => k);
      out.sameError = require('${PACKAGE.name}/client').MatrixDelegationError === require('${PACKAGE.name}').MatrixDelegationError;
      import('${PACKAGE.name}/resolver').then((m) => {
        out.sameAsImport = m.resolveServerName === require('${PACKAGE.name}/resolver').resolveServerName;
        console.log(JSON.stringify(out));
      });`;
    const r = await node(['-e', script], consumer);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const specifier of SPECIFIERS) expect(out[specifier], specifier).toContain(ENTRY_FUNCTION[specifier]);
    expect([out['sameError'], out['sameAsImport']]).toEqual([true, true]);
  });

  it('a TypeScript consumer (module nodenext, ES module and CommonJS files) compiles against the types', async () => {
    writeFileSync(
      join(consumer, 'consumer.mts'),
      `import { resolveServerName, MatrixDelegationError } from 'matrix-delegation/resolver';
import type { ResolveResult, ResolvedTarget } from 'matrix-delegation/resolver';
import { createFederationClient } from 'matrix-delegation/client';
import type { FederationClientOptions } from 'matrix-delegation/client';
import { checkServer } from 'matrix-delegation/checker';
import type { CheckReport } from 'matrix-delegation/checker';
import { startServer } from 'matrix-delegation/server';
import { startLab } from 'matrix-delegation/testing';
import type { Lab } from 'matrix-delegation/testing';
import * as everything from 'matrix-delegation';

const result: ResolveResult = await resolveServerName('1.2.3.4:8448');
const first: ResolvedTarget | undefined = result.targets[0];
const port: number | undefined = first?.port;
const options: FederationClientOptions = { timeoutMs: 1000 };
const report: CheckReport | undefined = undefined;
const lab: Lab | undefined = undefined;
export const used = [port, options, report, lab, createFederationClient, checkServer, startServer, startLab, everything.resolveServerName, MatrixDelegationError];
`,
    );
    writeFileSync(
      join(consumer, 'consumer.cts'),
      `import resolver = require('matrix-delegation/resolver');
import root = require('matrix-delegation');
const same: boolean = resolver.MatrixDelegationError === root.MatrixDelegationError;
void resolver.resolveServerName('1.2.3.4:8448').then((r) => console.log(r.targets[0]?.port, same));
`,
    );
    // Strict, and the package's own declaration files checked too (skipLibCheck off): what they import must resolve.
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['consumer.mts', 'consumer.cts'],
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = await node([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
  });
});
