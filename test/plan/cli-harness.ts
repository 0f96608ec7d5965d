// Test helper: runs one registered command (with injected dependencies) in a commander program of its own, mapping errors as runCli does.

import { Command } from 'commander';
import type { CliIo } from '../../src/cli/io.js';
import { exitCodeForError } from '../../src/cli/program.js';

/** What a command printed and its exit code. */
export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Registers a command with `register` on a fresh program and runs `argv` through it. */
export async function runCommand(
  register: (program: Command, io: CliIo, setExit: (code: number) => void) => void,
  argv: readonly string[],
): Promise<CommandRun> {
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
    code = exitCodeForError(error, io);
  }
  return { code, stdout, stderr };
}
