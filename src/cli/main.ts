#!/usr/bin/env node
// The matrix-delegation command line: parses arguments and runs a command.

console.log('matrix-delegation');
