// What every benchmark needs besides its measurement: option numbers, percentiles, the machine's description, and
// running as a script with a watchdog. (A leading `_`: bench/run.ts does not run this file.)

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';

/** Which numbers an option accepts. */
export interface NumberRule {
  /** Whole numbers only. */
  readonly integer: boolean;
  /** `positive`: > 0; `non-negative`: >= 0. */
  readonly sign: 'positive' | 'non-negative';
}

/**
 * The number given for `--name`, or `fallback` when the option is absent; throws a message naming the option when
 * the text is not such a number.
 *
 * @example
 * ```ts
 * numberOption('runs', values.runs, 30, { integer: true, sign: 'positive' });
 * ```
 */
export function numberOption(name: string, text: string | undefined, fallback: number, rule: NumberRule): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const signOk = rule.sign === 'positive' ? value > 0 : value >= 0;
  if (!Number.isFinite(value) || !signOk || (rule.integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a ${rule.sign} ${rule.integer ? 'integer' : 'number'}, got ${text}`);
  }
  return value;
}

/** Nearest-rank percentile of ascending samples (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** The median of ascending samples: the middle one, or the mean of the two middle ones (NaN when there are none). */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The CPU model as /proc/cpuinfo names it (os.cpus() elsewhere). */
export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.split(':').slice(1).join(':').trim();
  } catch {
    // Not Linux: fall through.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Options of {@link runAsScript}. */
export interface ScriptOptions {
  /** The benchmark's name, for messages. */
  readonly name: string;
  /** Gives up (exit 1) after this long; 0 for no watchdog (the benchmark sets its own). */
  readonly watchdogMs: number;
  /** Called when the watchdog fires or `main` fails, before exiting (e.g. to kill child processes). */
  readonly cleanUp?: () => void;
}

/**
 * Runs `main(argv)` when `moduleUrl` is the script node was started with (not when a test imports the module):
 * a watchdog so that a hung benchmark ends, a closed pipe (`| head`) ending it quietly, the exit code from `main`,
 * and a forced exit 2 s after `main` ends should a stray handle keep the event loop alive.
 *
 * @example
 * ```ts
 * runAsScript(import.meta.url, main, { name: 'resolve-latency', watchdogMs: 300_000 });
 * ```
 */
export function runAsScript(
  moduleUrl: string,
  main: (argv: string[]) => Promise<number>,
  options: ScriptOptions,
): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  if (options.watchdogMs > 0) {
    const watchdog = setTimeout(() => {
      process.stderr.write(`${options.name}: still running after ${options.watchdogMs / 1000} s; giving up\n`);
      options.cleanUp?.();
      process.exit(1);
    }, options.watchdogMs);
    watchdog.unref();
  }
  process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`${options.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      options.cleanUp?.();
      process.exitCode = 1;
    },
  );
}
