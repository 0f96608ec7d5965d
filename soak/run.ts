// `npm run soak`: the server under load and abuse, every case in turn, then RELIABILITY.md with the table of what happened.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runBatchCase } from './case-batch.js';
import { runCacheHitCase } from './case-cache-hits.js';
import { runConnections } from './case-connections.js';
import { runInstancesCase } from './case-instances.js';
import { runMalformedCase } from './case-malformed.js';
import { runReload } from './case-reload.js';
import { runSaturation } from './case-saturation.js';
import { runTesterCase } from './case-tester.js';
import { ALL_CPUS, CPU, ROOT, pinSelf } from './processes.js';
import { machineInfo, renderReliability, renderTable } from './report.js';
import type { SoakCase, SoakCaseResult, SoakRow } from './report.js';

const SOAK_DIR = dirname(fileURLToPath(import.meta.url));

/** The cases by the name `--only` takes, in the order they run. */
export const SOAK_CASES: ReadonlyMap<string, SoakCase> = new Map<string, SoakCase>([
  ['saturation', (log) => runSaturation(log)],
  ['malformed', (log) => runMalformedCase(log)],
  ['reload', (log) => runReload(log)],
  ['tester', (log) => runTesterCase(log)],
  ['batch', (log) => runBatchCase(log)],
  ['faults', runFaults],
  ['cache-hits', (log) => runCacheHitCase(log)],
  ['connections', (log) => runConnections(log)],
  ['instances', (log) => runInstancesCase(log)],
]);

/**
 * Cases that measure a server under load: the orchestrator (with its clients and wrk) is pinned to the load CPU
 * and the server to the other. The others run where the scheduler puts them.
 */
const PINNED_CASES: ReadonlySet<string> = new Set(['saturation', 'malformed', 'reload']);

/** The whole soak stops itself after this long, whatever is still running (children are killed on exit). */
const WATCHDOG_MS = 15 * 60_000;

const USAGE = `usage: npm run soak -- [--only NAME[,NAME...]] [--out FILE]
  --only NAMES   run only these cases (${[...SOAK_CASES.keys()].join(', ')}); prints the table, writes no file unless --out
  --out FILE     write the report there [RELIABILITY.md after a full run]
  -h, --help     this text`;

/**
 * The fault-injection soak, when soak/faults.ts exists (another part of the project provides it): its
 * `runFaultSoak()` runs here; a result with `rows` joins the table, and soak/faults-table.md (if it writes one)
 * is included in the report as it is.
 */
async function runFaults(log: (line: string) => void): Promise<SoakCaseResult> {
  const started = performance.now();
  const name = '6. faults';
  const file = join(SOAK_DIR, 'faults.ts');
  if (!existsSync(file)) return { name, rows: [], notes: [], durationS: 0 };
  try {
    const module = (await import(pathToFileURL(file).href)) as {
      runFaultSoak?: (log?: (line: string) => void) => unknown;
    };
    if (typeof module.runFaultSoak !== 'function') {
      log('soak/faults.ts exports no runFaultSoak(); skipped');
      return { name, rows: [], notes: ['soak/faults.ts exports no runFaultSoak(); not run.'], durationS: 0 };
    }
    const result = (await module.runFaultSoak(log)) as Partial<SoakCaseResult> | undefined;
    const rows = Array.isArray(result?.rows) ? (result.rows as SoakRow[]) : [];
    return {
      name: result?.name ?? name,
      rows,
      notes: Array.isArray(result?.notes) ? result.notes : [],
      durationS: (performance.now() - started) / 1000,
    };
  } catch (error) {
    const row: SoakRow = {
      case: name,
      sent: 'runFaultSoak()',
      count: '-',
      durationS: (performance.now() - started) / 1000,
      outcome: `error: ${(error as Error).message}`,
      pass: false,
    };
    return { name, rows: [row], notes: [], durationS: row.durationS };
  }
}

