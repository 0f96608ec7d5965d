// Finds a web server binary, starts it in its own process group, waits for its ports, stops it for sure.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerCommands } from '../src/proxy-config/index.js';

/** A started server. */
export interface ServerProcess {
  readonly pid: number;
  /** What the server wrote to stdout and stderr so far. */
  log(): string;
  /** Stops the whole process group (SIGTERM, then SIGKILL); resolves once no process of the group is left. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Last resort if a test run dies without its afterAll: never leave servers behind.
process.once('exit', () => {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a server binary: Debian's location, else the first one on PATH.
 *
 * @throws Error naming the install command when it is nowhere: a missing server must fail the test, not skip it.
 */
export function findServerBinary(commands: ServerCommands): string {
  const candidates = [
    commands.debianPath,
    ...(process.env['PATH'] ?? '')
      .split(delimiter)
      .filter((d) => d !== '')
      .map((d) => join(d, commands.binary)),
  ];
  const found = candidates.find(executable);
  if (found === undefined) {
    throw new Error(
      `${commands.binary} is not installed, and this test runs it for real: run \`bash scripts/setup-system.sh\` as root ` +
        `(or \`apt-get install -y ${commands.debianPackage}\`), then run the tests again`,
    );
  }
  return found;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts `binary args` in a new process group with output to `logFile`, and waits until every `ports` entry
 * accepts connections. Output goes to a file, not a pipe: Node's pipes are sockets, which httpd cannot open as
 * /dev/stderr.
 *
 * @throws Error with the server's output when it exits or does not listen within `timeoutMs`.
 */
export async function startServerProcess(
  binary: string,
  args: readonly string[],
  options: {
    readonly ports: readonly { readonly host: string; readonly port: number }[];
    readonly logFile: string;
    readonly timeoutMs?: number;
    readonly cwd?: string;
  },
): Promise<ServerProcess> {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(binary, [...args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  closeSync(fd);
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  const log = (): string => {
    try {
      return readFileSync(options.logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (pid === undefined) return;
    for (const [signal, waitMs] of [
      ['SIGTERM', 5000],
      ['SIGKILL', 2000],
    ] as const) {
      if (!groupAlive(pid)) break;
      try {
        process.kill(-pid, signal);
      } catch {
        break;
      }
      const deadline = Date.now() + waitMs;
      while (groupAlive(pid) && Date.now() < deadline) await sleep(25);
    }
    running.delete(child);
  };
  if (pid === undefined) throw await spawnError;

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const open = await Promise.all(options.ports.map((p) => canConnect(p.host, p.port)));
    if (open.every(Boolean)) return { pid, log, stop };
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(
        `${binary} ${args.join(' ')} ${exited ? `exited (code ${String(child.exitCode)})` : 'did not listen in time'}:\n${log()}`,
      );
    }
    await sleep(30);
  }
}
