// `check` in Simplified Chinese through the built executable over the lab: the same hint ids, order, severities and
// exit code as English, the texts in Chinese (text report and --json), chosen by --lang or by LANG.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { spawnCli } from '../monitor/child.js';
import { runBuilt } from './built-cli.js';
import { labCliFlags } from './run-cli.js';
import { labHomeserverRoutes } from '../../support/lab-homeserver.js';

const HAN = /\p{Script=Han}/u;
const seed = generateEd25519Seed();

let lab: Lab;
let dir: string;
let flags: string[];

const HOMESERVER = labHomeserverRoutes({ seed, keyId: 'ed25519:lab' });

/** Broken deployments admins meet, each with hints in every area the catalogue has. */
const BROKEN = {
  // The certificate has expired: tls hints.
  expired: 'expired.example.org',
  // m.server written as a URL (spec: server name grammar, no scheme), and nothing on 8448: well-known hints.
  url: 'url.example.org',
  // No DNS record at all: a resolution failure.
  missing: 'missing.example.org',
};

beforeAll(async () => {
  lab = await startLab({
    zones: {
      [BROKEN.expired]: { A: ['expired'] },
      [BROKEN.url]: { A: ['web'] },
    },
    hosts: {
      expired: { port: 'federation', certificates: [{ kind: 'expired' }], routes: HOMESERVER },
      web: {
        port: 'https',
        routes: { 'GET /.well-known/matrix/server': { json: { 'm.server': 'https://matrix.url.example.org' } } },
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'md-lang-check-'));
  writeFileSync(join(dir, 'ca.pem'), lab.caCertPem);
  flags = labCliFlags(lab, join(dir, 'ca.pem'), { timeoutMs: 10_000 });
}, 30_000);

afterAll(async () => {
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface NativeHint {
  readonly id: string;
  readonly severity: string;
  readonly area: string;
  readonly title: string;
  readonly detail: string;
  readonly fix: string;
}

interface NativeReport {
  readonly federationOk: boolean;
  readonly summary: string;
  readonly hints: readonly NativeHint[];
}

const json = (stdout: string): NativeReport => JSON.parse(stdout) as NativeReport;
const shape = (r: NativeReport) => r.hints.map((h) => [h.id, h.severity, h.area]);

describe('check --lang zh-CN (the built executable, over the lab)', () => {
  it.each(Object.entries(BROKEN))(
    '%s: --json gives the same ids, order, severities and exit code, with every text in Chinese',
    async (_, name) => {
      const [en, zh] = await Promise.all([
        runBuilt(['check', name, '--json', ...flags]),
        runBuilt(['check', name, '--json', '--lang', 'zh-CN', ...flags]),
      ]);
      expect(en.code, en.stderr).toBe(1);
      expect(zh.code, zh.stderr).toBe(en.code);
      const english = json(en.stdout);
      const chinese = json(zh.stdout);
      expect(english.hints.length).toBeGreaterThan(0);
      expect(shape(chinese)).toEqual(shape(english));
      expect(chinese.federationOk).toBe(english.federationOk);
      // JSON keys stay English: the same structure.
      expect(Object.keys(chinese)).toEqual(Object.keys(english));
      expect(chinese.summary).toMatch(HAN);
      expect(english.summary).not.toMatch(HAN);
      chinese.hints.forEach((hint, i) => {
        for (const field of ['title', 'detail', 'fix'] as const) {
          expect(hint[field], `${hint.id}.${field}`).toMatch(HAN);
          expect(english.hints[i]![field], `${hint.id}.${field} (English)`).not.toMatch(HAN);
        }
      });
    },
    60_000,
  );

  it('LANG=zh_CN.UTF-8 does what --lang zh-CN does; LC_ALL=C and --lang en keep English', async () => {
    const name = BROKEN.expired;
    const [flag, environment, cLocale, flagOverEnv] = await Promise.all([
      runBuilt(['check', name, '--json', '--lang', 'zh-CN', ...flags]),
      runBuilt(['check', name, '--json', ...flags], { LANG: 'zh_CN.UTF-8' }),
      runBuilt(['check', name, '--json', ...flags], { LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }),
      runBuilt(['check', name, '--json', '--lang', 'en', ...flags], { LANG: 'zh_CN.UTF-8' }),
    ]);
    expect([flag.code, environment.code, cLocale.code, flagOverEnv.code]).toEqual([1, 1, 1, 1]);
    const titles = (r: NativeReport) => r.hints.map((h) => [h.id, h.title]);
    expect(titles(json(environment.stdout))).toEqual(titles(json(flag.stdout)));
    expect(json(environment.stdout).hints[0]!.title).toMatch(HAN);
    for (const english of [cLocale, flagOverEnv]) {
      expect(shape(json(english.stdout))).toEqual(shape(json(flag.stdout)));
      expect(english.stdout).not.toMatch(HAN);
    }
  }, 60_000);

  it('the text report names the same hints in Chinese, with the same exit code', async () => {
    const name = BROKEN.expired;
    const [enJson, zhJson, zhText, enText] = await Promise.all([
      runBuilt(['check', name, '--json', ...flags]),
      runBuilt(['check', name, '--json', '--lang', 'zh-CN', ...flags]),
      runBuilt(['check', name, '--lang', 'zh-CN', ...flags]),
      runBuilt(['check', name, ...flags]),
    ]);
    expect(zhText.code).toBe(enText.code);
    for (const hint of json(zhJson.stdout).hints) {
      expect(hint.title).toMatch(HAN);
      expect(zhText.stdout).toContain(hint.title);
    }
    for (const hint of json(enJson.stdout).hints) expect(enText.stdout).toContain(hint.title);
    expect(enText.stdout).not.toMatch(HAN);
  }, 60_000);

  it('check --from FILE --lang zh-CN: JSON Lines with Chinese hints, the same ids; the summary line in Chinese', async () => {
    const list = join(dir, 'names.txt');
    writeFileSync(list, `${BROKEN.expired}\n${BROKEN.url}\n`);
    const [en, zh] = await Promise.all([
      runBuilt(['check', '--from', list, ...flags]),
      runBuilt(['check', '--from', list, '--lang', 'zh-CN', ...flags]),
    ]);
    expect(zh.code).toBe(en.code);
    const byName = (stdout: string) =>
      new Map(
        stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as NativeReport & { serverName: string })
          .map((r) => [r.serverName, r]),
      );
    const english = byName(en.stdout);
    const chinese = byName(zh.stdout);
    for (const name of [BROKEN.expired, BROKEN.url]) {
      expect(shape(chinese.get(name)!)).toEqual(shape(english.get(name)!));
      for (const hint of chinese.get(name)!.hints) expect(hint.title).toMatch(HAN);
    }
    expect(en.stderr).toMatch(/^checked 2 names in /m);
    expect(zh.stderr).toMatch(/^已检查 2 个服务器名/m);
  }, 60_000);
});

describe('resolve --lang zh-CN (the built executable, over the lab)', () => {
  it('describes the steps in Chinese, with the same exit code; --json stays the same document', async () => {
    const name = BROKEN.url;
    const [en, zh, enJson, zhJson] = await Promise.all([
      runBuilt(['resolve', name, '--trace', ...flags]),
      runBuilt(['resolve', name, '--trace', '--lang', 'zh-CN', ...flags]),
      runBuilt(['resolve', name, '--json', ...flags]),
      runBuilt(['resolve', name, '--json', '--lang', 'zh-CN', ...flags]),
    ]);
    expect(zh.code).toBe(en.code);
    expect(zhJson.code).toBe(enJson.code);
    expect(en.stdout).not.toMatch(HAN);
    expect(zh.stdout).toMatch(HAN);
    // The values a person needs are in both: the m.server as served, the host and the port.
    for (const value of ['https://matrix.url.example.org', name, String(lab.ports.federation)]) {
      expect(en.stdout).toContain(value);
      expect(zh.stdout).toContain(value);
    }
    expect(zhJson.stdout).toBe(enJson.stdout);
  }, 60_000);

  it('a resolution that fails names its reason in Chinese after the same code, with the same exit code', async () => {
    const [en, zh] = await Promise.all([
      runBuilt(['resolve', BROKEN.missing, ...flags]),
      runBuilt(['resolve', BROKEN.missing, '--lang', 'zh-CN', ...flags]),
    ]);
    expect(en.code).toBe(1);
    expect(zh.code).toBe(en.code);
    const code = /^error ([A-Z_]+): /m.exec(en.stderr)?.[1];
    expect(code).toBeDefined();
    expect(zh.stderr).toMatch(new RegExp(`^error ${code}: .*\\p{Script=Han}`, 'mu'));
    const invalid = await runBuilt(['resolve', 'bad_name.example', '--lang', 'zh-CN']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error INVALID_SERVER_NAME: .*\p{Script=Han}/mu);
  }, 60_000);
});

describe('watch --lang zh-CN (the built executable, over the lab)', () => {
  it('prints each check in Chinese (verdict and summary), as --json keeps its keys and hint ids', async () => {
    const args = ['watch', BROKEN.expired, '--interval-ms', '200', ...flags];
    const [zh, zhJson, en] = [
      spawnCli([...args, '--lang', 'zh-CN']),
      spawnCli([...args, '--lang', 'zh-CN', '--json']),
      spawnCli([...args, '--lang', 'en']),
    ];
    const lineOf = (stdout: string) => stdout.split('\n').find((l) => l.includes(BROKEN.expired)) ?? '';
    await zh.waitUntil(() => lineOf(zh.stdout()) !== '', 'a check line');
    await zhJson.waitUntil(() => zhJson.jsonLines().length > 0, 'a JSON line');
    await en.waitUntil(() => lineOf(en.stdout()) !== '', 'a check line');
    for (const child of [zh, zhJson, en]) expect(await child.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    // English: `<time> <name> FAILING (1 in a row): <summary>`; Chinese: the same facts in Chinese.
    expect(lineOf(en.stdout())).toMatch(/ FAILING \(1 in a row\): Federation does not work/);
    expect(lineOf(zh.stdout())).toMatch(
      new RegExp(`^\\S+ ${BROKEN.expired.replace(/\./g, '\\.')} 不正常（连续 1 次）：`),
    );
    expect(lineOf(zh.stdout()).split('：').slice(1).join('：')).toMatch(HAN);
    const check = zhJson.jsonLines()[0] as {
      type: string;
      federation_ok: boolean;
      hints: { id: string; title: string }[];
    };
    expect(check.type).toBe('check');
    expect(check.federation_ok).toBe(false);
    expect(check.hints.length).toBeGreaterThan(0);
    for (const hint of check.hints) expect(hint.title).toMatch(HAN);
  }, 60_000);
});

describe('usage errors of the built executable', () => {
  it('--lang fr is a usage error listing the languages (exit 2), and nothing is checked', async () => {
    const r = await runBuilt(['check', BROKEN.expired, '--lang', 'fr', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: .*"fr".*en or zh-CN/m);
    expect(r.stdout).toBe('');
  });

  it('a usage error in zh-CN: the same exit code and error code, the message in Chinese', async () => {
    const [en, zh, env] = await Promise.all([
      runBuilt(['check', BROKEN.expired, '--timeout-ms', 'soon']),
      runBuilt(['check', BROKEN.expired, '--timeout-ms', 'soon', '--lang', 'zh-CN']),
      runBuilt(['check', BROKEN.expired, '--timeout-ms', 'soon'], { LC_MESSAGES: 'zh_CN.UTF-8' }),
    ]);
    expect([en.code, zh.code, env.code]).toEqual([2, 2, 2]);
    expect(en.stderr).toMatch(/^error INVALID_ARGUMENT: option '--timeout-ms <n>' argument 'soon' is invalid/);
    for (const r of [zh, env]) {
      expect(r.stderr).toMatch(/^error INVALID_ARGUMENT: /);
      expect(r.stderr).toMatch(HAN);
      expect(r.stderr).toContain("'--timeout-ms <n>'");
      expect(r.stderr).toContain("'soon'");
      expect(r.stderr).toContain('600000');
    }
  });
});
