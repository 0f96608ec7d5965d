// A throwaway redis-server on a loopback port (Debian's binary), killed by the caller: for the tests and the soak.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export const REDIS_SERVER_BINARY = '/usr/bin/redis-server';

/** A running redis-server started by {@link startRedisServer}. */
export interface TestRedisServer {
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** Kills the server (SIGKILL: an abrupt loss, as a crash would be) and waits for it to exit. */
  kill(): Promise<void>;
}

/** One PING over a raw socket; resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** Options of {@link startRedisServer}. */
export interface StartRedisOptions {
  /** Listen on this port (a restart of a server killed before) [a random high port, drawn again if taken]. */
  readonly port?: number;
}

/**
 * Starts redis-server on 127.0.0.1 and a random high port (it cannot pick a free one itself), or on `port`, without
 * persistence, and waits for PONG. Fails (never skips) when the binary is missing, naming the setup script.
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<TestRedisServer> {
  if (!existsSync(REDIS_SERVER_BINARY)) {
    throw new Error(
      `${REDIS_SERVER_BINARY} is missing: run \`bash scripts/setup-system.sh\` (as root) to install redis-server`,
    );
  }
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = options.port ?? 20_000 + Math.floor(Math.random() * 40_000);
    const child = spawn(
      REDIS_SERVER_BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let up = false;
    for (let i = 0; i < 50 && child.exitCode === null; i += 1) {
      if (await ping(port)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        process: child,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited; // the port was probably taken: draw another (or, for a given port, wait and try it again)
    if (options.port !== undefined) await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    options.port === undefined
      ? 'redis-server did not start on any of 5 random ports'
      : `redis-server did not start on port ${options.port} in 5 attempts`,
  );
}
