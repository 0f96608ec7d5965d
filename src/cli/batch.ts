// `check --from FILE`: many names, streamed in and out as JSON Lines, with bounded concurrency and a budget per name.

import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { CheckReport } from '../checker/types.js';
import { MatrixDelegationError } from '../errors.js';
import { DEFAULT_LOCALE } from '../i18n/locale.js';
import type { Locale } from '../i18n/locale.js';
import { toFederationTesterReport } from '../report/federation-tester.js';
import { toNativeErrorJson, toNativeJson } from '../report/native.js';
import { formatMs } from '../report/resolution.js';
import { terminalJson } from '../report/terminal-text.js';
import { cliText } from './cli-texts.js';
import type { Progress, ProgressCounts } from './progress.js';

/** The output formats of a batch: one JSON object per line either way. */
export type BatchFormat = 'json' | 'federation-tester';

/**
 * Runs the check of one name within the budget it was made with (see `checkWithBudget`); `signal` aborts when the
 * check overruns it.
 */
export type CheckFunction = (serverName: string, signal: AbortSignal) => Promise<CheckReport>;

/** What a budgeted check ended with: a report, or why there is none. */
export type BudgetedOutcome =
  | { readonly kind: 'report'; readonly report: CheckReport; readonly durationMs: number }
  | {
      readonly kind: 'error';
      readonly code: string;
      /** In English: it is also the `message` of the JSON line (what a script reads stays English). */
      readonly message: string;
      readonly durationMs: number;
      /** True when the check overran its budget and was given up on (then `code` is `TIMEOUT`). */
      readonly overran?: boolean;
    };

/** Longest input line kept: server names are at most 255 characters; anything longer is invalid anyway. */
const MAX_LINE_CHARS = 4096;

/**
 * The server name on one input line, or null for a line to skip: blank lines and comments (`#` at the start of
 * the line, or after white space) are ignored, and surrounding white space is trimmed. What remains is returned as
 * it is, valid or not: the check reports an invalid name as a failing result.
 */
