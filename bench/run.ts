// `npm run bench`: runs every benchmark file in bench/ (or the ones named), each in a fresh Node process.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);

/** Files in bench/ that are not benchmarks: this runner, and helpers (a leading `_`). */
function isBenchmarkFile(file: string): boolean {
  return file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts' && !file.startsWith('_');
}

/** The benchmarks in bench/, by name (the file name without `.ts`), sorted. */
export function listBenchmarks(dir: string = BENCH_DIR): string[] {
  return readdirSync(dir)
    .filter(isBenchmarkFile)
    .map((file) => basename(file, '.ts'))
    .sort();
}

const USAGE = `usage: npm run bench -- [NAME...] [BENCHMARK OPTIONS]
  NAME               a benchmark of bench/ (file name without .ts); default: all of them, one after another
  --list             print the benchmark names and exit
  -h, --help         this text (give a NAME with --help for that benchmark's options)
Options after the names go to every benchmark run, e.g. npm run bench -- resolve-latency --runs 10`;

/** Runs one benchmark file in a child process (fresh process: no state carried over from another benchmark). */
function runOne(name: string, args: readonly string[]): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, `${name}.ts`), ...args], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', (error) => {
      process.stderr.write(`bench: cannot start ${name}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/**
 * Command-line entry: the leading arguments that are not options pick benchmarks by name; every argument
 * from the first option on is passed to each benchmark. Returns the exit code (the first failure's).
 *
 * @example
 * ```sh
 * npm run bench                                  # every benchmark
 * npm run bench -- resolve-latency --runs 10     # one, with its own options
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const firstOption = argv.findIndex((arg) => arg.startsWith('-'));
  const names = firstOption === -1 ? [...argv] : argv.slice(0, firstOption);
  const forwarded = firstOption === -1 ? [] : argv.slice(firstOption);
  const available = listBenchmarks();
  if (forwarded.includes('--list')) {
    process.stdout.write(`${available.join('\n')}\n`);
    return 0;
  }
  if (names.length === 0 && (forwarded.includes('--help') || forwarded.includes('-h'))) {
    process.stdout.write(`${USAGE}\n\nbenchmarks: ${available.join(', ')}\n`);
    return 0;
  }
  const unknown = names.filter((name) => !available.includes(name.replace(/\.ts$/, '')));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: no benchmark named ${unknown.join(', ')} (benchmarks: ${available.join(', ') || 'none'})\n`,
    );
    return 2;
  }
  const chosen = names.length === 0 ? available : names.map((name) => name.replace(/\.ts$/, ''));
  let exitCode = 0;
  for (const name of chosen) {
    const code = await runOne(name, forwarded);
    if (code !== 0) {
      process.stderr.write(`bench: ${name} failed (exit code ${code})\n`);
      if (exitCode === 0) exitCode = code;
    }
  }
  return exitCode;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
