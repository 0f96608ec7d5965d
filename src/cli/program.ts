// Builds the command-line program and runs it with injected I/O, returning the exit code.

import { Command, CommanderError } from 'commander';
import { MatrixDelegationError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerCheck } from './commands/check.js';
import { registerConfig } from './commands/config.js';
import { registerPlan } from './commands/plan.js';
import { registerRequest } from './commands/request.js';
import { registerResolve } from './commands/resolve.js';
import { registerServe } from './commands/serve.js';
import { registerWatch } from './commands/watch.js';
import { commanderErrorText } from './commander-errors.js';
import type { CliIo } from './io.js';
import { EXIT } from './io.js';
import { addLangOption, localeOf } from './lang-flag.js';
import { printError } from './print-error.js';

/** Every command, in the order the help lists them. */
const COMMANDS: readonly (readonly [string, (program: Command, io: CliIo, setExit: (code: number) => void) => void])[] =
  [
    ['resolve', registerResolve],
    ['request', registerRequest],
    ['check', registerCheck],
    ['serve', registerServe],
    ['watch', registerWatch],
    ['plan', registerPlan],
    ['config', registerConfig],
  ];

/**
 * The command `argv` names, when it is one of ours: the first word that is not a program option (`--lang VALUE`,
 * `--lang=VALUE`); null for anything else (no word, `help`, an unknown word, or an option commander must judge first).
 */
export function commandNamed(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lang') {
      i++;
      continue;
    }
    if (arg.startsWith('--lang=')) continue;
    if (arg.startsWith('-')) return null;
    return COMMANDS.some(([name]) => name === arg) ? arg : null;
  }
  return null;
}

/** The width help text is laid out for, in columns. */
export const HELP_WIDTH = 80;

/** Codes that mean the caller's input was wrong (exit 2) rather than the remote side (exit 1). */
const USAGE_CODES = new Set(['INVALID_SERVER_NAME', 'INVALID_ARGUMENT', 'INVALID_CIDR', 'INVALID_CONFIG']);

/**
 * Runs the command line with `argv` (without the node and script entries) and returns the exit code:
 * 0 success, 1 failure, 2 usage error or invalid server name.
 *
 * @example
 * ```ts
 * const code = await runCli(['resolve', 'example.com', '--json'], processIo);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('matrix-delegation')
    .description(
      'Matrix federation delegation: resolve server names as the spec says, make federation requests, explain what is wrong.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Help is laid out for 80 columns whatever the terminal (as git's and curl's is): the same text everywhere,
      // which lets the root help be written once at build time and printed without loading commander (main.ts).
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      // Usage errors carry a code like every other error (`error CODE: message`, issue #3), in the language of
      // --lang (parsed before the command's options) or of the environment, then the pointer to --help.
      outputError: (text, write) => write(commanderErrorText(text, localeOf(program))),
    })
    // Each command's --help lists --lang too (a program option, given before or after the command name).
    .configureHelp({ showGlobalOptions: true });
  addLangOption(program, io.env);
  // A command named on the line is the only one registered: defining the others' options is most of what commander
  // costs a one-shot command at start-up (BENCHMARKS.md, cli-startup). Without one (the root help, `help CMD`, an
  // unknown or misspelt command), all are, so that the help lists them and the did-you-mean knows them.
  const named = commandNamed(argv);
  for (const [name, register] of COMMANDS) if (named === null || named === name) register(program, io, setExit);

  // With no command, say what the tool can do. The root program has no action of its own: with one, commander
  // would take `frobnicate` for an argument of it ("too many arguments") instead of an unknown command, which it
  // answers with "unknown command 'frobnicate'" and a did-you-mean (showSuggestionAfterError, on by default).
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeForError(error, io);
  }
}

/**
 * The exit code for an error a command threw, after printing it: commander's own (0 for --help and --version,
 * else usage), 2 for the caller's mistakes, 1 for the rest.
 */
export function exitCodeForError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; everything else commander rejects is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof MatrixDelegationError) {
    printError(io, error.code, error.message);
    return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
  }
  printError(io, 'INTERNAL', error instanceof Error ? (error.stack ?? error.message) : String(error), {
    multiline: true,
  });
  return EXIT.failure;
}
