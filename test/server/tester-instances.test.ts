// Two real `serve` processes behind a real HAProxy with one real Redis: one rate limit, one check per name, a Redis restart.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519Seed } from '../../src/keys/index.js';
import { REDIS_OUTAGE_MESSAGE, REDIS_RECOVERY_MESSAGE } from '../../src/server/tester/redis-outage.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';
import { startHaproxyBalancer } from '../../support/haproxy-balancer.js';
import type { HaproxyBalancer } from '../../support/haproxy-balancer.js';
import { startRedisServer } from '../../support/redis-server.js';
import type { TestRedisServer } from '../../support/redis-server.js';
import { send } from './http-helpers.js';
import type { TestResponse } from './http-helpers.js';
import { labHomeserverRoutes } from '../../support/lab-homeserver.js';
import { freePort } from '../../support/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built command line: these are real `serve` processes, as an operator runs them. */
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** How long a lab homeserver takes to answer its version: long enough that a check is still running when asked twice. */
const SLOW_VERSION_MS = 1500;

let lab: Lab;
let dir: string;
const seed = generateEd25519Seed();

/** The names the test checks: each used by one part only, so that no part finds another's result in the cache. */
const NAMES = {
  limit: ['limit-1.example.org', 'limit-2.example.org'],
  baseline: 'baseline.example.org',
  both: 'both.example.org',
  restart: ['restart-1.example.org', 'restart-2.example.org', 'restart-3.example.org', 'restart-4.example.org'],
};
const GOOD_NAMES = [...NAMES.limit, ...NAMES.restart];
const SLOW_NAMES = [NAMES.baseline, NAMES.both];

function routes(versionDelayMs: number): NonNullable<LabHostSpec['routes']> {
  return labHomeserverRoutes({ seed, keyId: 'ed25519:a_key', versionDelayMs });
}

