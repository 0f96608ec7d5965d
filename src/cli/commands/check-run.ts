// The `check` command's work: one name or a batch, in the chosen format (loaded by commands/check.ts on use).

import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { checkServer } from '../../checker/check.js';
import { toFederationTesterReport } from '../../report/federation-tester.js';
import { toNativeJson } from '../../report/native.js';
import { renderCheckText } from '../../report/text.js';
import { terminalJson } from '../../report/terminal-text.js';
import type { Locale } from '../../i18n/locale.js';
import { describeResolutionError } from '../../resolver/describe.js';
import { checkWithBudget, countNames, formatBatchSummary, outcomeLine, runBatch } from '../batch.js';
import type { CheckFunction } from '../batch.js';
import { cliText } from '../cli-texts.js';
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
  const { locale } = flags;
  const format = formatOf(flags);
  if (flags.from !== undefined && serverName !== undefined) throw usage(cliText(locale, 'nameAndFrom'));
  if (flags.from === undefined && serverName === undefined) throw usage(cliText(locale, 'missingName'));
  const network = await networkOptions(flags);
  // Every check makes HTTPS requests (well-known, version, keys): this process should end when they do.
  await compileForQuickExit();
  // --timeout-ms is the budget of one name's whole check: the checker shares it out (resolution, each address's
  // handshake and requests, the documents) so that its report comes within it, a stalled address marked TIMEOUT.
  const budgetMs = flags.timeoutMs ?? DEFAULT_CHECK_BUDGET_MS;
  // The hints (title, detail, fix) and the summary come in the chosen language, in the text and in the JSON alike;
  // their ids, the verdict and the exit code are the same in every language.
  const check: CheckFunction = (name, signal) => checkServer(name, { ...network, timeoutMs: budgetMs, signal, locale });

  if (flags.from !== undefined) {
    if (format === 'text') throw usage(cliText(locale, 'fromPrintsJsonLines'));
    setExit(
      await runFromFile(
        flags.from,
        { format: format ?? 'json', concurrency: flags.concurrency, budgetMs, check, locale },
        io,
      ),
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
    // The JSON above keeps the English message (what scripts read); the person reads it in the chosen language.
    const message =
      outcome.overran === true ? cliText(locale, 'checkOverran', { serverName: name, budgetMs }) : outcome.message;
    printError(io, outcome.code, message);
    setExit(EXIT.failure);
    return;
  }
  const report = outcome.report;
  const invalidName = report.resolution.error?.code === 'INVALID_SERVER_NAME';
  if (format === 'json') io.stdout(terminalJson(toNativeJson(report), 2) + '\n');
  else if (format === 'federation-tester') io.stdout(terminalJson(toFederationTesterReport(report), 2) + '\n');
  else if (!invalidName)
    io.stdout(renderCheckText(report, { color: useColor(flags.color, io), trace: flags.trace === true, locale }));
  if (invalidName && report.resolution.error)
    printError(
      io,
      report.resolution.error.code,
      describeResolutionError(report.resolution, locale) ?? report.resolution.error.message,
    );
  setExit(invalidName ? EXIT.usage : report.federationOk ? EXIT.ok : EXIT.failure);
}

interface BatchSettings {
  readonly format: 'json' | 'federation-tester';
  readonly concurrency: number;
  readonly budgetMs: number;
  readonly check: CheckFunction;
  readonly locale: Locale;
}

/** Opens the list (a file, or stdin for "-"); an unreadable file is a usage error. */
async function openInput(
  path: string,
  io: CliIo,
  locale: Locale,
): Promise<{ input: Readable; total: () => Promise<number | null>; close: () => Promise<void> }> {
  if (path === '-') {
    if (io.stdin === undefined) throw usage(cliText(locale, 'noStdin'));
    const stdin = io.stdin;
    return { input: stdin, total: () => Promise.resolve(null), close: () => Promise.resolve() };
  }
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw usage(cliText(locale, 'unreadableList', { path, why: error.code ?? error.message }));
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
  const source = await openInput(path, io, settings.locale);
  try {
    const showProgress = io.isTTY?.stderr === true;
    const total = showProgress ? await source.total() : null;
    const progress = createProgress({ write: io.stderr, enabled: showProgress, total, locale: settings.locale });
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
    io.stderr(formatBatchSummary(summary, settings.locale));
    return summary.ok === summary.checked ? EXIT.ok : EXIT.failure;
  } finally {
    await source.close();
  }
}
