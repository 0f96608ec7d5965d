// The root help as the build wrote it: printed without loading commander, for `--help`, `-h` and no arguments.

import type { readFileSync as ReadFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The file the build writes next to main.js: the root help exactly as commander lays it out (scripts/build.ts). */
export const ROOT_HELP_FILE = 'root-help.txt';

/** The arguments that ask for the root help and nothing else. */
export function asksForRootHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h'));
}

/**
 * Prints the root help the build wrote next to `moduleUrl`, without loading commander and declaring every command
 * (half of what `--help` costs beyond starting Node, BENCHMARKS.md "cli-startup"). False when the file is not there
 * (running from the sources): commander prints it then.
 */
export function printRootHelp(moduleUrl: string, write: (text: string) => void): boolean {
  let text: string;
  try {
    // node:fs through require, as main.js needs nothing else from it.
    const { readFileSync } = createRequire(moduleUrl)('node:fs') as { readFileSync: typeof ReadFileSync };
    text = readFileSync(new URL(ROOT_HELP_FILE, moduleUrl), 'utf8');
  } catch {
    return false;
  }
  write(text);
  return true;
}
