// scripts/setup-system.sh (npm's "pretest"): what it finds missing, what it tells a non-root user, what it runs as root.
// Hermetic: a temporary root holds the files it looks for (SETUP_SYSTEM_ROOT), PATH holds only a stub apt-get
// that records its calls, and the "root" and "not root" runs are real uid changes (setpriv / a user namespace).

import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEB_SERVER_TARGETS, serverCommands } from '../../src/proxy-config/index.js';
import { REDIS_SERVER_BINARY } from '../cache/redis-server.js';
import { SIGNEDJSON_MODULE } from '../client/signedjson.js';
import { PROMTOOL_BINARY } from '../monitor/promtool.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'setup-system.sh');

/**
 * Each Debian package the tests need (issue 14 §1), and the file whose presence the tests rely on. The paths are the
 * ones the tests themselves use: test/web/chromium.ts, test/proxy-config/server-process.ts (via serverCommands),
 * test/cache/redis-server.ts, test/deploy/systemd-unit.test.ts, test/client/signedjson.ts, test/monitor/promtool.ts.
 */
const NEEDS: Readonly<Record<string, string>> = {
  chromium: '/usr/bin/chromium',
  'fonts-dejavu-core': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  ...Object.fromEntries(
    WEB_SERVER_TARGETS.map((target) => {
      const commands = serverCommands(target, 'unused');
      return [commands.debianPackage, commands.debianPath];
    }),
  ),
  'redis-server': REDIS_SERVER_BINARY,
  systemd: '/usr/bin/systemd-analyze',
  'python3-signedjson': SIGNEDJSON_MODULE,
  prometheus: PROMTOOL_BINARY,
};
const BENCH_NEEDS: Readonly<Record<string, string>> = { wrk: '/usr/bin/wrk' };

