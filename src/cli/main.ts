#!/usr/bin/env node
// The matrix-delegation executable: runs the command line on the process's arguments.

import { VERSION } from '../version.js';
import { asksForRootHelp, printRootHelp } from './root-help.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // What commander prints for these, without loading it and declaring every command: `--version` is what scripts
  // and package managers run most often, and it should cost no more than starting Node.
  process.stdout.write(`${VERSION}\n`);
} else if (asksForRootHelp(argv) && printRootHelp(import.meta.url, (text) => process.stdout.write(text))) {
  // The build's copy of commander's root help was printed (exit code 0, as commander's).
} else {
  // Loaded here rather than imported at the top, so that the lines above run without it. No top-level await: the
  // bundle's chunks may import each other in cycles, which a module waiting at top level would deadlock.
  import('./run.js')
    .then(({ runProcess }) => runProcess(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        // runCli reports every error itself; this is a failure to load the program (a damaged installation).
        process.stderr.write(
          `error INTERNAL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        process.exitCode = 1;
      },
    );
}
