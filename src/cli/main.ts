#!/usr/bin/env node
// The matrix-delegation executable: runs the command line on the process's arguments.

import { processIo } from './io.js';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
