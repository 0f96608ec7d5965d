// Test helper: runs one registered command in a commander program of its own, the way runCli maps errors to exit codes.

import { Command, CommanderError } from 'commander';
import type { CliIo } from '../../src/cli/io.js';
import { MatrixDelegationError } from '../../src/errors.js';

/** What a command printed and its exit code. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Usage codes, as runCli treats them (exit 2). */
const USAGE = new Set(['INVALID_SERVER_NAME', 'INVALID_ARGUMENT', 'INVALID_CIDR', 'INVALID_CONFIG']);

/** Registers a command with `register` on a fresh program and runs `argv` through it. */
export async function runCommand(register: (program: Command, io: CliIo, setExit: (code: number) => void) => void, argv: readonly string[]): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} };
  let code = 0;
  const program = new Command()
    .name('matrix-delegation')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  register(program, io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else if (error instanceof MatrixDelegationError) {
      stderr += `error ${error.code}: ${error.message}\n`;
      code = USAGE.has(error.code) ? 2 : 1;
    } else throw error;
  }
  return { code, stdout, stderr };
}
