// The command line's I/O, injected so tests can run commands in-process and read what they print.

/** Where a command writes, and the environment it reads. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes of every command (the contract of issue #3). */
export const EXIT = {
  /** Success (resolve: at least one target; request: a 2xx answer). */
  ok: 0,
  /** Failure (no usable target, TLS failure, non-2xx). */
  failure: 1,
  /** Usage error or invalid server name. */
  usage: 2,
} as const;

/** The process's own I/O. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};
