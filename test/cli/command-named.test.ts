// Only the command named on the line is registered (start-up cost): what that must not change for the user.

import { describe, expect, it } from 'vitest';
import { commandNamed } from '../../src/cli/program.js';
import { runCapture } from './run-cli.js';

describe('commandNamed', () => {
  it('finds our command after the program options, and nothing for anything else', () => {
    expect(commandNamed(['resolve', 'example.org'])).toBe('resolve');
    expect(commandNamed(['--lang', 'zh-CN', 'check', 'x'])).toBe('check');
    expect(commandNamed(['--lang=en', 'plan'])).toBe('plan');
    expect(commandNamed(['help', 'check'])).toBeNull();
    expect(commandNamed(['resolv', 'example.org'])).toBeNull();
    expect(commandNamed(['--version'])).toBeNull();
    expect(commandNamed(['--lang'])).toBeNull();
    expect(commandNamed([])).toBeNull();
  });
});

describe('the line, with one command registered', () => {
  it('still lists every command in the root help and in `help`, and knows them all for the did-you-mean', async () => {
    const names = ['resolve', 'request', 'check', 'serve', 'watch', 'plan', 'config'];
    for (const argv of [['--help'], ['help']]) {
      const run = await runCapture(argv);
      for (const name of names) expect(run.stdout + run.stderr).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
    }
    const misspelt = await runCapture(['confg']);
    expect([misspelt.code, /did you mean config\?/i.test(misspelt.stderr)]).toEqual([2, true]);
  });

  it("a command's own help and its options work with --lang before it", async () => {
    const help = await runCapture(['--lang', 'en', 'check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--json');
    expect(help.stdout).toContain('--lang');
    const bad = await runCapture(['resolve', '1.2.3.4:8448', '--no-such-flag']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--no-such-flag'");
  });
});
