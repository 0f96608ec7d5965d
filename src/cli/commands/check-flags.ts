// The flags of `check` and how they are read (format, colour, budget): shared by commands/check.ts and check-run.ts.

import { MatrixDelegationError } from '../../errors.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import type { LocaleFlagValues } from '../lang-flag.js';
import type { NetworkFlagValues } from '../network-flags.js';

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

/** The parsed flags of `check`. */
export interface CheckFlags extends NetworkFlagValues, LocaleFlagValues {
  readonly json?: boolean;
  readonly format?: CheckFormat;
  readonly trace?: boolean;
  readonly color?: boolean;
  readonly from?: string;
  readonly concurrency: number;
}

/** A usage error (exit 2). */
export function usage(message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', message);
}

/** FORCE_COLOR values that turn colour on (Node's own rule, doc/api/cli.md "FORCE_COLOR=[1, 2, 3]"). */
const FORCE_COLOR_ON = new Set(['', '1', 'true', '2', '3']);

/**
 * Whether to colour the text, first rule that applies:
 * 1. `--color` / `--no-color`, when given (no-color.org: a flag overrides the environment);
 * 2. `FORCE_COLOR`, when set: `1`, `2`, `3`, `true` or empty means colour even when stdout is not a terminal, and
 *    any other value (`0`, `false`) means none. As in Node itself, a FORCE_COLOR that turns colour on wins over
 *    `NO_COLOR`;
 * 3. `NO_COLOR` set to anything but the empty string (no-color.org): no colour;
 * 4. otherwise colour only when stdout is a terminal.
 */
export function useColor(flag: boolean | undefined, io: CliIo): boolean {
  if (flag !== undefined) return flag;
  const forceColor = io.env['FORCE_COLOR'];
  if (forceColor !== undefined) return FORCE_COLOR_ON.has(forceColor);
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return io.isTTY?.stdout === true;
}

/**
 * The effective format: `--json` alone is `--format json`. Beside `--format federation-tester` it is accepted, that
 * format being JSON already; beside `--format text` it is a contradiction (a usage error).
 */
export function formatOf(flags: CheckFlags): CheckFormat | undefined {
  if (!flags.json) return flags.format;
  if (flags.format === undefined || flags.format === 'json' || flags.format === 'federation-tester')
    return flags.format ?? 'json';
  throw usage(cliText(flags.locale, 'jsonAndFormat', { format: flags.format }));
}
