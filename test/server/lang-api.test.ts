// The built `serve` over the lab in two languages: /api/check and /api/monitor answer in the language of ?lang= or
// Accept-Language from one check and one cached result; /api/report and /api/federation-ok stay English byte for
// byte; the startup line follows --lang / LANG.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { BUILT_MAIN, childEnv } from '../cli/built-cli.js';
import { send } from './http-helpers.js';
import type { TestResponse } from './http-helpers.js';
import { labHomeserverRoutes } from '../../support/lab-homeserver.js';
import { freePort } from '../../support/free-port.js';

const HAN = /\p{Script=Han}/u;
const seed = generateEd25519Seed();

/** Checked through the tester API. */
const TESTED = 'expired.example.org';
/** Watched by the monitor (another name, so that its checks are not counted as the tester's). */
const WATCHED = 'watched.example.org';

let lab: Lab;
let dir: string;
let serve: ServeProcess;

const HOMESERVER = labHomeserverRoutes({ seed, keyId: 'ed25519:lab' });

interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly base: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the built `serve` with `args` in `env` (no language variable but those given) and waits for its URL. */
async function startServe(args: readonly string[], env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BUILT_MAIN, 'serve', ...args], { env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  let url: RegExpExecArray | null = null;
  while ((url = /(https?:\/\/\S+?)\/?(?:\s|$)/.exec(stdout)) === null) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start:\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    base: url[1]!.replace(/\/$/, ''),
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

beforeAll(async () => {
  lab = await startLab({
    zones: { [TESTED]: { A: ['expired'] }, [WATCHED]: { A: ['watched'] } },
    hosts: {
      expired: { port: 'federation', certificates: [{ kind: 'expired' }], routes: HOMESERVER },
      watched: { port: 'federation', certificates: [{ kind: 'expired' }], routes: HOMESERVER },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'md-lang-api-'));
  writeFileSync(join(dir, 'ca.pem'), lab.caCertPem);
  const port = await freePort();
  writeFileSync(
    join(dir, 'serve.yaml'),
    [
      'server_name: tester.example.org',
      `listeners: [{ port: ${port}, bind_addresses: ['127.0.0.1'] }]`,
      'tester: { enabled: true, cache_seconds: 600, rate_limit_per_minute: 0, timeout_ms: 20000 }',
      'metrics: { enabled: true }',
      'logging: { level: error }',
      'monitor:',
      `  servers: [${WATCHED}]`,
      // The shortest interval: the first check comes within it (new names are spread over the interval or 60 s).
      '  interval_seconds: 5',
      `  state_path: ${join(dir, 'state.json')}`,
    ].join('\n'),
  );
  const options = lab.clientOptions();
  serve = await startServe(
    [
      '--config',
      join(dir, 'serve.yaml'),
      '--dns-server',
      lab.dns.server,
      ...(options.allowNetworks ?? []).flatMap((cidr) => ['--allow-network', cidr]),
      '--ca-file',
      join(dir, 'ca.pem'),
      '--well-known-port',
      String(lab.ports.https),
      '--federation-port',
      String(lab.ports.federation),
    ],
    // The server's own language is Chinese: the API still answers English to a request that asks for nothing.
    { LANG: 'zh_CN.UTF-8' },
  );
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface NativeHint {
  readonly id: string;
  readonly severity: string;
  readonly title: string;
  readonly detail: string;
  readonly fix: string;
}

interface NativeReport {
  readonly serverName: string;
  readonly federationOk: boolean;
  readonly summary: string;
  readonly hints: readonly NativeHint[];
}

const get = (path: string, headers: Record<string, string> = {}): Promise<TestResponse> =>
  send(`${serve.base}${path}`, { headers });
const report = (r: TestResponse): NativeReport => JSON.parse(r.body) as NativeReport;
const shape = (r: NativeReport) => r.hints.map((h) => [h.id, h.severity]);

/** Checks of `TESTED` the tester ran, by its own counter on /metrics. */
async function checksRun(): Promise<number> {
  const metrics = (await get('/metrics')).body;
  return [...metrics.matchAll(/^matrix_delegation_checks_total\{[^}]*\} (\d+)$/gm)].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}

/** Every Chinese text of a report: the summary, and each hint's title, detail and fix. */
function expectChinese(r: NativeReport): void {
  expect(r.summary).toMatch(HAN);
  for (const hint of r.hints) for (const text of [hint.title, hint.detail, hint.fix]) expect(text).toMatch(HAN);
}

describe('serve in two languages (the built executable over the lab)', () => {
  it('prints its startup line in the language of its environment (LANG=zh_CN.UTF-8)', () => {
    expect(serve.stdout()).toMatch(/^matrix-delegation 正在 http:\/\/127\.0\.0\.1:\d+\/ 上提供服务\n$/);
  });

  it('/api/check: ?lang=zh-CN and Accept-Language: zh-CN,zh;q=0.9 give Chinese hints with the ids of English, from ONE check', async () => {
    const path = `/api/check?server_name=${TESTED}`;
    const english = await get(path);
    expect(english.status).toBe(200);
    const connections = lab.hosts.expired!.connectionCount;
    const versions = lab.hosts.expired!.requests.filter((r) => r.path === '/_matrix/federation/v1/version').length;
    expect(connections).toBeGreaterThan(0);
    expect(await checksRun()).toBe(1);

    const byParam = await get(`${path}&lang=zh-CN`);
    const byHeader = await get(path, { 'accept-language': 'zh-CN,zh;q=0.9' });
    const again = await get(path, { 'accept-language': 'en-US,en;q=0.9' });
    for (const r of [english, byParam, byHeader, again]) {
      expect(r.status).toBe(200);
      expect(r.headers['vary']).toBe('Accept-Language');
    }
    const en = report(english);
    expect(en.hints.length).toBeGreaterThan(0);
    expect(english.body).not.toMatch(HAN);
    for (const zh of [report(byParam), report(byHeader)]) {
      expect(shape(zh)).toEqual(shape(en));
      expect(zh.federationOk).toBe(en.federationOk);
      expectChinese(zh);
    }
    // The two ways of asking for Chinese give the same answer, and English asked again is English.
    expect(byHeader.body).toBe(byParam.body);
    expect(again.body).toBe(english.body);
    // One check for every language: no new connection to the checked server, the tester's counter still 1.
    expect(lab.hosts.expired!.connectionCount).toBe(connections);
    expect(lab.hosts.expired!.requests.filter((r) => r.path === '/_matrix/federation/v1/version').length).toBe(
      versions,
    );
    expect(await checksRun()).toBe(1);
  });

  it('?lang= wins over Accept-Language; a language without messages falls back to the header, then English', async () => {
    const path = `/api/check?server_name=${TESTED}`;
    const zh = (await get(`${path}&lang=zh-CN`)).body;
    const en = (await get(path)).body;
    expect(zh).not.toBe(en);
    expect((await get(`${path}&lang=en`, { 'accept-language': 'zh-CN' })).body).toBe(en);
    expect((await get(`${path}&lang=zh-Hans`)).body).toBe(zh);
    expect((await get(`${path}&lang=fr`, { 'accept-language': 'zh-CN' })).body).toBe(zh);
    expect((await get(`${path}&lang=fr`)).body).toBe(en);
    expect((await get(path, { 'accept-language': 'zh-TW,fr;q=0.8' })).body).toBe(en);
  });

  it('/api/report and /api/federation-ok stay English, byte for byte, whatever the language asked', async () => {
    for (const endpoint of ['/api/report', '/api/federation-ok']) {
      const path = `${endpoint}?server_name=${TESTED}`;
      const plain = await get(path);
      expect(plain.status).toBe(200);
      expect(plain.body).not.toMatch(HAN);
      for (const other of [await get(path, { 'accept-language': 'zh-CN,zh;q=0.9' }), await get(`${path}&lang=zh-CN`)]) {
        expect(other.body).toBe(plain.body);
        expect(other.headers['content-type']).toBe(plain.headers['content-type']);
        expect(other.headers['vary']).toBeUndefined();
      }
    }
    expect(await checksRun()).toBe(1);
  });

  it('/api/monitor: the watched names in the language asked, the same ids and states', async () => {
    type MonitorBody = {
      servers: {
        server_name: string;
        state: string;
        summary: string | null;
        hints: NativeHint[];
        report: NativeReport | null;
      }[];
    };
    const monitor = async (headers: Record<string, string> = {}, query = ''): Promise<[TestResponse, MonitorBody]> => {
      const r = await get(`/api/monitor${query}`, headers);
      return [r, JSON.parse(r.body) as MonitorBody];
    };
    const deadline = Date.now() + 30_000;
    let english = await monitor();
    while (english[1].servers[0]?.report == null) {
      if (Date.now() > deadline) throw new Error(`the monitor did not check ${WATCHED}: ${english[0].body}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      english = await monitor();
    }
    const [enResponse, en] = english;
    const [zhResponse, zh] = await monitor({ 'accept-language': 'zh-CN,zh;q=0.9' });
    const [paramResponse] = await monitor({}, '?lang=zh-CN');
    expect(enResponse.headers['vary']).toBe('Accept-Language');
    expect(zhResponse.status, serve.stderr()).toBe(200);
    expect(zhResponse.headers['vary']).toBe('Accept-Language');
    expect(paramResponse.body).toBe(zhResponse.body);
    expect(enResponse.body).not.toMatch(HAN);
    const [enServer, zhServer] = [en.servers[0]!, zh.servers[0]!];
    expect(zhServer.server_name).toBe(WATCHED);
    expect(zhServer.state).toBe(enServer.state);
    expect(zhServer.hints.map((h) => [h.id, h.severity])).toEqual(enServer.hints.map((h) => [h.id, h.severity]));
    for (const hint of zhServer.hints) expect(hint.title).toMatch(HAN);
    expect(zhServer.summary).toMatch(HAN);
    expect(shape(zhServer.report!)).toEqual(shape(enServer.report!));
    expectChinese(zhServer.report!);
  });
});
