// The built `serve` executable (dist/cli/main.js) as a child process: its log, its open files, its memory, its exit.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRssKib } from '../../soak/rss.js';
import { socketCount } from '../../soak/silent-clients.js';

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
  readonly exited: Promise<{
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly at: number;
  }>;
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
  const child = spawn(process.execPath, [DIST_MAIN, 'serve', '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
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
        // A process ended by a signal has no exit code: say so at once rather than wait for the log.
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(
            `serve exited (code ${child.exitCode}, signal ${child.signalCode}) before logging ${JSON.stringify(text)}:\n${stderr.slice(-2000)}`,
          );
        if (Date.now() > until)
          throw new Error(
            `no ${JSON.stringify(text)} x${times} in the log after ${waitMs} ms:\n${stderr.slice(-2000)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    exited,
    sockets: () => socketCount(pid) ?? Number.NaN,
    rssKiB: () => readRssKib(pid) ?? Number.NaN,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export { HALF_CLIENT_HELLO, openSilent, waitUntil } from '../../soak/silent-clients.js';
export type { SilentConnection } from '../../soak/silent-clients.js';
