// The built executable (dist/cli/main.js) keeps the command-line conventions: FORCE_COLOR, unknown commands, --json.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest, LabResponse } from '../../src/testing/index.js';
import { labCliFlags } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/;
const GOOD = 'good.example.org';

/** The test runner's environment without the variables that decide colour. */
function withoutColourVariables(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS'].includes(k)),
  );
}

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI with pipes (so stdout is not a terminal) and an environment without the test runner's own
 * colour variables, plus `env`.
 */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILT, ...args],
      { cwd: ROOT, timeout: 30_000, env: { ...withoutColourVariables(), ...env } },
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

/** The same with stdout on a terminal: util-linux's `script` (Debian: bsdutils, Essential) gives it a pty. */
function cliOnTerminal(args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, BUILT, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qefc', command, '/dev/null'],
      { cwd: ROOT, timeout: 30_000, env: { ...withoutColourVariables(), ...env } },
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
let flags: string[];
const seed = generateEd25519Seed();

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm ci does it)`);
  const keys = (req: LabRequest): LabResponse => ({
    json: buildSignedKeyResponse({
      serverName: (req.host ?? '').replace(/:\d+$/, ''),
      keyId: 'ed25519:lab',
      seed,
      validUntilTs: Date.now() + 86_400_000,
    }),
  });
  lab = await startLab({
    zones: { [GOOD]: { A: ['good'] } },
    hosts: {
      good: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: 'LabSynapse', version: '9.9.9' } } },
          'GET /_matrix/key/v2/server': keys,
        },
      },
    },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-conventions-'));
  const caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
  flags = labCliFlags(lab, caFile);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe("FORCE_COLOR (Node's rule, doc/api/cli.md: 1, 2, 3, true or empty force colour and beat NO_COLOR; other values: none)", () => {
  const coloured = async (args: readonly string[], env: Record<string, string>, terminal = false): Promise<boolean> => {
    const r = await (terminal ? cliOnTerminal : cli)(['check', GOOD, ...args, ...flags], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(GOOD);
    return ANSI.test(r.stdout);
  };

  it.concurrent('FORCE_COLOR=1 colours the text on a pipe; --no-color still wins', async () => {
    expect(await coloured([], {})).toBe(false); // the control: a pipe gets no colour
    expect(await coloured([], { FORCE_COLOR: '1' })).toBe(true);
    expect(await coloured(['--no-color'], { FORCE_COLOR: '1' })).toBe(false);
  });

  it.concurrent.each(['', '3', 'true'])('FORCE_COLOR=%j colours the text on a pipe too', async (value) => {
    expect(await coloured([], { FORCE_COLOR: value })).toBe(true);
  });

  it.concurrent('FORCE_COLOR=1 beats NO_COLOR', async () => {
    expect(await coloured([], { NO_COLOR: '1' })).toBe(false);
    expect(await coloured([], { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it.concurrent('FORCE_COLOR=0 (and false) turns colour off even on a terminal; --color still wins', async () => {
    expect(await coloured([], {}, true)).toBe(true); // the control: a terminal gets colour
    expect(await coloured([], { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(await coloured([], { FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(await coloured(['--color'], { FORCE_COLOR: '0' })).toBe(true);
  });
});

describe('an unknown command', () => {
  it.concurrent(
    'is named as one, exit 2 (usage), not "too many arguments"; no command at all still prints the help',
    async () => {
      const help = await cli([]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: matrix-delegation/);
      expect(help.stdout).toMatch(/^\s*check\b/m);
      const r = await cli(['frobnicate']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("unknown command 'frobnicate'");
      expect(r.stderr).not.toMatch(/too many arguments/);
      expect(r.stdout).toBe('');
    },
  );

  it.concurrent('close to a real one gets a did-you-mean', async () => {
    const resolve = await cli(['resolv', 'example.org']);
    expect(resolve.code).toBe(2);
    expect(resolve.stderr).toContain("unknown command 'resolv'");
    expect(resolve.stderr).toMatch(/did you mean resolve\?/i);
    const check = await cli(['chek', 'example.org']);
    expect(check.stderr).toMatch(/did you mean check\?/i);
  });
});

describe('check --json beside --format', () => {
  it.concurrent(
    "--json --format federation-tester is accepted: the tester's JSON (ground-truth §5); --json --format text is not",
    async () => {
      const r = await cli(['check', GOOD, '--json', '--format', 'federation-tester', ...flags]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(doc['FederationOK']).toBe(true);
      expect(doc).toHaveProperty('WellKnownResult');
      expect(doc).toHaveProperty('ConnectionReports');
      // --format text is no JSON: beside --json it stays a contradiction, a usage error.
      const text = await cli(['check', GOOD, '--json', '--format', 'text', ...flags]);
      expect(text.code).toBe(2);
      expect(text.stderr).toMatch(/^error INVALID_ARGUMENT: /m);
      expect(text.stdout).toBe('');
    },
  );

  it.concurrent("--json --format federation-tester with --from: JSON Lines in the tester's form", async () => {
    const list = join(tempDir, 'names.txt');
    writeFileSync(list, `${GOOD}\n`);
    const r = await cli(['check', '--from', list, '--json', '--format', 'federation-tester', ...flags]);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ ServerName: GOOD, FederationOK: true });
  });
});
