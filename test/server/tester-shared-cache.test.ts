// Several `serve` instances sharing the tester's results through a real redis-server, and losing it without an error.

import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { toNativeJson } from '../../src/report/native.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { REDIS_OUTAGE_MESSAGE } from '../../src/server/tester/redis-outage.js';
import type { CheckFunction } from '../../src/server/tester/runner.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabRequest } from '../../src/testing/index.js';
import { startRedisServer } from '../cache/redis-server.js';
import type { TestRedisServer } from '../cache/redis-server.js';
import { captureLogger, send, testConfig } from './http-helpers.js';

let lab: Lab;
const seed = generateEd25519Seed();

beforeAll(async () => {
  const routes = {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': (req: LabRequest) => ({
      json: buildSignedKeyResponse({
        serverName: (req.host ?? '').replace(/:\d+$/, ''),
        keyId: 'ed25519:a_key',
        seed,
        validUntilTs: Date.now() + 86_400_000,
      }),
    }),
  };
  const names = ['good.example.org', 'good2.example.org', 'good3.example.org'];
  lab = await startLab({
    zones: Object.fromEntries(names.map((name) => [name, { A: ['good'] }])),
    hosts: { good: { port: 'federation', certificates: [{ dnsNames: names }], routes } },
  });
});

afterAll(async () => {
  await lab?.close();
});

function labCheckOptions(): CheckOptions {
  return { ...lab.clientOptions(), operationTimeoutMs: 2000 };
}

/** Connections the lab's hosts accepted so far: a check makes some, an answer from a cache none. */
function labConnections(): number {
  return Object.values(lab.hosts).reduce((sum, host) => sum + host.connectionCount, 0);
}

/** checkServer, counting runs and keeping the reports. */
function recordingCheck(): { check: CheckFunction; runs: string[]; reports: CheckReport[] } {
  const runs: string[] = [];
  const reports: CheckReport[] = [];
  return {
    runs,
    reports,
    check: async (name, options) => {
      runs.push(name);
      const report = await checkServer(name, options);
      reports.push(report);
      return report;
    },
  };
}

function yaml(cacheStore: string): string {
  return `server_name: tester.example.org\nmetrics:\n  enabled: true\ntester:\n  enabled: true\n  rate_limit_per_minute: 0\n  cache_seconds: 60\n${cacheStore}`;
}

function redisYaml(url: string, prefix: string): string {
  return `cache_store:\n  kind: redis\n  url: ${url}\n  key_prefix: "${prefix}"\n`;
}

