// The built `serve` executable (dist/cli/main.js) as a child process: its log, its open files, its memory, its exit.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** The executable under test, built by `npm run build` (`MD_SERVE_MAIN` runs the tests against another build, e.g. an older one). */
export const DIST_MAIN = process.env.MD_SERVE_MAIN ?? join(ROOT, 'dist', 'cli', 'main.js');

/** A running `serve`. */
export interface ServeChild {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** The `serving on` URLs, in config order. */
  readonly urls: readonly string[];
  /** Standard error so far (JSON log lines). */
  stderr(): string;
  /** Log lines (parsed) whose `msg` contains `text`. */
  logLines(text: string): Record<string, unknown>[];
  /** Waits until `text` occurs `times` times in standard error. */
  waitForLog(text: string, times?: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code and the time of the exit (performance.now()). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number }>;
  /** TCP sockets the process holds open now (Linux: /proc). */
  sockets(): number;
  /** Resident memory now, in KiB (Linux: /proc). */
  rssKiB(): number;
  /** SIGKILL, if still running. */
  kill(): void;
}

/** Spawns `node dist/cli/main.js serve --config FILE` and waits for its `serving on` lines (one per listener address). */
export async function spawnServe(configPath: string, expectedUrls: number, timeoutMs = 20_000): Promise<ServeChild> {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run npm run build first`);
  const child = spawn(process.execPath, [DIST_MAIN, 'serve', '--config', configPath], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const count = (text: string): number => stderr.split(text).length - 1;
  const pid = child.pid ?? -1;
  const deadline = Date.now() + timeoutMs;
  const lines = (): string[] => stdout.split('\n').filter((l) => l.startsWith('matrix-delegation serving on '));
  while (lines().length < expectedUrls) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start (exit ${child.exitCode}):\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    pid,
    urls: lines().map((l) => l.slice('matrix-delegation serving on '.length)),
    stderr: () => stderr,
    logLines: (text) =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => typeof l.msg === 'string' && l.msg.includes(text)),
    async waitForLog(text, times = 1, waitMs = 15_000) {
      const until = Date.now() + waitMs;
      while (count(text) < times) {
        if (child.exitCode !== null) throw new Error(`serve exited (code ${child.exitCode}) before logging ${JSON.stringify(text)}:\n${stderr.slice(-2000)}`);
        if (Date.now() > until) throw new Error(`no ${JSON.stringify(text)} x${times} in the log after ${waitMs} ms:\n${stderr.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    exited,
    sockets: () => {
      let n = 0;
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
        } catch {
          // closed meanwhile
        }
      }
      return n;
    },
    rssKiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Waits until `condition()` holds (checked every 50 ms); resolves with the time it took, or null after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

/**
 * The first bytes of a TLS ClientHello (RFC 8446 section 4.1.2): a handshake record announcing 512 bytes, of
 * which only the handshake header, the version and four bytes of the random follow. A server waits for the rest.
 */
export const HALF_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x01, 0x02, 0x03, 0x04]);

/** A raw TCP connection that sends `first` (if any), then nothing, and never reads (a slow or hostile client). */
export interface SilentConnection {
  readonly socket: Socket;
  /** Resolves once connected. */
  readonly connected: Promise<void>;
}

/** Opens a silent connection to `host:port`, from `localAddress` when given. */
export function openSilent(host: string, port: number, options: { readonly first?: Buffer; readonly localAddress?: string; readonly read?: boolean } = {}): SilentConnection {
  const socket = connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  socket.on('error', () => undefined);
  if (options.read === true) socket.resume();
  else socket.pause();
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      if (options.first) socket.write(options.first);
      resolve();
    });
    socket.once('error', reject);
  });
  return { socket, connected };
}
