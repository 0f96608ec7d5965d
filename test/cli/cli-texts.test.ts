// The command line's own messages in every language: the catalogue's completeness, commander's usage errors read back
// and said again in zh-CN, our own usage errors, and how the language is chosen (--lang, LC_ALL, LC_MESSAGES, LANG).

import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_TEXTS } from '../../src/cli/cli-texts.js';
import type { CliTexts } from '../../src/cli/cli-texts.js';
import { commanderErrorMessage, parseCommanderError } from '../../src/cli/commander-errors.js';
import { checkTranslations } from '../../src/i18n/index.js';
import type { MessageExamples } from '../../src/i18n/index.js';
import { runCapture } from './run-cli.js';

const HAN = /\p{Script=Han}/u;

// Every value distinct, so that each stands for one placeholder (checkTranslations looks for each in both languages).
const EXAMPLES: MessageExamples<CliTexts> = {
  unknownOption: { option: '--frobnicate' },
  unknownCommand: { command: 'frobnicate' },
  didYouMean: { candidates: ['--json', '--jsonl'] },
  missingArgument: { argument: 'server_name' },
  optionMissingArgument: { option: '--timeout-ms <n>' },
  missingMandatoryOption: { option: '--from <config>' },
  conflictingOption: { option: '--alpha', other: '--omega' },
  excessArguments: { command: 'check', expected: 1, received: 3 },
  invalidOptionValue: { option: '--format <format>', value: 'xml', reason: 'Allowed choices are a, b.' },
  invalidArgumentValue: { argument: 'target', value: 'bogus', reason: 'Allowed choices are c, d.' },
  allowedChoices: { choices: ['nginx', 'caddy'] },
  unknownLanguage: { value: 'fr-FR', languages: ['en', 'zh-CN'] },
  wholeNumber: { flag: '--timeout-ms', min: 1, max: 600_000, value: 'abc' },
  port: { flag: '--federation-port', value: '70000' },
  cacheStoreUrl: { value: 'http://redis.example' },
  jsonAndFormat: { format: 'text' },
  unreadableList: { path: '/nonexistent/names.txt', why: 'ENOENT' },
  checkOverran: { serverName: 'slow.example.org', budgetMs: 5000 },
  batchSummary: { checked: 5, ok: 3, failing: 1, errors: 1, duration: '1.23 s' },
  progressCounted: { done: 2 },
  progressCounts: { ok: 1, failing: 1, errors: 0, running: 2, seconds: '1.5' },
  unreadableData: { source: '--data-file body.json', why: 'EACCES' },
  dataNotJson: { source: '--data', why: 'Unexpected token' },
  httpError: { serverName: 'example.org', status: 404, path: '/_matrix/federation/v1/version' },
  missingFlag: { flag: '--homeserver' },
  noAnswer: { flag: '--server-name' },
  documentsInline: { target: 'nginx' },
  wroteFile: { path: '/var/www/matrix-delegation/server', bytes: 42 },
  serving: { url: 'http://127.0.0.1:8080/' },
  watchNoMonitor: { config: 'config.yaml' },
  watchOk: { summary: 'Federation works.' },
  watchFailing: { count: 3, summary: 'Federation does not work: the only address fails.' },
  watchNotify: { kind: 'failing', subject: 'example.org: federation is failing' },
};

describe('the command line catalogue', () => {
  it('has every message in zh-CN, with the same values, in Chinese (checkTranslations)', () => {
    expect(checkTranslations(CLI_TEXTS, EXAMPLES)).toEqual([]);
  });
});

/** The message of an English usage error as the command line prints it: after `error INVALID_ARGUMENT: `. */
function englishMessage(stderr: string): string {
  const m = /^error INVALID_ARGUMENT: ([\s\S]*)\n\(run with --help for usage\)\n$/.exec(stderr);
  if (m === null) throw new Error(`not a usage error: ${JSON.stringify(stderr)}`);
  return m[1]!;
}

// Commander's own usage errors, each reached through the real program, with the values its text names.
const COMMANDER_CASES: readonly { argv: string[]; kind: string; values: string[] }[] = [
  { argv: ['check', 'x', '--frobnicate'], kind: 'unknownOption', values: ['--frobnicate'] },
  { argv: ['check', 'x', '--jsn'], kind: 'unknownOption', values: ['--jsn', '--json'] },
  { argv: ['resolv', 'x'], kind: 'unknownCommand', values: ['resolv', 'resolve'] },
  { argv: ['resolve'], kind: 'missingArgument', values: ['server_name'] },
  { argv: ['check', 'x', '--timeout-ms'], kind: 'optionMissingArgument', values: ['--timeout-ms <n>'] },
  { argv: ['config', 'nginx'], kind: 'missingMandatoryOption', values: ['--from <config>'] },
  { argv: ['check', 'a.example', 'b.example'], kind: 'excessArguments', values: ['check'] },
  {
    argv: ['check', 'x', '--format', 'xml'],
    kind: 'invalidOptionValue',
    values: ['--format <format>', 'xml', 'federation-tester'],
  },
  {
    argv: ['check', 'x', '--timeout-ms', 'abc'],
    kind: 'invalidOptionValue',
    values: ['--timeout-ms <n>', 'abc', '600000'],
  },
  {
    argv: ['config', 'bogus', '--from', 'c.yaml'],
    kind: 'invalidArgumentValue',
    values: ['target', 'bogus', 'haproxy'],
  },
];

