// Issue 13, item 2: remote strings with terminal escapes (title, screen clear, OSC 8 links, a fake "PASS" line, bidi
// overrides) never reach the terminal raw from the built CLI's check, plan and resolve, with or without colour.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest } from '../../src/testing/index.js';
import { labCliFlags } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');
const EVIL = 'evil.example.org';
/** A name whose only address is the hostile homeserver, for plan's probe of server_name:8448. */
const DIRECT = 'direct.evil.example.org';

/** What a hostile server sends (issue 13): a terminal title, a fake verdict line, a screen clear, a hyperlink, bidi. */
const TITLE = '\x1b]0;pwned\x07';
const FAKE_PASS = '1.0\r\nPASS  Federation works.';
const CLEAR = '\x1b[2J';
const HYPERLINK = '\x1b]8;;https://attacker.invalid/\x07click here\x1b]8;;\x07';
const BIDI = '\u202egnp.exe';
const CSI_C1 = '\u009b31m';

// Our own colour codes only: SGR, ESC [ digits m.
// eslint-disable-next-line no-control-regex
const OUR_SGR = /\x1b\[[0-9;]*m/g;
/** Anything a terminal acts on or hides: C0 but LF, DEL, C1, bidi embeddings/overrides/isolates, line separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const seed = generateEd25519Seed();
let lab: Lab;
let tempDir: string;
let flags: string[];

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
  lab = await startLab({
    // The name's host serves the documents (web) and the federation API (evil).
    zones: { [EVIL]: { A: ['evil', 'web'] }, [DIRECT]: { A: ['evil'] } },
    hosts: {
      evil: {
        port: 'federation',
        certificates: [{ dnsNames: [EVIL, DIRECT] }],
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: `${TITLE}${CSI_C1}`, version: FAKE_PASS } } },
          // Signed by a key whose id is outside the spec's grammar, and carries an escape.
          'GET /_matrix/key/v2/server': (req: LabRequest) => ({
            json: buildSignedKeyResponse({
              serverName: (req.host ?? '').replace(/:\d+$/, ''),
              keyId: `ed25519:a${CLEAR}`,
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
        },
      },
      web: {
        routes: {
          'GET /.well-known/matrix/server': { json: { 'm.server': `evil${CLEAR}${BIDI}.example.org:8448` } },
          'GET /.well-known/matrix/client': {
            json: {
              'm.homeserver': { base_url: `https://matrix.${EVIL}/${CLEAR}` },
              'm.identity_server': { base_url: `https://id.${EVIL}/${HYPERLINK}` },
              [`org.example.${BIDI}`]: true,
            },
          },
          'GET /.well-known/matrix/support': {
            json: {
              contacts: [
                { role: 'm.role.admin', matrix_id: `@admin${CLEAR}:${EVIL}`, email_address: `admin${CSI_C1}@${EVIL}` },
              ],
              support_page: `https://${EVIL}/${BIDI}${TITLE}`,
            },
          },
        },
      },
    },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-escapes-'));
  writeFileSync(join(tempDir, 'ca.pem'), lab.caCertPem);
  flags = labCliFlags(lab, join(tempDir, 'ca.pem'), { timeoutMs: 10_000 });
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI with pipes, and an environment whose only colour variable is `env`'s. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS'].includes(k)),
  );
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILT, ...args],
      { cwd: ROOT, timeout: 60_000, env: { ...base, ...env }, maxBuffer: 16 * 1024 * 1024 },
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

/** The output holds no control, C1 or bidi character besides line feeds and our own SGR colour codes. */
function expectTerminalSafe(text: string): void {
  const withoutOurColours = text.replace(OUR_SGR, '');
  const found = UNSAFE.exec(withoutOurColours);
  expect(
    found === null
      ? null
      : `U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${JSON.stringify(withoutOurColours.slice(Math.max(0, found.index - 40), found.index + 20))}`,
  ).toBeNull();
  // No line of remote text can pass for our verdict line.
  expect(withoutOurColours).not.toMatch(/^PASS {2}Federation works\./m);
}

describe('check, text output', () => {
  it.each([
    ['--no-color', [] as string[], {}],
    ['--color', ['--color'], {}],
    ['FORCE_COLOR=1', [] as string[], { FORCE_COLOR: '1' }],
  ])('%s: every remote string is escaped, shown visibly', async (_label, extra, env) => {
    const run = await cli(['check', EVIL, ...flags, ...extra], env);
    expect(run.stdout).toContain(`Federation check of ${EVIL}`);
    expectTerminalSafe(run.stdout);
    expectTerminalSafe(run.stderr);
    const plain = run.stdout.replace(OUR_SGR, '');
    // The escapes, visible (issue 13: "shown visibly, e.g. \x1b").
    expect(plain).toContain('\\x1b]0;pwned\\x07');
    expect(plain).toContain('1.0\\r\\nPASS  Federation works.');
    expect(plain).toContain('\\x1b[2J');
    expect(plain).toContain('\\u202e');
    if (extra.length > 0 || Object.keys(env).length > 0) expect(run.stdout).toMatch(OUR_SGR);
  });

  it('the key id outside [a-zA-Z0-9_] makes the keys invalid (spec: server-server API "Retrieving server keys")', async () => {
    const run = await cli(['check', EVIL, ...flags, '--json']);
    const report = JSON.parse(run.stdout) as {
      addresses: { keys: { ok: boolean; problems: { code: string }[] } | null }[];
    };
    // The web host's address has no federation listener: only the homeserver's address answered the key request.
    const keys = report.addresses.flatMap((a) => (a.keys === null ? [] : [a.keys]));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k.ok).toBe(false);
      expect(k.problems.map((p) => p.code)).toContain('KEYS_BAD_KEY_ID');
    }
  });
});

describe('check, JSON outputs', () => {
  it.each([['--json'], ['--format', 'federation-tester']])(
    '%s stays JSON and holds no raw control, C1 or bidi character',
    async (...format) => {
      const run = await cli(['check', EVIL, ...flags, ...format]);
      expectTerminalSafe(run.stdout);
      const parsed = JSON.parse(run.stdout) as unknown;
      // The same data once parsed: the escapes are JSON's own.
      expect(JSON.stringify(parsed)).toContain(JSON.stringify(TITLE).slice(1, -1));
    },
  );
});

describe('plan and resolve', () => {
  it("plan: the probe's findings (the version the server names) are escaped", async () => {
    const run = await cli(['plan', '--server-name', DIRECT, '--homeserver', `https://matrix.${EVIL}`, ...flags]);
    expect(run.stdout).toContain(`Delegation plan for ${DIRECT}`);
    expectTerminalSafe(run.stdout);
    expectTerminalSafe(run.stderr);
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
  });

  it('resolve: the m.server value quoted in the steps is escaped', async () => {
    const run = await cli(['resolve', EVIL, ...flags]);
    expectTerminalSafe(run.stdout);
    expectTerminalSafe(run.stderr);
    expect(run.stdout).toContain('evil\\x1b[2J\\u202egnp.exe.example.org');
  });
});
