// The real executable, spawned as users run it (node + tsx on src/cli/main.ts): help, version, exit codes.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx src/cli/main.ts ...args`; resolves with the exit code whatever it is. */
function cli(args: readonly string[]): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { cwd: ROOT, timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`spawn failed (${String(error.code ?? error.signal)}): ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

let lab: Lab;
let tempDir: string;

beforeAll(async () => {
  lab = await startLab({
    zones: { 'direct.example.org': { A: ['direct'] } },
    hosts: { direct: { port: 'federation' } },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-bin-'));
  writeFileSync(join(tempDir, 'ca.pem'), lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('the matrix-delegation executable', () => {
  it.concurrent('--help exits 0 and lists resolve and request', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s*resolve\b/m);
    expect(r.stdout).toMatch(/^\s*request\b/m);
  });

  it.concurrent('--version prints the package.json version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
  });

  it.concurrent('resolve --json of a lab name exits 0 with parseable JSON naming the lab host', async () => {
    const r = await cli([
      'resolve',
      'direct.example.org',
      '--json',
      '--dns-server',
      lab.dns.server,
      '--allow-network',
      `${lab.address('direct')}/32`,
      '--ca-file',
      join(tempDir, 'ca.pem'),
      '--well-known-port',
      String(lab.ports.https),
      '--federation-port',
      String(lab.ports.federation),
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { serverName: string; targets: { step: string; ip: string; port: number }[] };
    expect(doc.serverName).toBe('direct.example.org');
    expect(doc.targets.map((t) => [t.step, t.ip, t.port])).toEqual([
      ['6', lab.address('direct'), lab.ports.federation],
    ]);
  });

  it.concurrent('an invalid server name exits 2 with INVALID_SERVER_NAME on stderr', async () => {
    const r = await cli(['resolve', 'not a server name']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error INVALID_SERVER_NAME: /m);
  });
});
