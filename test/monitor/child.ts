// Test helper: the built command line (dist/cli/main.js) as a child process, its output read as it comes.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** The built command line. */
export const BUILT_CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** A running command. */
export interface CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Standard output's lines parsed as JSON (JSON Lines output). */
  jsonLines(): Record<string, unknown>[];
  /** Waits until `condition` holds; fails with the output when the process ends first. */
  waitUntil(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/cli/main.js ...args`. */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliChild {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    jsonLines: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async waitUntil(condition, what, timeoutMs = 20_000) {
      await waitFor(
        () => {
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`the command ended (${child.exitCode ?? child.signalCode}) before ${what}:\n${stderr}`);
          return condition();
        },
        `${what}\nstdout:\n${stdout.slice(-2000)}\nstderr:\n${stderr.slice(-2000)}`,
        timeoutMs,
      );
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
