// Benchmark: whole-process wall time of the built CLI and of the package's entry points, alternated with `node -e 0`.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuModel, median, numberOption, percentile, runAsScript } from './_shared.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** One process to time: what it runs, and the ratio to `node -e 0` the issue sets for it (null: for information). */
export interface StartupCase {
  readonly id: string;
  /** Arguments after `node`. */
  readonly args: readonly string[];
  /** The exit code the process must end with (anything else stops the benchmark: it did not do what it should). */
  readonly exitCode: number;
  /** Upper bound of the median pairwise ratio to `node -e 0` (issue #14), or null. */
  readonly target: number | null;
}

const cli = (...args: string[]): string[] => [CLI, ...args];
/** A module entry loaded the way a user's script loads it, through the package's own name (self-reference). */
const esm = (specifier: string): string[] => [
  '--input-type=module',
  '-e',
  `await import(${JSON.stringify(specifier)})`,
];
const cjs = (specifier: string): string[] => ['-e', `require(${JSON.stringify(specifier)})`];

/** The cases, in the order they are reported. */
export const CASES: readonly StartupCase[] = [
  { id: '--version', args: cli('--version'), exitCode: 0, target: 1.3 },
  { id: '--help', args: cli('--help'), exitCode: 0, target: 1.3 },
  // Step 1 of the spec: an IP literal with a port needs no network at all.
  { id: 'resolve 1.2.3.4:8448 --json', args: cli('resolve', '1.2.3.4:8448', '--json'), exitCode: 0, target: 1.5 },
  { id: 'resolve --help', args: cli('resolve', '--help'), exitCode: 0, target: null },
  { id: 'check --help', args: cli('check', '--help'), exitCode: 0, target: null },
  { id: 'serve --help', args: cli('serve', '--help'), exitCode: 0, target: null },
  // An invalid name: the resolver is loaded and answers at once (exit 2), no network.
  { id: 'check a..b --json', args: cli('check', 'a..b', '--json'), exitCode: 2, target: null },
  { id: "import('matrix-delegation/resolver')", args: esm('matrix-delegation/resolver'), exitCode: 0, target: 1.6 },
  { id: "import('matrix-delegation/client')", args: esm('matrix-delegation/client'), exitCode: 0, target: null },
  { id: "import('matrix-delegation/checker')", args: esm('matrix-delegation/checker'), exitCode: 0, target: null },
  { id: "import('matrix-delegation/server')", args: esm('matrix-delegation/server'), exitCode: 0, target: null },
  { id: "import('matrix-delegation/testing')", args: esm('matrix-delegation/testing'), exitCode: 0, target: null },
  { id: "import('matrix-delegation')", args: esm('matrix-delegation'), exitCode: 0, target: null },
  { id: "require('matrix-delegation/resolver')", args: cjs('matrix-delegation/resolver'), exitCode: 0, target: null },
];

/** The reference process: Node itself, doing nothing. */
const BASELINE = ['-e', '0'];

/** Runs `node ...args` to the end; resolves with its wall time in ms. Throws when the exit code is not `exitCode`. */
function timeProcess(args: readonly string[], exitCode: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    // stdout is read (a pipe, as in a script), so the process's own writing is part of its time.
    const child = spawn(process.execPath, [...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code !== exitCode)
        reject(new Error(`node ${args.join(' ')} exited ${String(code)}, expected ${exitCode}: ${stderr.trim()}`));
      else resolve(elapsed);
    });
  });
}

/** What one case measured. */
export interface StartupMeasure {
  readonly id: string;
  readonly target: number | null;
  /** Wall times of the case, ascending. */
  readonly caseMs: readonly number[];
  /** Wall times of `node -e 0` run next to it, ascending. */
  readonly baselineMs: readonly number[];
  /** case / baseline of each pair, ascending. */
  readonly ratios: readonly number[];
}

/** Options of {@link runCliStartup}; defaults in brackets. */
export interface CliStartupOptions {
  /** Pairs per case [20]. */
  readonly runs?: number;
  /** Only the cases whose id starts with one of these texts [all]. */
  readonly only?: readonly string[];
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

/**
 * Times every case against `node -e 0`: in each round, every case runs next to a fresh `node -e 0` (which first
 * alternates), so a slow phase of a busy machine hits both sides of a pair; the figure is the median of the
 * pairwise ratios. Two untimed rounds first fill the file system cache.
 *
 * @example
 * ```ts
 * const measured = await runCliStartup({ runs: 10 });
 * ```
 */
export async function runCliStartup(options: CliStartupOptions = {}): Promise<StartupMeasure[]> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const runs = options.runs ?? 20;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const only = options.only;
  const cases =
    only === undefined || only.length === 0 ? CASES : CASES.filter((c) => only.some((text) => c.id.startsWith(text)));
  if (cases.length === 0) throw new Error(`no case matches ${only?.join(', ')}`);
  for (let round = 0; round < 2; round++) {
    for (const c of cases) await timeProcess(c.args, c.exitCode);
    await timeProcess(BASELINE, 0);
  }
  const samples = cases.map(() => ({ caseMs: [] as number[], baselineMs: [] as number[], ratios: [] as number[] }));
  for (let run = 0; run < runs; run++) {
    for (const [i, c] of cases.entries()) {
      const baselineFirst = run % 2 === 0;
      const first = await timeProcess(baselineFirst ? BASELINE : c.args, baselineFirst ? 0 : c.exitCode);
      const second = await timeProcess(baselineFirst ? c.args : BASELINE, baselineFirst ? c.exitCode : 0);
      const [base, mine] = baselineFirst ? [first, second] : [second, first];
      const s = samples[i]!;
      s.caseMs.push(mine);
      s.baselineMs.push(base);
      s.ratios.push(mine / base);
    }
  }
  const up = (values: number[]): number[] => values.sort((a, b) => a - b);
  const measured = cases.map((c, i) => {
    const s = samples[i]!;
    return { id: c.id, target: c.target, caseMs: up(s.caseMs), baselineMs: up(s.baselineMs), ratios: up(s.ratios) };
  });
  write(`## cli-startup\n\n`);
  write(
    `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  write(
    `- ${runs} pairs per row (the case and a \`node -e 0\` next to it, order alternating), after 2 untimed rounds\n\n`,
  );
  write(
    `| process | median ms | p90 ms | \`node -e 0\` median ms | median of pairwise ratios | p90 ratio | target | |\n|---|--:|--:|--:|--:|--:|--:|---|\n`,
  );
  for (const m of measured) {
    const ratio = median(m.ratios);
    const verdict = m.target === null ? '' : ratio <= m.target ? 'met' : 'MISSED';
    write(
      `| \`${m.id}\` | ${median(m.caseMs).toFixed(1)} | ${percentile(m.caseMs, 90).toFixed(1)} | ${median(m.baselineMs).toFixed(1)} | ${ratio.toFixed(2)}x | ${percentile(m.ratios, 90).toFixed(2)}x | ${m.target === null ? '–' : `<= ${m.target}x`} | ${verdict} |\n`,
    );
  }
  write('\n');
  return measured;
}

const USAGE = `usage: cli-startup [--runs N] [--only TEXT]...
  cases: ${CASES.map((c) => c.id).join('; ')}`;

/** Command-line entry. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string' },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await runCliStartup({
    runs: numberOption('runs', values.runs, 20, { integer: true, sign: 'positive' }),
    ...(values.only === undefined ? {} : { only: values.only }),
  });
  return 0;
}

runAsScript(import.meta.url, main, { name: 'cli-startup', watchdogMs: 600_000 });