export function parseNameLine(line: string): string | null {
  const withoutComment = line.startsWith('#') ? '' : line.replace(/\s#.*$/, '');
  const name = withoutComment.trim();
  return name === '' ? null : name;
}

/**
 * The lines of a stream, one at a time. The stream is read only as fast as lines are consumed (async iteration
 * of a Readable pulls chunk by chunk), so a long list never sits in memory. LF and CRLF both end a line.
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overlong = false;
  const take = (text: string): string[] => {
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      start = nl + 1;
      const line = overlong ? pending : (pending + piece).slice(0, MAX_LINE_CHARS);
      pending = '';
      overlong = false;
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (!overlong) {
      pending += text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        // Keep the start (to report the line as an invalid name) and drop the rest of it as it arrives.
        pending = pending.slice(0, MAX_LINE_CHARS);
        overlong = true;
      }
    }
    return lines;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    yield* take(text);
  }
  yield* take(decoder.end());
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

/** Counts the names a stream holds (for the progress bar's total), reading it once without keeping it. */
export async function countNames(input: Readable): Promise<number> {
  let count = 0;
  for await (const line of readLines(input)) if (parseNameLine(line) !== null) count += 1;
  return count;
}

/**
 * How long after its budget a check may still deliver its report before {@link checkWithBudget} gives up on it: a
 * tenth of the budget, from 250 ms to 1 s. The checker itself reports within the budget (it shares the budget out
 * and marks what did not finish as TIMEOUT); this is only room for a loaded machine, not for the network.
 */
export function reportGraceMs(budgetMs: number): number {
  return Math.min(1000, Math.max(250, Math.round(budgetMs / 10)));
}

/**
 * Runs one check with `budgetMs`, which the check is told (its `timeoutMs`) and keeps: a stalled address is marked
 * TIMEOUT in its report. Only a check that still has not settled {@link reportGraceMs} after the budget (a hang) is
 * given up on: its `signal` is aborted and the outcome is a `TIMEOUT` error at once, so that nothing can hold a
 * batch (or the command) up. A check that throws becomes an error outcome with its code (`INTERNAL` for a
 * non-library error).
 */
export async function checkWithBudget(
  serverName: string,
  check: CheckFunction,
  budgetMs: number,
): Promise<BudgetedOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => resolve('overrun'), budgetMs + reportGraceMs(budgetMs));
  });
  // The check may still settle after an overrun: the handlers below keep that from being an unhandled rejection.
  const settled = check(serverName, controller.signal).then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
  try {
    const first = await Promise.race([settled, overrun]);
    if (first === 'overrun') {
      const message = cliText('en', 'checkOverran', { serverName, budgetMs });
      controller.abort(new MatrixDelegationError('TIMEOUT', message));
      return { kind: 'error', code: 'TIMEOUT', message, durationMs: elapsed(), overran: true };
    }
    if ('report' in first) return { kind: 'report', report: first.report, durationMs: elapsed() };
    const error = first.error;
    if (error instanceof MatrixDelegationError)
      return { kind: 'error', code: error.code, message: error.message, durationMs: elapsed() };
    return {
      kind: 'error',
      code: 'INTERNAL',
      message: error instanceof Error ? error.message : String(error),
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One output line (without the newline) for an outcome. Native: the `toNativeJson` document, or a
 * `toNativeErrorJson` line. Tester: `toFederationTesterReport` with `ServerName` added in front (the tester's own
 * schema names the server nowhere), or `{ServerName, FederationOK: false, Error}` when there is no report. DEL, C1
 * and bidi characters in strings are written as `\u` escapes (`terminalJson`): the lines often go to a terminal.
 */
export function outcomeLine(serverName: string, outcome: BudgetedOutcome, format: BatchFormat): string {
  if (outcome.kind === 'report') {
    if (format === 'json') return terminalJson(toNativeJson(outcome.report));
    return terminalJson({ ServerName: serverName, ...toFederationTesterReport(outcome.report) });
  }
  if (format === 'json') return terminalJson(toNativeErrorJson(serverName, outcome, outcome.durationMs));
  return terminalJson({ ServerName: serverName, FederationOK: false, Error: `${outcome.code}: ${outcome.message}` });
}

/** Options of {@link runBatch}. */
export interface BatchOptions {
  /** One server name per line. */
  readonly input: Readable;
  /** Checks in flight at most. */
  readonly concurrency: number;
  /** Budget of each name's check, in milliseconds. */
  readonly budgetMs: number;
  readonly format: BatchFormat;
  readonly check: CheckFunction;
  /** Writes one output line (newline included). */
  readonly writeLine: (line: string) => void;
  readonly progress: Progress;
}

/** The totals of a batch. */
export interface BatchSummary {
  /** Names checked (OK + failing + errors). */
  readonly checked: number;
  /** Federation works (`federationOk`). */
  readonly ok: number;
  /** A report came back and federation does not work (invalid names included). */
  readonly failing: number;
  /** No report: the check overran its budget or failed. */
  readonly errors: number;
  readonly durationMs: number;
}

/**
 * Checks every name of `input`, at most `concurrency` at a time, writing one JSON line per name as each finishes
 * (completion order). Input is read only as checks free up and reports are dropped once written, so memory stays
 * flat however long the list. Never rejects for a name's fault; rejects only if the input stream fails.
 */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency);
  let ok = 0;
  let failing = 0;
  let errors = 0;
  const running = new Set<Promise<void>>();
  const counts = (): ProgressCounts => ({ done: ok + failing + errors, ok, failing, errors, running: running.size });

  const one = async (serverName: string): Promise<void> => {
    const outcome = await checkWithBudget(serverName, options.check, options.budgetMs);
    if (outcome.kind === 'error') errors += 1;
    else if (outcome.report.federationOk) ok += 1;
    else failing += 1;
    options.writeLine(outcomeLine(serverName, outcome, options.format) + '\n');
  };

  for await (const line of readLines(options.input)) {
    const name = parseNameLine(line);
    if (name === null) continue;
    while (running.size >= concurrency) await Promise.race(running);
    const task: Promise<void> = one(name).finally(() => {
      running.delete(task);
      options.progress.update(counts());
    });
    running.add(task);
    options.progress.update(counts());
  }
  await Promise.all(running);
  options.progress.update(counts(), true);
  options.progress.clear();
  return { checked: ok + failing + errors, ok, failing, errors, durationMs: Math.round(performance.now() - started) };
}

/** The closing line on stderr, in `locale` ['en']: `checked 5 names in 1.23 s: 3 OK, 1 failing, 1 error`. */
export function formatBatchSummary(summary: BatchSummary, locale: Locale = DEFAULT_LOCALE): string {
  const { checked, ok, failing, errors } = summary;
  const duration = formatMs(summary.durationMs, locale);
  return `${cliText(locale, 'batchSummary', { checked, ok, failing, errors, duration })}\n`;
}
