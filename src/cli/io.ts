// The command line's I/O, injected so tests can run commands in-process and read what they print.

import type { Readable } from 'node:stream';

/** Which of the standard streams are terminals (progress bars and colours are for terminals only). */
export interface CliTty {
  readonly stdout?: boolean;
  readonly stderr?: boolean;
}

/** Where a command writes, and the environment it reads. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input, for `check --from -` [none: reading it is a usage error]. */
  readonly stdin?: Readable;
  /** Which streams are terminals [none]. */
  readonly isTTY?: CliTty;
}

/** Exit codes of every command (the contract of issue #3). */
export const EXIT = {
  /** Success (resolve: at least one target; request: a 2xx answer; check: federation works). */
  ok: 0,
  /** Failure (no usable target, TLS failure, non-2xx, federation does not work). */
  failure: 1,
  /** Usage error or invalid server name. */
  usage: 2,
} as const;

/** The process's own I/O. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  // A getter: touching process.stdin opens the stream, which only `check --from -` should do.
  get stdin() {
    return process.stdin;
  },
  isTTY: { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true },
};
