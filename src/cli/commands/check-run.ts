// The `check` command's work: one name or a batch, in the chosen format (loaded by commands/check.ts on use).

import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { checkServer } from '../../checker/check.js';
import { toFederationTesterReport } from '../../report/federation-tester.js';
import { toNativeJson } from '../../report/native.js';
import { renderCheckText } from '../../report/text.js';
import { terminalJson } from '../../report/terminal-text.js';
import { checkWithBudget, countNames, formatBatchSummary, outcomeLine, runBatch } from '../batch.js';
import type { CheckFunction } from '../batch.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions } from '../network-options.js';
import { printError } from '../print-error.js';
import { compileForQuickExit } from '../quick-exit.js';
import { createProgress } from '../progress.js';
import { DEFAULT_CHECK_BUDGET_MS, formatOf, usage, useColor } from './check-flags.js';
import type { CheckFlags } from './check-flags.js';

/** Runs `check` for one name or `--from FILE`, and sets the exit code. */
export async function runCheckCommand(
  serverName: string | undefined,
  flags: CheckFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const format = formatOf(flags);
  if (flags.from !== undefined && serverName !== undefined)
    throw usage('give either a server name or --from FILE, not both');
  if (flags.from === undefined && serverName === undefined) throw usage('missing server name (or --from FILE)');
  const network = await networkOptions(flags);
  // Every check makes HTTPS requests (well-known, version, keys): this process should end when they do.
  await compileForQuickExit();
  // --timeout-ms is the budget of one name's whole check: the checker shares it out (resolution, each address's
  // handshake and requests, the documents) so that its report comes within it, a stalled address marked TIMEOUT.
  const budgetMs = flags.timeoutMs ?? DEFAULT_CHECK_BUDGET_MS;
  const check: CheckFunction = (name, signal) => checkServer(name, { ...network, timeoutMs: budgetMs, signal });

  if (flags.from !== undefined) {
    if (format === 'text')
      throw usage('--from prints JSON Lines: use --format json (the default there) or --format federation-tester');
    setExit(
      await runFromFile(flags.from, { format: format ?? 'json', concurrency: flags.concurrency, budgetMs, check }, io),
    );
    return;
  }

  const name = serverName!;
  const outcome = await checkWithBudget(name, check, budgetMs);
  if (outcome.kind === 'error') {
    // JSON consumers still get a document: the native error line, or the tester's own form of a failed report.
    if (format === 'json') io.stdout(outcomeLine(name, outcome, 'json') + '\n');
    if (format === 'federation-tester')
      io.stdout(terminalJson({ FederationOK: false, Error: `${outcome.code}: ${outcome.message}` }, 2) + '\n');
    printError(io, outcome.code, outcome.message);
    setExit(EXIT.failure);
    return;
  }
  const report = outcome.report;
  const invalidName = report.resolution.error?.code === 'INVALID_SERVER_NAME';
  if (format === 'json') io.stdout(terminalJson(toNativeJson(report), 2) + '\n');
  else if (format === 'federation-tester') io.stdout(terminalJson(toFederationTesterReport(report), 2) + '\n');
  else if (!invalidName)
    io.stdout(renderCheckText(report, { color: useColor(flags.color, io), trace: flags.trace === true }));
  if (invalidName && report.resolution.error)
    printError(io, report.resolution.error.code, report.resolution.error.message);
  setExit(invalidName ? EXIT.usage : report.federationOk ? EXIT.ok : EXIT.failure);
}

interface BatchSettings {
  readonly format: 'json' | 'federation-tester';
  readonly concurrency: number;
  readonly budgetMs: number;
  readonly check: CheckFunction;
}

/** Opens the list (a file, or stdin for "-"); an unreadable file is a usage error. */
async function openInput(
  path: string,
  io: CliIo,
): Promise<{ input: Readable; total: () => Promise<number | null>; close: () => Promise<void> }> {
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