/** A `serve` child process with its JSON log lines. */
interface Instance {
  readonly name: string;
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  /** The log lines (pino JSON on standard error) so far. */
  lines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

async function startInstance(name: string, redisUrl: string, prefix: string): Promise<Instance> {
  const port = await freePort();
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(
    configPath,
    `server_name: tester.example.org
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
    x_forwarded: true
tester:
  enabled: true
  rate_limit_per_minute: 1
  cache_seconds: 600
  timeout_ms: 20000
cache_store:
  kind: redis
  url: ${redisUrl}
  key_prefix: "${prefix}"
logging:
  level: info
`,
  );
  const options = lab.clientOptions();
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--config',
      configPath,
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
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!stdout.includes('serving on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve ${name} did not start:\n${stderr.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    name,
    child,
    port,
    lines: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Connections the lab host accepted so far: a check makes some, an answer from a cache none. */
function connections(host: string): number {
  return lab.hosts[host]!.connectionCount;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'md-tester-instances-'));
  lab = await startLab({
    zones: {
      ...Object.fromEntries(GOOD_NAMES.map((name) => [name, { A: ['good'] }])),
      ...Object.fromEntries(SLOW_NAMES.map((name) => [name, { A: ['slow'] }])),
    },
    hosts: {
      good: { port: 'federation', certificates: [{ dnsNames: GOOD_NAMES }], routes: routes(0) },
      slow: { port: 'federation', certificates: [{ dnsNames: SLOW_NAMES }], routes: routes(SLOW_VERSION_MS) },
    },
  });
  writeFileSync(join(dir, 'ca.pem'), lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

// A missing haproxy or redis-server fails this test (the helpers name scripts/setup-system.sh), it never skips.
describe('two serve processes behind HAProxy, one Redis', () => {
  let redis: TestRedisServer;
  let a: Instance;
  let b: Instance;
  let lb: HaproxyBalancer;

  beforeAll(async () => {
    redis = await startRedisServer();
    const prefix = `instances-test-${process.pid}:`;
    [a, b] = await Promise.all([startInstance('a', redis.url, prefix), startInstance('b', redis.url, prefix)]);
    lb = await startHaproxyBalancer({
      backends: [
        { name: 'a', port: a.port },
        { name: 'b', port: b.port },
      ],
      port: await freePort(),
      dir,
    });
  }, 30_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.kill();
  });

  /** A tester request through HAProxy, from `client` (a loopback source address), to the instance `to`. */
  async function ask(path: string, client: string, to: 'a' | 'b'): Promise<TestResponse> {
    const r = await send(`${lb.url}${path}`, { localAddress: client, headers: { [lb.pickHeader]: to } });
    // HAProxy sent it where it was told (x-served-by is its server name).
    expect(r.headers['x-served-by']).toBe(to);
    return r;
  }

  it('a client over its limit through instance A is limited on instance B', async () => {
    // rate_limit_per_minute: 1 is one check a minute per client, whichever instance runs it.
    const client = '127.0.0.31';
    const first = await ask(`api/federation-ok?server_name=${NAMES.limit[0]}`, client, 'a');
    expect(first.status).toBe(200);
    expect(first.body).toBe('GOOD');
    const second = await ask(`api/federation-ok?server_name=${NAMES.limit[1]}`, client, 'b');
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    // Another client still has its budget, on B too.
    const other = await ask(`api/federation-ok?server_name=${NAMES.limit[1]}`, '127.0.0.32', 'b');
    expect(other.status).toBe(200);
  });

  it('the same name asked on both instances at once runs one check: the lab sees the connections of one', async () => {
    // What one check of such a name costs the lab host, asked on one instance.
    const before = connections('slow');
    const single = await ask(`api/report?server_name=${NAMES.baseline}`, '127.0.0.41', 'a');
    expect(single.status).toBe(200);
    const oneCheck = connections('slow') - before;
    expect(oneCheck).toBeGreaterThan(0);

    // The other name on the same host, on A and B at the same moment (each check takes over SLOW_VERSION_MS).
    const start = connections('slow');
    const [onA, onB] = await Promise.all([
      ask(`api/report?server_name=${NAMES.both}`, '127.0.0.42', 'a'),
      ask(`api/report?server_name=${NAMES.both}`, '127.0.0.43', 'b'),
    ]);
    expect(onA.status).toBe(200);
    expect(onB.status).toBe(200);
    expect(JSON.parse(onA.body)).toMatchObject({ FederationOK: true });
    // One report, the same on both: the waiting instance answered with the other's result.
    expect(onB.body).toBe(onA.body);
    expect(connections('slow') - start).toBe(oneCheck);
  });

  it('a Redis restart in the middle: every request answered, no 5xx, one warning per instance, then shared again', async () => {
    // Both instances have used Redis (the parts above); now it dies.
    await redis.kill();
    const statuses: number[] = [];
    const servedBy = new Set<unknown>();
    for (const to of ['a', 'b'] as const) {
      // A name never checked: each instance checks it on its own.
      const fresh = await ask(`api/federation-ok?server_name=${NAMES.restart[0]}`, '127.0.0.51', to);
      // A name checked before the restart, from each instance's local copy or by checking it again.
      const known = await ask(`api/federation-ok?server_name=${NAMES.limit[0]}`, '127.0.0.52', to);
      // The client of the first part, over its limit: each instance now counts on its own (the limit of one
      // instance applies, not none).
      const limited = await ask(`api/federation-ok?server_name=${NAMES.restart[1]}`, '127.0.0.53', to);
      const overLimit = await ask(`api/federation-ok?server_name=${NAMES.restart[2]}`, '127.0.0.53', to);
      statuses.push(fresh.status, known.status, limited.status, overLimit.status);
      expect([fresh.status, known.status, limited.status]).toEqual([200, 200, 200]);
      expect(overLimit.status).toBe(429);
      servedBy.add(fresh.headers['x-served-by']);
    }
    expect(servedBy).toEqual(new Set(['a', 'b']));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);

    // Redis comes back (empty, on the same port); both instances reconnect in the background.
    redis = await startRedisServer({ port: redis.port });
    for (const instance of [a, b]) {
      await until(
        () => instance.lines().some((l) => l['msg'] === REDIS_RECOVERY_MESSAGE),
        `instance ${instance.name} to log the recovery`,
      );
    }
    // Shared again: a client over its limit through A is limited on B.
    const client = '127.0.0.54';
    expect((await ask(`api/federation-ok?server_name=${NAMES.restart[3]}`, client, 'a')).status).toBe(200);
    expect((await ask(`api/federation-ok?server_name=${NAMES.restart[2]}`, client, 'b')).status).toBe(429);

    for (const instance of [a, b]) {
      const lines = instance.lines();
      expect(lines.filter((l) => l['msg'] === REDIS_OUTAGE_MESSAGE && l['level'] === 'warn')).toHaveLength(1);
      expect(lines.filter((l) => l['msg'] === REDIS_RECOVERY_MESSAGE)).toHaveLength(1);
      expect(lines.filter((l) => l['level'] === 'error' || l['level'] === 'fatal')).toEqual([]);
    }
  });
});
