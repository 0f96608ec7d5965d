// The tester API over the lab: 400s, the federation-tester and native JSON, GOOD/BAD, CORS, cache, limits, shutdown.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { CheckOptions, CheckReport } from '../../src/checker/types.js';
import { generateEd25519Seed } from '../../src/keys/index.js';
import { toFederationTesterReport } from '../../src/report/federation-tester.js';
import { toNativeJson } from '../../src/report/native.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer, StartServerOptions } from '../../src/server/serve.js';
import { RATE_LIMIT_POINTS } from '../../src/server/tester/rate-limit.js';
import type { CheckFunction } from '../../src/server/tester/runner.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';
import { captureLogger, send, testConfig } from './http-helpers.js';
import { labHomeserverRoutes } from '../../support/lab-homeserver.js';

let lab: Lab;
const seed = generateEd25519Seed();
const SLOW_MS = 300;

/** Routes of a working homeserver that signs its keys for the name in the Host header. */
function homeserver(versionDelayMs = 0): NonNullable<LabHostSpec['routes']> {
  return labHomeserverRoutes({ seed, keyId: 'ed25519:a_key', versionDelayMs });
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'good.example.org': { A: ['good'] },
      'slow.example.org': { A: ['slow'] },
      'slow2.example.org': { A: ['slow'] },
      'slow4.example.org': { A: ['slow'] },
    },
    hosts: {
      good: { port: 'federation', certificates: [{ dnsNames: ['good.example.org'] }], routes: homeserver() },
      slow: {
        port: 'federation',
        certificates: [{ dnsNames: ['slow.example.org', 'slow2.example.org', 'slow4.example.org'] }],
        routes: homeserver(SLOW_MS),
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

function labCheckOptions(): CheckOptions {
  return { ...lab.clientOptions(), operationTimeoutMs: 2000 };
}

/** A check that records every report it produced and counts runs per name. */
function recordingCheck(inner: CheckFunction = checkServer): {
  check: CheckFunction;
  reports: CheckReport[];
  runs: Map<string, number>;
} {
  const reports: CheckReport[] = [];
  const runs = new Map<string, number>();
  return {
    reports,
    runs,
    check: async (name, options) => {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      const report = await inner(name, options);
      reports.push(report);
      return report;
    },
  };
}

async function testerServer(testerYaml: string, options: StartServerOptions = {}): Promise<RunningServer> {
  return startServer(
    testConfig(`server_name: tester.example.org\nmetrics:\n  enabled: true\ntester:\n  enabled: true\n${testerYaml}`),
    {
      logger: captureLogger('error').logger,
      checkOptions: labCheckOptions(),
      ...options,
    },
  );
}

async function inFlight(server: RunningServer): Promise<number> {
  return (await server.metrics.checksInFlight.get()).values[0]?.value ?? 0;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the tester API', () => {
  let server: RunningServer;
  let base: string;
  const recorder = recordingCheck();

  beforeAll(async () => {
    server = await testerServer('  rate_limit_per_minute: 0\n  cache_seconds: 60\n', { check: recorder.check });
    base = server.urls[0]!;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('400 with a clear message when server_name is missing, empty, repeated or invalid; CORS on errors too', async () => {
    const cases = [
      ['api/report', 'M_MISSING_PARAM', /server_name parameter is missing/],
      ['api/report?server_name=', 'M_MISSING_PARAM', /missing/],
      ['api/federation-ok?server_name=a.org&server_name=b.org', 'M_INVALID_PARAM', /given 2 times/],
      ['api/check?server_name=bad_name.org', 'M_INVALID_PARAM', /"bad_name\.org" is not a valid server name/],
      ['api/report?server_name=localhost%3Ahttp', 'M_INVALID_PARAM', /"localhost:http" is not a valid server name/],
      [`api/report?server_name=${'a'.repeat(301)}`, 'M_INVALID_PARAM', /longer than 300/],
    ] as const;
    for (const [path, errcode, message] of cases) {
      const r = await send(`${base}${path}`);
      expect(r.status, path).toBe(400);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      const body = JSON.parse(r.body) as { errcode: string; error: string };
      expect(body.errcode, path).toBe(errcode);
      expect(body.error, path).toMatch(message);
    }
    const invalid = JSON.parse((await send(`${base}api/report?server_name=bad_name.org`)).body) as { rule?: string };
    expect(invalid.rule).toBe('dns-invalid-character');
    expect(recorder.runs.size).toBe(0);
  });

  it('/api/report of a working lab homeserver is exactly the federation-tester rendering of its check', async () => {
    const r = await send(`${base}api/report?server_name=good.example.org`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(recorder.reports).toHaveLength(1);
    const expected = JSON.parse(JSON.stringify(toFederationTesterReport(recorder.reports[0]!))) as unknown;
    const body = JSON.parse(r.body) as Record<string, unknown>;
    expect(body).toEqual(expected);
    const addr = `${lab.address('good')}:${lab.ports.federation}`;
    expect(body).toMatchObject({ FederationOK: true, Version: { name: 'Synapse', version: '1.140.0' } });
    expect(Object.keys(body.ConnectionReports as object)).toEqual([addr]);
    expect(body.ConnectionReports).toMatchObject({
      [addr]: { Checks: { AllChecksOK: true, ValidCertificates: true, MatchingServerName: true } },
    });
  });

  it('a cache hit does not run the check again, whichever endpoint asks', async () => {
    const versionCalls = lab.hosts.good!.requests.filter((q) => q.path === '/_matrix/federation/v1/version').length;
    const ok = await send(`${base}api/federation-ok?server_name=good.example.org`);
    const native = await send(`${base}api/check?server_name=good.example.org`);
    expect(ok.body).toBe('GOOD');
    expect(native.status).toBe(200);
    expect(recorder.runs.get('good.example.org')).toBe(1);
    expect(lab.hosts.good!.requests.filter((q) => q.path === '/_matrix/federation/v1/version')).toHaveLength(
      versionCalls,
    );
    const text = await server.metrics.registry.metrics();
    expect(text).toContain('matrix_delegation_checks_total{result="good"} 1\n');
    expect(text).toContain('matrix_delegation_tester_requests_total{outcome="cached"} 2\n');
    expect(text).toContain('matrix_delegation_tester_requests_total{outcome="run"} 1\n');
  });

  it('/api/federation-ok says GOOD as text/plain with CORS', async () => {
    const r = await send(`${base}api/federation-ok?server_name=good.example.org`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('GOOD');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });

  it('/api/federation-ok says BAD for a name that does not resolve, and the check ran', async () => {
    const r = await send(`${base}api/federation-ok?server_name=missing.example.org`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('BAD');
    expect(recorder.runs.get('missing.example.org')).toBe(1);
    expect(await server.metrics.registry.getSingleMetricAsString('matrix_delegation_checks_total')).toContain(
      'matrix_delegation_checks_total{result="bad"} 1',
    );
  });

  it('/api/check is the native JSON of the check', async () => {
    const r = await send(`${base}api/check?server_name=good.example.org`);
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const report = recorder.reports.find((x) => x.serverName === 'good.example.org')!;
    expect(JSON.parse(r.body)).toEqual(JSON.parse(JSON.stringify(toNativeJson(report))));
    expect(JSON.parse(r.body)).toMatchObject({
      schema: 'matrix-delegation/check/v1',
      serverName: 'good.example.org',
      federationOk: true,
    });
  });

  it('OPTIONS on a tester endpoint is a CORS preflight', async () => {
    const r = await send(`${base}api/report?server_name=good.example.org`, { method: 'OPTIONS' });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE, OPTIONS');
  });
});

describe('rate limit per client', () => {
  it('429 with Retry-After for one client address while another address is unaffected; a spent budget refuses cached answers too', async () => {
    const recorder = recordingCheck();
    const server = await testerServer('  rate_limit_per_minute: 2\n', { check: recorder.check });
    try {
      const url = (name: string) => `${server.urls[0]!}api/federation-ok?server_name=${name}`;
      const first = { localAddress: '127.0.0.1' };
      expect((await send(url('r1.example.org'), first)).status).toBe(200);
      expect((await send(url('r2.example.org'), first)).status).toBe(200);
      const limited = await send(url('r3.example.org'), first);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(JSON.parse(limited.body)).toEqual({
        errcode: 'M_LIMIT_EXCEEDED',
        error: expect.stringMatching(/too many checks/),
        retry_after_ms: retryAfter * 1000,
      });
      expect(limited.headers['access-control-allow-origin']).toBe('*');
      expect(recorder.runs.has('r3.example.org')).toBe(false);
      // Already checked, but the budget is spent: a cached answer is cheaper than a check, not free (issue 13).
      expect((await send(url('r1.example.org'), first)).status).toBe(429);
      expect(recorder.runs.get('r1.example.org')).toBe(1);
      // Another client (another source address) has its own budget.
      const other = await send(url('r3.example.org'), { localAddress: '127.0.0.2' });
      expect(other.status).toBe(200);
      expect(other.body).toBe('BAD');
    } finally {
      await server.close();
    }
  });
});

describe('cached answers in the rate limit', () => {
  it('cost a twentieth of a check: after one check of a budget of two, twenty cached answers, then 429', async () => {
    const recorder = recordingCheck();
    const server = await testerServer('  rate_limit_per_minute: 2\n  cache_seconds: 60\n', { check: recorder.check });
    try {
      const url = `${server.urls[0]!}api/check?server_name=good.example.org`;
      const client = { localAddress: '127.0.0.1' };
      expect((await send(url, client)).status).toBe(200);
      // The documented prices (docs/serve.md): a check 20 points, a cached answer 1; a budget of 2 checks is 40.
      const cachedAnswers = (2 * RATE_LIMIT_POINTS.check - RATE_LIMIT_POINTS.check) / RATE_LIMIT_POINTS.answer;
      expect(cachedAnswers).toBe(20);
      for (let i = 0; i < cachedAnswers; i++) expect((await send(url, client)).status).toBe(200);
      const limited = await send(url, client);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(recorder.runs.get('good.example.org')).toBe(1);
      // Another client still gets the cached report.
      expect((await send(url, { localAddress: '127.0.0.2' })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('the global cap on checks in flight', () => {
  it('holds: an extra check gets 503 with Retry-After, a request for the running name joins it', async () => {
    const recorder = recordingCheck();
    const server = await testerServer('  rate_limit_per_minute: 0\n  max_in_flight: 1\n', { check: recorder.check });
    try {
      const url = (name: string) => `${server.urls[0]!}api/federation-ok?server_name=${name}`;
      const running = send(url('slow.example.org'));
      await until(async () => (await inFlight(server)) === 1);
      const busy = await send(url('slow2.example.org'));
      expect(busy.status).toBe(503);
      expect(busy.headers['retry-after']).toBe('5');
      expect(JSON.parse(busy.body)).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 5000 });
      const joined = await send(url('slow.example.org'));
      expect(joined.body).toBe('GOOD');
      expect((await running).body).toBe('GOOD');
      expect(recorder.runs.get('slow.example.org')).toBe(1);
      expect(recorder.runs.has('slow2.example.org')).toBe(false);
      // The slot is free again.
      expect((await send(url('slow2.example.org'))).body).toBe('GOOD');
      const text = await server.metrics.registry.metrics();
      expect(text).toContain('matrix_delegation_tester_requests_total{outcome="busy"} 1\n');
      expect(text).toContain('matrix_delegation_tester_requests_total{outcome="joined"} 1\n');
    } finally {
      await server.close();
    }
  });
});

describe('check budget and failures', () => {
  it('a check over its budget answers 504, goes on, and its result is served from the cache afterwards', async () => {
    // The check waits 400 ms, then runs with a generous resolver budget of its own: only the answer's deadline is short.
    const recorder = recordingCheck(async (name, options) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return checkServer(name, { ...options, timeoutMs: 10_000 });
    });
    const server = await testerServer('', {
      check: recorder.check,
      checkOptions: { ...labCheckOptions(), timeoutMs: 200 },
    });
    try {
      const url = `${server.urls[0]!}api/federation-ok?server_name=good.example.org`;
      const late = await send(url);
      expect(late.status).toBe(504);
      expect(JSON.parse(late.body)).toMatchObject({
        errcode: 'M_UNKNOWN',
        error: expect.stringMatching(/did not finish within 200 ms/),
      });
      await until(async () => (await inFlight(server)) === 0);
      const after = await send(url);
      expect(after.status).toBe(200);
      expect(after.body).toBe('GOOD');
      expect(recorder.runs.get('good.example.org')).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('a check that throws answers 500 and is not cached', async () => {
    let calls = 0;
    const server = await testerServer('', {
      check: () => {
        calls++;
        return Promise.reject(new Error('checker exploded'));
      },
    });
    try {
      const url = `${server.urls[0]!}api/report?server_name=boom.example.org`;
      const r = await send(url);
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toMatchObject({
        errcode: 'M_UNKNOWN',
        error: expect.stringMatching(/checker exploded/),
      });
      expect((await send(url)).status).toBe(500);
      expect(calls).toBe(2);
      expect((await send(`${server.urls[0]!}health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('close() stops accepting, finishes the request in flight, then resolves', async () => {
    // Request timeouts far below the check's duration: they bound receiving the request, never the answer.
    const server = await testerServer('', { limits: { headersTimeoutMs: 100, requestTimeoutMs: 150 } });
    const url = new URL(server.urls[0]!);
    const inFlightRequest = send(`${url.href}api/federation-ok?server_name=slow4.example.org`);
    await until(async () => (await inFlight(server)) === 1);
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    // No new connections once closing began.
    await expect(send(`${url.href}health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);
    const r = await inFlightRequest;
    expect(r.status).toBe(200);
    expect(r.body).toBe('GOOD');
    expect(r.headers.connection).toBe('close');
    await closing;
    expect(closed).toBe(true);
  });

  it('is bounded: after the timeout, remaining connections are closed and running checks aborted', async () => {
    let aborted = false;
    const server = await testerServer('', {
      check: (_name, options) =>
        new Promise<CheckReport>((_resolve, reject) => {
          options.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const hanging = send(`${server.urls[0]!}api/report?server_name=hang.example.org`).then(
      (r) => r.status,
      (error: NodeJS.ErrnoException) => error.code,
    );
    await until(async () => (await inFlight(server)) === 1);
    const started = Date.now();
    await server.close({ timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(aborted).toBe(true);
    // The client saw its connection end without a complete answer.
    expect(await hanging).toBe('ECONNRESET');
  });
});