describe("commander's usage errors", () => {
  it.each(COMMANDER_CASES)('$argv: read back exactly, said in zh-CN with the same values, exit 2', async (c) => {
    const english = await runCapture(c.argv);
    expect(english.code).toBe(2);
    const message = englishMessage(english.stderr);
    const parsed = parseCommanderError(`error: ${message}`);
    expect(parsed?.kind).toBe(c.kind);
    // The English catalogue says exactly what commander says: the text was read back whole.
    expect(commanderErrorMessage(parsed!, 'en')).toBe(message);

    const chinese = await runCapture([...c.argv, '--lang', 'zh-CN']);
    expect(chinese.code).toBe(english.code);
    expect(chinese.stderr).toMatch(/^error INVALID_ARGUMENT: /);
    expect(chinese.stderr).not.toContain(message.split('\n')[0]);
    expect(chinese.stderr).not.toContain('run with --help');
    expect(chinese.stderr).toMatch(HAN);
    for (const value of c.values) expect(chinese.stderr).toContain(value);
  });

  it('a conflict between options (commander .conflicts()) is read back too', () => {
    let text = '';
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined, outputError: (t) => (text = t) })
      .option('--alpha')
      .addOption(new Option('--omega').conflicts('alpha'));
    expect(() => program.parse(['--alpha', '--omega'], { from: 'user' })).toThrow();
    const message = text.replace(/\n$/, '');
    const parsed = parseCommanderError(message);
    expect(parsed).toEqual({ kind: 'conflictingOption', option: '--omega', other: '--alpha' });
    expect(`error: ${commanderErrorMessage(parsed!, 'en')}`).toBe(message);
  });

  it('a text it does not know is printed as commander wrote it, in any language', async () => {
    expect(parseCommanderError('error: something commander 15 says')).toBeNull();
  });
});

describe('our own usage errors', () => {
  it.each([
    [['check'], 'missing server name'],
    [['check', 'x', '--from', 'names.txt'], 'not both'],
    [['check', 'x', '--json', '--format', 'text'], 'contradict'],
    [['plan', '--server-name', 'example.com', '--no-probe'], 'missing --homeserver'],
    [['request', 'x', '/p', '--origin', 'example.com'], '--origin and --signing-key'],
    [['watch'], 'give the server names to watch'],
  ])('%j: the same exit code, the message in Chinese', async (argv, english) => {
    const en = await runCapture(argv);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain(english);
    const zh = await runCapture([...argv, '--lang', 'zh-CN']);
    expect(zh.code).toBe(en.code);
    expect(zh.stderr).toMatch(/^error INVALID_ARGUMENT: /);
    expect(zh.stderr).not.toContain(english);
    expect(zh.stderr).toMatch(HAN);
  });
});

describe('choosing the language of the command line', () => {
  const missingName = (env: Record<string, string>, flags: string[] = []) =>
    runCapture(['check', ...flags], { env }).then((r) => HAN.test(r.stderr));

  it('LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them; zh_CN.UTF-8 and zh-Hans are zh-CN', async () => {
    expect(await missingName({})).toBe(false);
    expect(await missingName({ LANG: 'zh_CN.UTF-8' })).toBe(true);
    expect(await missingName({ LANG: 'zh-Hans' })).toBe(true);
    expect(await missingName({ LC_MESSAGES: 'zh_CN', LANG: 'en_US.UTF-8' })).toBe(true);
    expect(await missingName({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toBe(false);
    // A language without messages falls back to English quietly: the environment is a preference.
    expect(await missingName({ LANG: 'zh_TW.UTF-8' })).toBe(false);
    expect(await missingName({ LANG: 'fr_FR.UTF-8' })).toBe(false);
  });

  it('--lang beats the environment, before or after the command name', async () => {
    expect(await missingName({ LANG: 'zh_CN.UTF-8' }, ['--lang', 'en'])).toBe(false);
    expect(await missingName({}, ['--lang=zh-CN'])).toBe(true);
    const before = await runCapture(['--lang', 'zh-CN', 'check']);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(HAN);
  });

  it('an unknown --lang is a usage error naming our languages (exit 2), in the language of the environment', async () => {
    for (const value of ['fr', 'zh-TW', '']) {
      const r = await runCapture(['check', 'example.org', '--lang', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: /);
      expect(r.stderr).toContain('en or zh-CN');
      expect(r.stdout).toBe('');
    }
    const zh = await runCapture(['check', 'example.org', '--lang', 'fr'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toMatch(HAN);
    expect(zh.stderr).toContain('zh-CN');
  });

  it('every command takes --lang and lists it in its --help', async () => {
    for (const command of ['check', 'resolve', 'request', 'plan', 'config', 'serve', 'watch']) {
      const help = await runCapture([command, '--help', '--lang', 'zh-CN']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^\s*--lang <language>/m);
    }
  });
});
