// serve, config, watch and plan in zh-CN, in-process: a refused config told in Chinese with the same key, line and
// exit code; a plan explained in Chinese with the same files; the serving line in the chosen language.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingLine } from '../../src/cli/commands/serve-run.js';
import { runCapture } from './run-cli.js';

const HAN = /\p{Script=Han}/u;
let dir: string;
let broken: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-lang-commands-'));
  broken = join(dir, 'broken.yaml');
  // A misspelt key (a warning with a did-you-mean) and a value of the wrong type (an error) on known lines.
  writeFileSync(
    broken,
    'server_name: example.com\nlisteners: [{ port: 8080, bind_adresses: [127.0.0.1] }]\ntester: { enabled: maybe }\n',
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a refused config in zh-CN', () => {
  it.each([
    ['serve', ['serve', '--config']],
    ['config', ['config', 'nginx', '--from']],
    ['watch', ['watch', '--config']],
  ])('%s: the same exit code, key and line, the problem and fix in Chinese', async (_, argv) => {
    const en = await runCapture([...argv, broken]);
    const zh = await runCapture([...argv, broken, '--lang', 'zh-CN']);
    expect(en.code).toBe(2);
    expect(zh.code).toBe(en.code);
    expect(en.stderr).toMatch(/^error INVALID_CONFIG: /m);
    expect(zh.stderr).toMatch(/^error INVALID_CONFIG: /m);
    expect(en.stderr).not.toMatch(HAN);
    const error = zh.stderr.slice(zh.stderr.indexOf('error INVALID_CONFIG: '));
    expect(error).toMatch(HAN);
    for (const value of ['tester.enabled', '"maybe"', broken, '3']) expect(error).toContain(value);
  });

  it('serve: the warnings before the errors in Chinese too, with their did-you-mean', async () => {
    const zh = await runCapture(['serve', '--config', broken], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.code).toBe(2);
    const warning = zh.stderr.split('\n').find((l) => l.startsWith('warning: ')) ?? '';
    expect(warning).toMatch(HAN);
    expect(warning).toContain('bind_adresses');
    expect(warning).toContain('bind_addresses');
  });
});

describe('plan --lang zh-CN', () => {
  it('explains in Chinese and writes the same files as in English', async () => {
    const argv = ['plan', '--server-name', 'example.com', '--homeserver', 'https://matrix.example.com', '--no-probe'];
    const en = await runCapture(argv);
    const zh = await runCapture([...argv, '--lang', 'zh-CN']);
    expect(en.code).toBe(0);
    expect(zh.code).toBe(0);
    expect(en.stdout).not.toMatch(HAN);
    expect(zh.stdout).toMatch(HAN);
    // The files are the same (--json: the documents, the config, the snippets, the DNS records, homeserver.yaml);
    // the reasons are in the language.
    const [enJson, zhJson] = await Promise.all([
      runCapture([...argv, '--json']),
      runCapture([...argv, '--json', '--lang', 'zh-CN']),
    ]);
    const en_ = JSON.parse(enJson.stdout) as Record<string, unknown> & { delegation: { reasons: string[] } };
    const zh_ = JSON.parse(zhJson.stdout) as typeof en_;
    expect(Object.keys(zh_)).toEqual(Object.keys(en_));
    for (const key of ['documents', 'config', 'snippets', 'files', 'srvRecord', 'dns', 'synapse', 'next'])
      expect(zh_[key], key).toEqual(en_[key]);
    expect(zh_.delegation.reasons.join(' ')).toMatch(HAN);
    expect(en_.delegation.reasons.join(' ')).not.toMatch(HAN);
  });

  it('a missing flag is told in Chinese, with the same exit code', async () => {
    const zh = await runCapture(['plan', '--server-name', 'example.com', '--no-probe', '--lang', 'zh-CN']);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toMatch(/^error INVALID_ARGUMENT: .*--homeserver/m);
    expect(zh.stderr).toMatch(HAN);
  });
});

describe("serve's startup line", () => {
  it('is English by default and Chinese in zh-CN, with the URL as its one http(s) word', () => {
    const url = 'https://[::1]:8448/';
    expect(servingLine(url)).toBe(`matrix-delegation serving on ${url}\n`);
    const zh = servingLine(url, 'zh-CN');
    expect(zh).toMatch(HAN);
    expect(zh.match(/https?:\/\/\S+/g)).toEqual([url]);
  });
});
