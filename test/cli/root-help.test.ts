// The root help the built CLI prints without commander (src/cli/root-help.ts) is commander's, byte for byte, and help
// text is laid out for 80 columns whatever the terminal (so that the build can write the root help once).

import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { ROOT_HELP_FILE } from '../../src/cli/root-help.js';
import { BUILT_MAIN, childEnv, runBuilt } from './built-cli.js';

/** The root help as commander writes it, from the sources (no build involved). */
async function commanderHelp(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the built CLI directory, to run with its root help file changed or removed. */
function copyOfBuiltCli(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-root-help-'));
  temp.push(dir);
  cpSync(dirname(BUILT_MAIN), dir, { recursive: true });
  return dir;
}

function runMain(main: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [main, ...args], { env: childEnv(), timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

describe('the root help', () => {
  it('the built CLI prints, for --help, -h and no arguments, what commander prints for --help (exit 0, stderr empty)', async () => {
    const expected = await commanderHelp(['--help']);
    expect(expected.code).toBe(0);
    expect(expected.out).toMatch(/^Usage: matrix-delegation \[options\] \[command\]\n/);
    for (const args of [['--help'], ['-h'], []]) {
      const r = await runBuilt(args);
      expect([r.code, r.stderr, r.stdout], args.join(' ')).toEqual([0, '', expected.out]);
    }
    // Commander's own `help` command (not taken by the shortcut) says the same.
    expect((await runBuilt(['help'])).stdout).toBe(expected.out);
  });

  it('is the file the build wrote: the built CLI prints that file, and without it falls back to commander', async () => {
    const dir = copyOfBuiltCli();
    const main = join(dir, 'main.js');
    writeFileSync(join(dir, ROOT_HELP_FILE), 'the file the build wrote\n');
    expect((await runMain(main, ['--help'])).stdout).toBe('the file the build wrote\n');
    rmSync(join(dir, ROOT_HELP_FILE));
    const fallback = await runMain(main, ['--help']);
    expect([fallback.code, fallback.stdout]).toEqual([0, (await commanderHelp(['--help'])).out]);
  });

  it('other arguments next to --help still go to commander (a command help, --lang)', async () => {
    const r = await runBuilt(['resolve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: matrix-delegation resolve \[options\] <server_name>/);
  });
});

describe('help is laid out for 80 columns whatever the terminal', () => {
  it('a 200-column terminal gets the text a pipe gets', async () => {
    const stdout = process.stdout as { isTTY?: boolean; columns?: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
    const piped = await commanderHelp(['check', '--help']);
    try {
      Object.defineProperty(stdout, 'isTTY', { value: true, configurable: true, writable: true });
      Object.defineProperty(stdout, 'columns', { value: 200, configurable: true, writable: true });
      const wide = await commanderHelp(['check', '--help']);
      expect(wide.out).toBe(piped.out);
    } finally {
      Object.defineProperty(stdout, 'isTTY', { value: saved.isTTY, configurable: true, writable: true });
      Object.defineProperty(stdout, 'columns', { value: saved.columns, configurable: true, writable: true });
    }
    // Wrapped for 80: the options' descriptions continue on lines of their own.
    const lines = piped.out.split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
  });
});