/** The Markdown text of a file of soak/ (a table of test-measured rows kept by hand), or null when it is missing. */
function soakFile(name: string): string | null {
  const file = join(SOAK_DIR, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

interface Args {
  readonly only: readonly string[] | null;
  readonly out: string | null;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let only: string[] | null = null;
  let out: string | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter((n) => n !== '');
    else if (arg.startsWith('--only='))
      only = arg
        .slice('--only='.length)
        .split(',')
        .filter((n) => n !== '');
    else if (arg === '--out') out = argv[++i] ?? null;
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { only, out, help };
}

/**
 * Command-line entry: runs the chosen cases (all by default) one after another, prints progress and each case's
 * rows, and writes the report. Returns the exit code: 0 when every row passed, 1 otherwise, 2 for bad arguments.
 *
 * @example
 * ```sh
 * npm run soak                          # everything, writes RELIABILITY.md
 * npm run soak -- --only malformed,tester
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`soak: ${(error as Error).message}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = (args.only ?? []).filter((n) => !SOAK_CASES.has(n));
  if (unknown.length > 0) {
    process.stderr.write(`soak: no case named ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const chosen = args.only ?? [...SOAK_CASES.keys()];
  const machine = machineInfo();
  const date = new Date();
  process.stdout.write(
    `soak: ${chosen.join(', ')} on ${machine.cpu} (${machine.cores} cores, load average ${machine.loadAverage})\n`,
  );
  const watchdog = setTimeout(() => {
    process.stderr.write(`soak: still running after ${WATCHDOG_MS / 60_000} minutes; stopping\n`);
    process.exit(3);
  }, WATCHDOG_MS);
  watchdog.unref();
  const started = performance.now();
  const results: SoakCaseResult[] = [];
  for (const name of chosen) {
    const run = SOAK_CASES.get(name)!;
    const caseStarted = performance.now();
    // The orchestrator, its clients and wrk share the load CPU while a server under test gets the other one.
    const pinnedNow = PINNED_CASES.has(name) && pinSelf(CPU.load);
    if (!pinnedNow) pinSelf(ALL_CPUS);
    process.stdout.write(`\n== ${name} ==${pinnedNow ? ' (load on CPU 1, server on CPU 0)' : ''}\n`);
    const log = (line: string): void => {
      process.stdout.write(`  [${((performance.now() - caseStarted) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
    };
    const result = await run(log);
    if (result.rows.length === 0 && name === 'faults') {
      process.stdout.write('  (no soak/faults.ts: skipped)\n');
      continue;
    }
    results.push(result);
    const failed = result.rows.filter((r) => !r.pass).length;
    process.stdout.write(
      `${renderTable([result])}\n  ${name}: ${result.rows.length - failed}/${result.rows.length} rows passed in ${result.durationS.toFixed(1)} s\n`,
    );
  }
  clearTimeout(watchdog);
  const totalS = (performance.now() - started) / 1000;
  const rows = results.flatMap((r) => r.rows);
  const failed = rows.filter((r) => !r.pass);
  const out = args.out ?? (args.only === null ? join(ROOT, 'RELIABILITY.md') : null);
  if (out !== null) {
    writeFileSync(
      resolve(out),
      renderReliability({
        machine,
        date,
        totalS,
        endLoadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
        cases: results,
        faultsTable: soakFile('faults-table.md'),
        hardeningTable: soakFile('hardening-table.md'),
      }),
    );
    process.stdout.write(`\nsoak: wrote ${out}\n`);
  }
  process.stdout.write(
    `soak: ${rows.length - failed.length} of ${rows.length} rows passed in ${totalS.toFixed(0)} s\n`,
  );
  for (const row of failed) process.stdout.write(`  FAIL ${row.case}: ${row.sent}: ${row.outcome}\n`);
  return failed.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      // Lab sockets and timers of in-process cases are closed; exit explicitly anyway so a stray handle cannot hold the run.
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
