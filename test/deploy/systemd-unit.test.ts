// deploy/matrix-delegation.service: systemd's own checker accepts it without a warning, and it keeps its hardening.
//
// `systemd-analyze verify` also checks that ExecStart's executable exists. The unit names the path an admin's
// `npm install --global --prefix /usr/local` creates (docs/deploy.md), which this machine need not have: the test
// verifies the unit, unchanged, inside a temporary root (--root) holding systemd's own units, the unit, and a stub
// executable at that path, so nothing outside the temporary directory is read for the unit or written.

import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNIT_NAME = 'matrix-delegation.service';
const UNIT = join(ROOT, 'deploy', UNIT_NAME);
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const SYSTEM_UNITS = '/usr/lib/systemd/system';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: 30_000, env: { ...process.env, SYSTEMD_LOG_COLOR: '0', SYSTEMD_PAGER: '' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`cannot run ${file}: ${String(error.code ?? error.signal)} ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** The unit's `[Service]` (etc.) settings: key -> every value given, in order. */
function settings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

let dir: string;
let unitText: string;
let unit: Map<string, string[]>;

beforeAll(() => {
  if (!existsSync(SYSTEMD_ANALYZE)) {
    throw new Error(
      `${SYSTEMD_ANALYZE} is missing: run \`bash scripts/setup-system.sh\` as root (it installs the systemd package)`,
    );
  }
  unitText = readFileSync(UNIT, 'utf8');
  unit = settings(unitText);
  dir = mkdtempSync(join(tmpdir(), 'md-unit-'));
  // systemd's own units (the targets this unit orders itself against), the unit, and stubs for its executables.
  cpSync(SYSTEM_UNITS, join(dir, SYSTEM_UNITS), { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(dir, 'etc', 'systemd', 'system'), { recursive: true });
  writeFileSync(join(dir, 'etc', 'systemd', 'system', UNIT_NAME), unitText);
  for (const key of ['ExecStart', 'ExecReload']) {
    const executable = (unit.get(key)?.[0] ?? '').split(/\s+/)[0]!.replace(/^[-@:+!]+/, '');
    expect(executable, key).toMatch(/^\//);
    mkdirSync(join(dir, dirname(executable)), { recursive: true });
    writeFileSync(join(dir, executable), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, executable), 0o755);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('deploy/matrix-delegation.service', () => {
  it('passes systemd-analyze verify with nothing to say', async () => {
    const r = await run(SYSTEMD_ANALYZE, ['verify', `--root=${dir}`, UNIT_NAME]);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs serve on /etc/matrix-delegation/config.yaml as an unprivileged user; reload is SIGHUP', () => {
    expect(unit.get('ExecStart')).toEqual([
      expect.stringMatching(/^\/\S*\/matrix-delegation serve --config \/etc\/matrix-delegation\/config\.yaml$/),
    ]);
    expect(unit.get('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
    const user = unit.get('User')?.[0];
    const dynamic = unit.get('DynamicUser')?.[0];
    expect(user !== undefined || dynamic === 'yes').toBe(true);
    expect(user).not.toMatch(/^(root|0)$/);
    expect(unit.get('Restart')).toEqual(['on-failure']);
    // docs/serve.md: exit 2 is a refused config, which a restart cannot fix.
    expect(unit.get('RestartPreventExitStatus')).toEqual(['2']);
    expect(unit.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('binds 443 with CAP_NET_BIND_SERVICE and nothing else, hardened (issue 14 §5)', () => {
    const expected: Record<string, string> = {
      AmbientCapabilities: 'CAP_NET_BIND_SERVICE',
      CapabilityBoundingSet: 'CAP_NET_BIND_SERVICE',
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      ProtectKernelTunables: 'yes',
      ProtectKernelModules: 'yes',
      ProtectKernelLogs: 'yes',
      ProtectControlGroups: 'yes',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
      RestrictNamespaces: 'yes',
      LockPersonality: 'yes',
      SystemCallArchitectures: 'native',
      SystemCallErrorNumber: 'EPERM',
    };
    for (const [key, value] of Object.entries(expected)) expect(unit.get(key), key).toEqual([value]);
    expect(unit.get('SystemCallFilter')?.[0]).toBe('@system-service');
    // V8 compiles code into pages it then makes executable, which MemoryDenyWriteExecute forbids: node aborts.
    expect(unit.has('MemoryDenyWriteExecute')).toBe(false);
    // In a private user namespace the capability would not reach the host's network namespace: 443 would fail.
    expect(unit.has('PrivateUsers')).toBe(false);
  });

  it("keeps systemd-analyze security's exposure rating at or below 2.0 (of 10; --threshold counts tenths)", async () => {
    const r = await run(SYSTEMD_ANALYZE, ['security', '--offline=true', `--root=${dir}`, '--threshold=20', UNIT_NAME]);
    expect(r.code, r.stderr).toBe(0);
  });
});