/** The value of one series of B's `/metrics`, read over HTTP as a scraper would. */
async function metric(server: RunningServer, series: string): Promise<number> {
  const r = await send(`${server.urls[0]!}metrics`);
  expect(r.status).toBe(200);
  const line = r.body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function until(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A missing redis-server fails these tests (startRedisServer names scripts/setup-system.sh), it never skips them.
describe('two serve instances behind a load balancer, one Redis', () => {
  let redis: TestRedisServer;
  let raw: Redis;
  let a: RunningServer;
  let b: RunningServer;
  const checkA = recordingCheck();
  const checkB = recordingCheck();
  const logB = captureLogger('warn');
  const prefix = `shared-test-${process.pid}:`;
  const CACHED = 'matrix_delegation_tester_requests_total{outcome="cached"}';
  const RUN = 'matrix_delegation_tester_requests_total{outcome="run"}';

  /** Connections Redis has from clients other than `raw`. */
  async function storeConnections(): Promise<number> {
    const list = (await raw.client('LIST')) as string;
    return list.trim().split('\n').length - 1;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    raw.on('error', () => undefined);
    await raw.connect();
    a = await startServer(testConfig(yaml(redisYaml(redis.url, prefix))), {
      logger: captureLogger('error').logger,
      checkOptions: labCheckOptions(),
      check: checkA.check,
    });
    b = await startServer(testConfig(yaml(redisYaml(redis.url, prefix))), {
      logger: logB.logger,
      checkOptions: labCheckOptions(),
      check: checkB.check,
    });
  });

  afterAll(async () => {
    await Promise.all([a?.close({ timeoutMs: 0 }), b?.close({ timeoutMs: 0 })]);
    raw?.disconnect();
    await redis?.kill();
  });

  it('a check run through A is answered by B from Redis: B runs nothing, the lab sees no new connection, same JSON', async () => {
    const fromA = await send(`${a.urls[0]!}api/report?server_name=good.example.org`);
    expect(fromA.status).toBe(200);
    expect(JSON.parse(fromA.body)).toMatchObject({ FederationOK: true });
    expect(checkA.runs).toEqual(['good.example.org']);
    // The result is in Redis, under the configured prefix.
    const keys = await raw.keys(`${prefix}*`);
    expect(keys).toEqual([
      expect.stringMatching(new RegExp(`^${prefix}tester-result:v1:[0-9a-f]{16}:good\\.example\\.org$`)),
    ]);
    expect(await raw.pttl(keys[0]!)).toBeGreaterThan(55_000);

    const connections = labConnections();
    const fromB = await send(`${b.urls[0]!}api/report?server_name=good.example.org`);
    expect(fromB.status).toBe(200);
    expect(fromB.body).toBe(fromA.body);
    const native = await send(`${b.urls[0]!}api/check?server_name=good.example.org`);
    expect(JSON.parse(native.body)).toEqual(JSON.parse(JSON.stringify(toNativeJson(checkA.reports[0]!))));
    expect(checkB.runs).toEqual([]);
    expect(labConnections()).toBe(connections);
    expect(await metric(b, CACHED)).toBe(2);
    expect(await metric(b, RUN)).toBe(0);
  });

  it('server names are case-sensitive keys: B checks Good.example.org itself', async () => {
    const r = await send(`${b.urls[0]!}api/federation-ok?server_name=Good.example.org`);
    expect(r.status).toBe(200);
    expect(checkB.runs).toEqual(['Good.example.org']);
  });

  it('a third instance shares too, and its shutdown closes its Redis connection', async () => {
    const before = await storeConnections();
    const checkC = recordingCheck();
    const c = await startServer(testConfig(yaml(redisYaml(redis.url, prefix))), {
      logger: captureLogger('error').logger,
      checkOptions: labCheckOptions(),
      check: checkC.check,
    });
    expect((await send(`${c.urls[0]!}api/federation-ok?server_name=good.example.org`)).body).toBe('GOOD');
    expect(checkC.runs).toEqual([]);
    expect(await storeConnections()).toBe(before + 1);
    await c.close();
    await until(async () => (await storeConnections()) === before);
  });

  it('a reload that changes cache_store switches A to the new store and closes the old connection', async () => {
    const before = await storeConnections();
    a.reload(testConfig(yaml('cache_store:\n  kind: memory\n  max_entries: 100\n')));
    expect(a.config.cacheStore.kind).toBe('memory');
    await until(async () => (await storeConnections()) === before - 1);
    // A no longer reads Redis: it checks again, and Redis keeps B's shared entry only.
    expect((await send(`${a.urls[0]!}api/federation-ok?server_name=good.example.org`)).body).toBe('GOOD');
    expect(checkA.runs).toEqual(['good.example.org', 'good.example.org']);
  });

  it('with Redis gone, B still answers: it runs the check itself, then serves its local cache; never a 5xx', async () => {
    const name = 'good2.example.org';
    await redis.kill();
    const first = await send(`${b.urls[0]!}api/report?server_name=${name}`);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ FederationOK: true });
    expect(checkB.runs).toEqual(['Good.example.org', name]);
    const again = await send(`${b.urls[0]!}api/federation-ok?server_name=${name}`);
    expect(again.status).toBe(200);
    expect(again.body).toBe('GOOD');
    // What B read from Redis earlier is in its local copy.
    expect((await send(`${b.urls[0]!}api/check?server_name=good.example.org`)).status).toBe(200);
    expect(checkB.runs).toEqual(['Good.example.org', name]);
    // A third name, never seen: run, no error.
    expect((await send(`${b.urls[0]!}api/report?server_name=good3.example.org`)).status).toBe(200);
    expect(await metric(b, 'matrix_delegation_tester_requests_total{outcome="error"}')).toBe(0);
    expect(logB.lines.filter((l) => l.msg === REDIS_OUTAGE_MESSAGE)).toHaveLength(1);
  });
});

describe('a Redis store whose Redis was never there', () => {
  it('starts, answers, and caches locally: losing Redis degrades, never fails', async () => {
    // A port nobody listens on: bound, then released.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const recorder = recordingCheck();
    const log = captureLogger('warn');
    const server = await startServer(testConfig(yaml(redisYaml(`redis://127.0.0.1:${port}/0`, 'nowhere:'))), {
      logger: log.logger,
      checkOptions: labCheckOptions(),
      check: recorder.check,
    });
    try {
      const first = await send(`${server.urls[0]!}api/federation-ok?server_name=good.example.org`);
      expect(first.status).toBe(200);
      expect(first.body).toBe('GOOD');
      const second = await send(`${server.urls[0]!}api/federation-ok?server_name=good.example.org`);
      expect(second.body).toBe('GOOD');
      expect(recorder.runs).toEqual(['good.example.org']);
      expect(log.lines.some((l) => l.msg === REDIS_OUTAGE_MESSAGE)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
