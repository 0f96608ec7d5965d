// Prints an error to stderr as "error CODE: message", the form every command uses.

import type { CliIo } from './io.js';

/** Writes `error <CODE>: <message>` to stderr. */
export function printError(io: CliIo, code: string, message: string): void {
  io.stderr(`error ${code}: ${message}\n`);
}
