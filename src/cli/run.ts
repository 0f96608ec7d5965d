// Runs the command line with the process's own I/O: what main.ts loads once it knows the program is needed.

import { processIo } from './io.js';
import { runCli } from './program.js';

/**
 * Runs `argv` (without the node and script entries) as the command line of this process and resolves with the exit
 * code.
 *
 * @example
 * ```ts
 * process.exitCode = await runProcess(process.argv.slice(2));
 * ```
 */
export function runProcess(argv: readonly string[]): Promise<number> {
  return runCli(argv, processIo);
}
