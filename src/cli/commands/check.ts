// `matrix-delegation check <server_name> | --from FILE`: the federation tester that explains, in text or JSON.

import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { CHECK_DEFAULTS, checkServer } from '../../checker/check.js';
import { MatrixDelegationError } from '../../errors.js';
import { toFederationTesterReport } from '../../report/federation-tester.js';
import { toNativeJson } from '../../report/native.js';
import { renderCheckText } from '../../report/text.js';
import { checkWithBudget, countNames, formatBatchSummary, outcomeLine, runBatch } from '../batch.js';
import type { CheckFunction } from '../batch.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { addNetworkFlags, networkOptions } from '../network-flags.js';
import type { NetworkFlagValues } from '../network-flags.js';
import { printError } from '../print-error.js';
import { createProgress } from '../progress.js';

/** The output formats of `check`. */
export const CHECK_FORMATS = ['text', 'json', 'federation-tester'] as const;

/** An output format of `check`. */
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Checks in flight at once in batch mode, unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * The budget of one name's whole check when `--timeout-ms` is not given. The checker's own budgets (15 s for
 * the resolution, 10 s per remote operation) end a check well before this: it only guards against a hang.
 */
export const DEFAULT_CHECK_BUDGET_MS = 60_000;

interface CheckFlags extends NetworkFlagValues {
  readonly json?: boolean;
  readonly format?: CheckFormat;
  readonly trace?: boolean;
  readonly color?: boolean;
  readonly from?: string;
  readonly concurrency: number;
}

function concurrencyArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) throw new InvalidArgumentError(`--concurrency takes a whole number from 1 to 256, not "${value}"`);
  return n;
}

function usage(message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', message);
}

/**
 * Whether to colour the text: `--color` / `--no-color` decide when given; otherwise never when `NO_COLOR` is set
 * to anything but the empty string (no-color.org), else only when stdout is a terminal.
 */
export function useColor(flag: boolean | undefined, io: CliIo): boolean {
  if (flag !== undefined) return flag;
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return io.isTTY?.stdout === true;
}

/** The effective format: `--json` is `--format json`; the two may not disagree. */
function formatOf(flags: CheckFlags): CheckFormat | undefined {
  if (flags.json && flags.format !== undefined && flags.format !== 'json') {
    throw usage(`--json and --format ${flags.format} contradict each other: give one of them`);
  }
  return flags.json ? 'json' : flags.format;
}

/** Registers the check command; its action sets `setExit` with the exit code. */
export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .description('check federation with a server as other homeservers see it, and explain what is wrong (exit 0 when it works)')
    .argument('[server_name]', 'the server name, e.g. example.com (omit with --from)')
    .option('--json', 'print the native JSON report (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS))
    .option('--trace', 'text: show every resolution step with its start time')
    .option('--color', 'colour the text even when stdout is not a terminal')
    .option('--no-color', 'never colour the text (NO_COLOR in the environment does the same)')
    .option('--from <file>', 'check every name in this file, one per line ("-" for stdin); prints JSON Lines')
    .option('--concurrency <n>', 'with --from: checks in flight at once', concurrencyArg, DEFAULT_CONCURRENCY);
  addNetworkFlags(command).action(async (serverName: string | undefined, flags: CheckFlags) => {
    const format = formatOf(flags);
    if (flags.from !== undefined && serverName !== undefined) throw usage('give either a server name or --from FILE, not both');
    if (flags.from === undefined && serverName === undefined) throw usage('missing server name (or --from FILE)');
    const network = networkOptions(flags);
    // --timeout-ms bounds the whole check of one name; each remote operation then gets at most as long.
    const budgetMs = flags.timeoutMs ?? DEFAULT_CHECK_BUDGET_MS;
    const operationTimeoutMs = Math.min(CHECK_DEFAULTS.operationTimeoutMs, budgetMs);
    const check: CheckFunction = (name, signal) => checkServer(name, { ...network, operationTimeoutMs, signal });

    if (flags.from !== undefined) {
      if (format === 'text') throw usage('--from prints JSON Lines: use --format json (the default there) or --format federation-tester');
      setExit(await runFromFile(flags.from, { format: format ?? 'json', concurrency: flags.concurrency, budgetMs, check }, io));
      return;
    }

    const name = serverName!;
    const outcome = await checkWithBudget(name, check, budgetMs);
    if (outcome.kind === 'error') {
      // JSON consumers still get a document: the native error line, or the tester's own form of a failed report.
      if (format === 'json') io.stdout(outcomeLine(name, outcome, 'json') + '\n');
      if (format === 'federation-tester') io.stdout(JSON.stringify({ FederationOK: false, Error: `${outcome.code}: ${outcome.message}` }, null, 2) + '\n');
      printError(io, outcome.code, outcome.message);
      setExit(EXIT.failure);
      return;
    }
    const report = outcome.report;
    const invalidName = report.resolution.error?.code === 'INVALID_SERVER_NAME';
    if (format === 'json') io.stdout(JSON.stringify(toNativeJson(report), null, 2) + '\n');
    else if (format === 'federation-tester') io.stdout(JSON.stringify(toFederationTesterReport(report), null, 2) + '\n');
    else if (!invalidName) io.stdout(renderCheckText(report, { color: useColor(flags.color, io), trace: flags.trace === true }));
    if (invalidName && report.resolution.error) printError(io, report.resolution.error.code, report.resolution.error.message);
    setExit(invalidName ? EXIT.usage : report.federationOk ? EXIT.ok : EXIT.failure);
  });
}

interface BatchSettings {
  readonly format: 'json' | 'federation-tester';
  readonly concurrency: number;
  readonly budgetMs: number;
  readonly check: CheckFunction;
}

/** Opens the list (a file, or stdin for "-"); an unreadable file is a usage error. */
async function openInput(path: string, io: CliIo): Promise<{ input: Readable; total: () => Promise<number | null>; close: () => Promise<void> }> {
  if (path === '-') {
    if (io.stdin === undefined) throw usage('--from -: there is no standard input to read');
    const stdin = io.stdin;
    return { input: stdin, total: () => Promise.resolve(null), close: () => Promise.resolve() };
  }
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw usage(`--from ${path}: cannot read it (${error.code ?? error.message})`);
  });
  return {
    input: handle.createReadStream({ autoClose: false, start: 0 }),
    // A first pass over the file gives the progress bar its total; it streams too, so memory stays flat.
    total: async () => countNames(handle.createReadStream({ autoClose: false, start: 0 })),
    close: () => handle.close(),
  };
}

/** Runs a batch from `path` and prints the summary on stderr; returns the exit code. */
async function runFromFile(path: string, settings: BatchSettings, io: CliIo): Promise<number> {
  const source = await openInput(path, io);
  try {
    const showProgress = io.isTTY?.stderr === true;
    const total = showProgress ? await source.total() : null;
    const progress = createProgress({ write: io.stderr, enabled: showProgress, total });
    // When stdout is the same terminal, the progress line is erased before each result and redrawn after it.
    const sharesTerminal = showProgress && io.isTTY?.stdout === true;
    const summary = await runBatch({
      input: source.input,
      concurrency: settings.concurrency,
      budgetMs: settings.budgetMs,
      format: settings.format,
      check: settings.check,
      progress,
      writeLine: (line) => {
        if (sharesTerminal) progress.clear();
        io.stdout(line);
      },
    });
    io.stderr(formatBatchSummary(summary));
    return summary.ok === summary.checked ? EXIT.ok : EXIT.failure;
  } finally {
    await source.close();
  }
}
