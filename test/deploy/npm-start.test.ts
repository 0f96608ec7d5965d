// `npm start` hands a stop signal to the server: SIGTERM sent to npm's process stops serve, and no process is left.
//
// npm runs a script as `sh -c SCRIPT` and passes SIGTERM and SIGINT on to that shell only. Debian's sh (dash) does not
// replace itself with the last command, so without `exec` in the script the shell dies and the server lives on.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');

/** Every process whose parent chain leads to `pid` (read from /proc). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  for (const child of parent.keys()) {
    for (let p = parent.get(child); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === pid) {
        found.push(child);
        break;
      }
    }
  }
  return found;
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what()}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let dir: string | undefined;
let npm: ChildProcess | undefined;
let started: number[] = [];

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first (npm ci does it)`);
});

afterEach(() => {
  // Whatever the outcome, no process this test started outlives it.
  for (const pid of [...started, ...(npm?.pid === undefined ? [] : [npm.pid])]) {
    try {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  started = [];
  npm = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('stops the server when npm gets SIGTERM: no process left, the port free, npm exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-start-'));
    const port = await freePort();
    const config = join(dir, 'config.yaml');
    // The demo's built-in config listens on 8080; the same script, on a free port (npm appends the arguments).
    writeFileSync(
      config,
      `server_name: example.org\nlisteners:\n  - port: ${port}\n    bind_addresses: ['127.0.0.1']\n`,
    );
    const child = spawn('npm', ['start', '--silent', '--', '--config', config], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await until(
      () => output.includes(`matrix-delegation serving on http://127.0.0.1:${port}/`),
      () => `serving line (output so far: ${output})`,
      20_000,
    );
    started = descendants(child.pid!);
    // The node process running serve (not the shell that, without exec, runs it).
    const servers = started.filter((pid) => /^(\S*\/)?node \S*dist\/cli\/main\.js serve\b/.test(commandLine(pid)));
    expect(servers, started.map(commandLine).join('\n')).toHaveLength(1);

    process.kill(child.pid!, 'SIGTERM');
    const result = await Promise.race([
      exited,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 20_000)),
    ]);
    expect(result).not.toBe('hung');
    await until(
      () => started.every((pid) => !alive(pid)),
      () => `every process of npm start gone (left: ${started.filter(alive).map(commandLine).join('; ')})`,
      5_000,
    );
    expect(await accepts(port)).toBe(false);
    // npm ends with the server's own exit code: 0 after a clean shutdown, not killed by the signal itself.
    expect(result).toEqual({ code: 0, signal: null });
    // The server itself stopped on the signal, as docs/serve.md says (drain, then exit 0).
    expect(output).toMatch(/"signal":"SIGTERM"/);
  });
});
