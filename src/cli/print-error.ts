// Prints an error to stderr as "error CODE: message", the form every command uses.

import { escapeTerminalLines, escapeTerminalText } from '../report/terminal-text.js';
import type { CliIo } from './io.js';

/** Options of {@link printError}. */
export interface PrintErrorOptions {
  /**
   * The message's line breaks are ours (a list of config problems, a stack trace) and are kept [false: a line
   * break is shown as `\n`, since a message may quote remote text and must stay one line].
   */
  readonly multiline?: boolean;
}

/**
 * Writes `error <CODE>: <message>` to stderr. The message is escaped for the terminal (`escapeTerminalText`):
 * error messages quote remote values (a server's answer, a DNS name, a URL), which must not be able to move the
 * cursor, recolour the terminal or write a line of their own.
 */
export function printError(io: CliIo, code: string, message: string, options: PrintErrorOptions = {}): void {
  const text = options.multiline === true ? escapeTerminalLines(message) : escapeTerminalText(message);
  io.stderr(`error ${escapeTerminalText(code)}: ${text}\n`);
}
