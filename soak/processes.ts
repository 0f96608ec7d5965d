// Child processes of the soak: CPU pinning, the real `serve` executable, free ports, and waiting for log lines.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The soak's cases take their ports from here, with the rest of what starts processes.
export { freePort } from '../support/free-port.js';

/** The repository root (soak/ is one level down). */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The command line's entry, run through tsx so that the soak needs no build. */
export const CLI_MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** True when `taskset` exists and there are at least two CPUs to separate the server from its load. */
export const CAN_PIN = availableParallelism() >= 2 && spawnSync('taskset', ['--version']).status === 0;

/** The server's CPU and the load generators' CPU when pinning is possible. */
export const CPU = Object.freeze({ server: 0, load: 1 });

/** `[command, args]` to run `command args` on `cpu` (through taskset), or unchanged when pinning is not possible. */
export function pinned(cpu: number | undefined, command: string, args: readonly string[]): [string, string[]] {
  if (cpu === undefined || !CAN_PIN) return [command, [...args]];
  return ['taskset', ['-c', String(cpu), command, ...args]];
}

/** Every CPU of the machine, as taskset writes a list (`0-1`). */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

/**
 * Pins this process (every thread) to `cpus` (a number or a taskset list such as `0-1`), so that the
 * orchestrator and its clients share the load CPU while a server under test has the other; `ALL_CPUS` undoes it.
 */
export function pinSelf(cpus: number | string): boolean {
  if (!CAN_PIN) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpus), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** A child running the command line, with its output collected. */
export interface CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Standard error so far (the server's JSON log lines). */
  readonly stderr: () => string;
  /** Standard output so far, unless `onStdout` consumes it. */
  readonly stdout: () => string;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** How many times `text` occurs in standard error so far. */
  count(text: string): number;
  /** Waits until `text` occurs at least `times` times in standard error. */
  waitForLog(text: string, times?: number, timeoutMs?: number): Promise<void>;
}

/** Options of {@link spawnCli}. */
export interface SpawnCliOptions {
  /** Run on this CPU (taskset), when possible. */
  readonly cpu?: number;
  /** Takes standard output chunk by chunk instead of collecting it (a batch's JSON Lines). */
  readonly onStdout?: (chunk: Buffer) => void;
}

/** Children still running, killed when the soak exits for any reason (a watchdog, an exception). */
const running = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns `matrix-delegation ARGS` (through tsx) from the repository root. */
export function spawnCli(args: readonly string[], options: SpawnCliOptions = {}): CliChild {
  const [command, argv] = pinned(options.cpu, process.execPath, ['--import', 'tsx', CLI_MAIN, ...args]);
  // English whatever the operator's locale: the soak reads what the processes print (e.g. the "serving on" line).
  const { LC_ALL: _all, LC_MESSAGES: _messages, ...env } = process.env;
  const child = spawn(command, argv, { cwd: ROOT, env: { ...env, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (options.onStdout) options.onStdout(chunk);
    else stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const count = (text: string): number => stderr.split(text).length - 1;
  return {
    child,
    // taskset execs the command, so the pid is node's own.
    pid: child.pid ?? -1,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    count,
    async waitForLog(text, times = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (count(text) < times) {
        if (child.exitCode !== null)
          throw new Error(
            `the child exited (code ${child.exitCode}) before logging ${JSON.stringify(text)}:\n${stderr.slice(-2000)}`,
          );
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${JSON.stringify(text)} x${times} in the child's log:\n${stderr.slice(-2000)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** A running `serve` child. */
export interface ServeChild extends CliChild {
  /** The URLs it printed. */
  readonly urls: readonly string[];
  /** SIGTERM, then the exit code (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Starts `matrix-delegation serve --config FILE [args]` and waits for its `serving on` line(s). */
export async function spawnServe(
  configPath: string,
  options: SpawnCliOptions & { readonly args?: readonly string[]; readonly listeners?: number } = {},
): Promise<ServeChild> {
  const cli = spawnCli(['serve', '--config', configPath, ...(options.args ?? [])], options);
  const wanted = options.listeners ?? 1;
  const deadline = Date.now() + 30_000;
  const lines = (): string[] =>
    cli
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('matrix-delegation serving on '));
  while (lines().length < wanted) {
    if (cli.child.exitCode !== null || Date.now() > deadline) {
      cli.child.kill('SIGKILL');
      throw new Error(`serve did not start:\n${cli.stderr().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    ...cli,
    urls: lines().map((l) => l.slice('matrix-delegation serving on '.length)),
    async stop(timeoutMs = 15_000) {
      if (cli.child.exitCode !== null) return cli.child.exitCode;
      cli.child.kill('SIGTERM');
      const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
      const { code } = await cli.exited;
      clearTimeout(timer);
      return code;
    },
  };
}