/** Where coreutils' `tool` is (/usr/bin on a merged-/usr system, /bin otherwise). */
function realTool(tool: string): string {
  const found = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((path) => existsSync(path));
  if (found === undefined) throw new Error(`${tool} not found in /usr/bin or /bin`);
  return found;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;
let fakeRoot: string;
let bin: string;
let calls: string;
let script: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-setup-'));
  // Readable by the unprivileged user the "not root" runs switch to.
  chmodSync(dir, 0o755);
  fakeRoot = join(dir, 'root');
  bin = join(dir, 'bin');
  calls = join(dir, 'calls');
  mkdirSync(join(fakeRoot, 'usr', 'sbin'), { recursive: true });
  mkdirSync(bin);
  // The two programs the script itself runs besides apt-get (for policy-rc.d); nothing else is on PATH.
  for (const tool of ['chmod', 'rm']) symlinkSync(realTool(tool), join(bin, tool));
  script = join(dir, 'setup-system.sh');
  copyFileSync(SCRIPT, script);
  chmodSync(script, 0o644);
  // The stub records every call and whether policy-rc.d (no service starts) was in place; `install` "installs"
  // by creating the files of the packages it is given. PATH holds nothing else: commands by absolute path.
  const creates = Object.entries({ ...NEEDS, ...BENCH_NEEDS })
    .map(
      ([pkg, file]) =>
        `    ${pkg}) /bin/mkdir -p "$SETUP_SYSTEM_ROOT${dirname(file)}"; : > "$SETUP_SYSTEM_ROOT${file}" ;;`,
    )
    .join('\n');
  writeFileSync(
    join(bin, 'apt-get'),
    `#!/bin/bash
policy=no; [ -x "$SETUP_SYSTEM_ROOT/usr/sbin/policy-rc.d" ] && policy=yes
echo "$* policy=$policy" >> "${calls}"
if [ "$1" = install ]; then
  for arg in "$@"; do
    case "$arg" in
${creates}
    esac
  done
fi
exit 0
`,
    { mode: 0o755 },
  );
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Creates the files of every need except `missing`. */
function provide(needs: Readonly<Record<string, string>>, missing: readonly string[] = []): void {
  for (const [pkg, file] of Object.entries(needs)) {
    if (missing.includes(pkg)) continue;
    mkdirSync(join(fakeRoot, dirname(file)), { recursive: true });
    writeFileSync(join(fakeRoot, file), '');
  }
}

/**
 * Runs the script with `args` as root or as an unprivileged user, whoever runs the tests: `setpriv` drops root to
 * nobody; an unprivileged test runner becomes root in a new user namespace (`unshare --map-root-user`).
 */
function runScript(args: readonly string[], as: 'root' | 'user'): Promise<Run> {
  const isRoot = process.getuid?.() === 0;
  const bash = ['/bin/bash', script, ...args];
  const argv =
    as === 'root'
      ? isRoot
        ? bash
        : ['/usr/bin/unshare', '--user', '--map-root-user', ...bash]
      : isRoot
        ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...bash]
        : bash;
  return new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { env: { PATH: bin, SETUP_SYSTEM_ROOT: fakeRoot }, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`cannot run ${argv.join(' ')}: ${String(error.code ?? error.signal)} ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

function aptCalls(): string[] {
  return existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
}

/** The apt-get command line the script tells a non-root user to run for `packages`. */
function installLine(packages: readonly string[]): RegExp {
  return new RegExp(
    `^\\s*apt-get update && apt-get install -y (?:--no-install-recommends )?${packages.join(' ')}$`,
    'm',
  );
}

describe('scripts/setup-system.sh', () => {
  it('does nothing, and calls no apt, when everything is there (it runs before every npm test)', async () => {
    provide(NEEDS);
    for (const as of ['root', 'user'] as const) {
      const r = await runScript([], as);
      expect(r, as).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    expect(aptCalls()).toEqual([]);
  });

  it('not root: names each missing package in one apt-get line, exits 1 at once, calls no apt', async () => {
    for (const pkg of Object.keys(NEEDS)) {
      rmSync(fakeRoot, { recursive: true, force: true });
      provide(NEEDS, [pkg]);
      const r = await runScript([], 'user');
      expect(r.code, pkg).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(installLine([pkg]));
    }
    rmSync(fakeRoot, { recursive: true, force: true });
    provide(NEEDS, ['nginx', 'redis-server']);
    const two = await runScript([], 'user');
    expect(two.code).toBe(1);
    expect(two.stderr.match(/apt-get install/g)).toHaveLength(1);
    expect(two.stderr).toMatch(
      /apt-get install -y (?:--no-install-recommends )?(nginx redis-server|redis-server nginx)$/m,
    );
    expect(aptCalls()).toEqual([]);
  });

  it('--dry-run as root: prints what it would run and changes nothing', async () => {
    provide(NEEDS, ['chromium', 'caddy']);
    const r = await runScript(['--dry-run'], 'root');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /would run: apt-get update && apt-get install -y (?:--no-install-recommends )?chromium caddy$/m,
    );
    expect(aptCalls()).toEqual([]);
    expect(existsSync(join(fakeRoot, 'usr', 'sbin', 'policy-rc.d'))).toBe(false);
  });

  it('as root: one apt-get update, then one install of exactly what is missing, services kept from starting', async () => {
    provide(NEEDS, ['haproxy', 'systemd']);
    const r = await runScript([], 'root');
    expect(r.stderr).toContain('haproxy systemd');
    expect(r.code).toBe(0);
    const made = aptCalls();
    expect(made).toHaveLength(2);
    expect(made[0]).toMatch(/^update\b.* policy=yes$/);
    expect(made[1]).toMatch(/^install -y\b.* haproxy systemd policy=yes$/);
    expect(made[1]).not.toMatch(/nginx|redis|chromium/);
    // The policy-rc.d it created for the install is gone again.
    expect(existsSync(join(fakeRoot, 'usr', 'sbin', 'policy-rc.d'))).toBe(false);
    // A second run finds everything: no apt at all.
    const again = await runScript([], 'root');
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(aptCalls()).toHaveLength(2);
  });

  it('--bench also wants wrk (npm run bench, npm run soak); plain runs do not', async () => {
    provide(NEEDS);
    expect((await runScript([], 'user')).code).toBe(0);
    const bench = await runScript(['--bench'], 'user');
    expect(bench.code).toBe(1);
    expect(bench.stderr).toMatch(installLine(['wrk']));
  });

  it("is what npm test runs first, and CI runs exactly the README's test command", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['pretest']).toBe('bash scripts/setup-system.sh');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```sh\nnpm ci && npm test\n```');
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    expect(ci.at(-1)).toBe('npm ci && npm test');
    // Nothing but the README's command brings the system packages: the pretest does it, not CI alone.
    expect(ci.join('\n')).not.toContain('setup-system');
  });
});
