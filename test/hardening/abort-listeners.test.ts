// No MaxListenersExceededWarning for many addresses or a large SRV set (issue 13, item 7): one abort listener per signal.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { createFederationClient } from '../../src/client/federation-client.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labCliFlags } from '../cli/run-cli.js';
import { freePorts, homeserverRoutes, labAllowNetworks } from '../diagnosis/homeserver.js';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** The executable under test, built by `npm run build` (`MD_CLI_MAIN` points the test at another build, e.g. an older one). */
const DIST_MAIN = process.env['MD_CLI_MAIN'] ?? join(ROOT, 'dist', 'cli', 'main.js');
/** Node's warning (events.defaultMaxListeners is 10 per EventTarget). */
const WARNING = 'MaxListenersExceededWarning';

/** The sizes: a name with 12 addresses, and an SRV set of 20 targets. */
const HOSTS = Array.from({ length: 12 }, (_, i) => `h${i}`);
const SRV_TARGETS = Array.from({ length: 20 }, (_, i) => `t${i}.targets.example.org`);

let lab: Lab;
let tempDir: string;
let caFile: string;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'many.example.org': { A: HOSTS },
      // The server name's own address answers nothing on the well-known port: the SRV set decides (step 4).
      'srv.example.org': { A: ['h0'] },
      ...Object.fromEntries(SRV_TARGETS.map((target, i) => [target, { A: [HOSTS[i % HOSTS.length] as string] }])),
    },
    hosts: Object.fromEntries(
      HOSTS.map((h) => [
        h,
        {
          port: 'federation' as const,
          certificates: [{ dnsNames: ['many.example.org', 'srv.example.org'] }],
          routes: homeserverRoutes({ serverNameFor: (host) => host }),
        },
      ]),
    ),
  });
  // The SRV port is the lab's federation port, known only once the lab runs.
  lab.dns.setName('_matrix-fed._tcp.srv.example.org', {
    SRV: SRV_TARGETS.map((target) => ({ priority: 0, weight: 10, port: lab.ports.federation, target })),
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-abort-listeners-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** The environment of a child process: this one's, without NODE_OPTIONS (the warning must show as it would for a user). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['NODE_OPTIONS'];
  return env;
}

/** Runs the built CLI with `--trace-warnings` and returns its exit code and output. */
function runBuilt(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--trace-warnings', DIST_MAIN, ...args], { cwd: ROOT, env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('in the library (process warnings)', () => {
  it('a check of 12 addresses, a check and a resolution through 20 SRV targets, and a request, each with a signal: no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const options = { ...lab.clientOptions(), allowNetworks: labAllowNetworks(lab) };
      // One signal for everything, as a server shutting down would use.
      const signal = new AbortController().signal;
      const [many, srv] = await Promise.all([
        checkServer('many.example.org', { ...options, signal }),
        checkServer('srv.example.org', { ...options, signal }),
      ]);
      expect(many.addresses.filter((a) => a.ok)).toHaveLength(HOSTS.length);
      expect(srv.addresses).toHaveLength(SRV_TARGETS.length);
      for (const overlap of [false, true]) {
        const resolution = await resolveServerName('srv.example.org', { ...options, overlap, signal });
        expect(resolution.targets).toHaveLength(SRV_TARGETS.length);
      }
      const client = createFederationClient(options);
      try {
        const responses = await Promise.all(
          Array.from({ length: 12 }, () =>
            client.fetch('many.example.org', '/_matrix/federation/v1/version', { signal }),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
      } finally {
        await client.close();
      }
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === WARNING).map((w) => `${w.message}\n${w.stack ?? ''}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('the built CLI (npm run build) as a process', () => {
  it.each([
    ['check', 'many.example.org', 0],
    ['check', 'srv.example.org', 0],
    ['resolve', 'srv.example.org', 0],
  ] as const)(`%s %s: no ${WARNING} on stderr`, async (command, name, exitCode) => {
    const r = await runBuilt([command, name, '--json', ...labCliFlags(lab, caFile, { timeoutMs: 20_000 })]);
    expect(r.stderr).not.toContain(WARNING);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(exitCode);
    expect(JSON.parse(r.stdout)).toMatchObject({ serverName: name });
  });
});

describe('serve as a process', () => {
  it('tester checks of those names: every stderr line is a JSON log line, none a warning', async () => {
    const [port] = await freePorts('127.0.0.1', 1);
    const configPath = join(tempDir, 'serve.yaml');
    writeFileSync(
      configPath,
      `server_name: example.org
delegation_target: matrix.example.org:443
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
tester:
  enabled: true
`,
    );
    const child = spawn(
      process.execPath,
      [
        '--trace-warnings',
        DIST_MAIN,
        'serve',
        '--config',
        configPath,
        ...labCliFlags(lab, caFile, { timeoutMs: 20_000 }),
      ],
      {
        cwd: ROOT,
        env: childEnv(),
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await expect.poll(() => stdout, { timeout: 20_000, interval: 50 }).toContain('serving on');
      for (const name of ['many.example.org', 'srv.example.org']) {
        const res = await fetch(`http://127.0.0.1:${port}/api/report?server_name=${name}`);
        expect(res.status, name).toBe(200);
        expect(((await res.json()) as { FederationOK?: unknown }).FederationOK, name).toBe(true);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stderr).not.toContain(WARNING);
      for (const line of stderr.split('\n').filter((l) => l !== ''))
        expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
