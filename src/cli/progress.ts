// A one-line progress bar on stderr for `check --from`, redrawn in place and throttled; silent when not a terminal.

import { DEFAULT_LOCALE } from '../i18n/locale.js';
import type { Locale } from '../i18n/locale.js';
import { cliText } from './cli-texts.js';

/** The counts a progress line shows. */
export interface ProgressCounts {
  /** Names finished (OK, failing or error). */
  readonly done: number;
  readonly ok: number;
  readonly failing: number;
  readonly errors: number;
  /** Checks in flight. */
  readonly running: number;
}

/** A progress display. Every method does nothing when it is disabled. */
export interface Progress {
  /** Shows these counts (at most every `minIntervalMs`, unless `force`). */
  update(counts: ProgressCounts, force?: boolean): void;
  /** Erases the line, so that other output can be written; the next `update` draws it again. */
  clear(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where to draw (stderr). */
  readonly write: (text: string) => void;
  /** Draw at all [false]: true only when the stream is a terminal. */
  readonly enabled: boolean;
  /** How many names there are, when known beforehand (a file); null for a stream (stdin). */
  readonly total: number | null;
  /** Least time between two redraws, in milliseconds [100]. */
  readonly minIntervalMs?: number;
  /** The clock [performance.now]. */
  readonly now?: () => number;
  /** Width of the bar in characters [24]. */
  readonly barWidth?: number;
  /** The language of the words ['en']. */
  readonly locale?: Locale;
}

/** Erase the current line and return to its start (ANSI "erase in line"). */
const ERASE_LINE = '\r\x1b[2K';

/**
 * The text of one progress line: a bar when the total is known (`[#####-----] 12/40`), else the count alone,
 * then the outcome counts and the elapsed time.
 *
 * @example
 * ```ts
 * formatProgress({ done: 2, ok: 1, failing: 1, errors: 0, running: 2 }, 4, 1500); // "[############------------] 2/4  ok 1  ..."
 * ```
 */
export function formatProgress(
  counts: ProgressCounts,
  total: number | null,
  elapsedMs: number,
  barWidth = 24,
  locale: Locale = DEFAULT_LOCALE,
): string {
  let head: string;
  if (total !== null && total > 0) {
    const filled = Math.min(barWidth, Math.round((counts.done / total) * barWidth));
    head = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${counts.done}/${total}`;
  } else {
    head = cliText(locale, 'progressCounted', { done: counts.done });
  }
  const { ok, failing, errors, running } = counts;
  const seconds = (elapsedMs / 1000).toFixed(1);
  return `${head}  ${cliText(locale, 'progressCounts', { ok, failing, errors, running, seconds })}`;
}

/**
 * Creates the progress display of a batch. It draws on one line, rewritten in place with carriage returns,
 * so it is only enabled for a terminal: in a log file those rewrites would be noise.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const minInterval = options.minIntervalMs ?? 100;
  let drawn = false;
  let lastDraw = -Infinity;
  return {
    update(counts, force = false) {
      if (!options.enabled) return;
      const t = now();
      if (!force && drawn && t - lastDraw < minInterval) return;
      lastDraw = t;
      drawn = true;
      options.write(
        `${ERASE_LINE}${formatProgress(counts, options.total, t - started, options.barWidth, options.locale)}`,
      );
    },
    clear() {
      if (!options.enabled || !drawn) return;
      drawn = false;
      options.write(ERASE_LINE);
    },
  };
}
