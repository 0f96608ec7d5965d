// The fast subset of the malformed-requests soak: every kind of bad request and slowloris while a good client checks its answers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoodClient } from '../../soak/good-client.js';
import { MALFORMED_CASES, MALFORMED_FAMILIES } from '../../soak/malformed-requests.js';
import type { MalformedCase } from '../../soak/malformed-requests.js';
import { freePort } from '../../soak/processes.js';
import { judgeMalformed, parseResponses, runMalformed } from '../../soak/raw-client.js';
import type { RawOutcome } from '../../soak/raw-client.js';
import { runSlowloris } from '../../soak/slowloris.js';
import { parseConfigOrThrow } from '../../src/config/index.js';
import { createServerLogger } from '../../src/server/logger.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';

const SERVER_BODY = '{"m.server":"matrix.example.org:443"}';
const CLIENT_BODY = '{"m.homeserver":{"base_url":"https://matrix.example.org/"}}';
/** Short enough for a test; Node checks it every second at most. */
const HEADERS_TIMEOUT_MS = 1000;

let server: RunningServer;
let port: number;
let checksStarted = 0;

beforeAll(async () => {
  const config = parseConfigOrThrow(
    'server_name: example.org\ndelegation_target: matrix.example.org:443\npublic_baseurl: https://matrix.example.org/\ntester:\n  enabled: true\nmetrics:\n  enabled: true\n',
    { sourceName: 'hardening.yaml' },
  ).config;
  // The tester is on so that its query parsing is attacked too; no malformed request may start a check, and the
  // DNS server is a closed loopback port so that one could not leave the machine anyway.
  const deadDns = await freePort();
  server = await startServer(
    { ...config, listeners: [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false }] },
    {
      logger: createServerLogger({ level: 'error', destination: { write: () => undefined } }),
      limits: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: 2000 },
      checkOptions: { dnsServers: [`127.0.0.1:${deadDns}`] },
      check: () => {
        checksStarted++;
        return Promise.reject(new Error('no check may run in this test'));
      },
    },
  );
  port = Number(new URL(server.urls[0]!).port);
});

afterAll(async () => {
  await server?.close({ timeoutMs: 1000 });
});

function outcome(text: string, endedBy: RawOutcome['endedBy'] = 'server'): RawOutcome {
  return { bytes: Buffer.from(text, 'latin1'), endedBy, error: null, durationMs: 1 };
}

const JSON_400 =
  'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 50\r\ncache-control: no-store\r\n\r\n{"errcode":"M_UNRECOGNIZED","error":"malformed!!"}';

describe('the judge of malformed exchanges', () => {
  const badRequestCase = MALFORMED_CASES.find((c) => c.name === 'method-garbage')!;
  const pipelined = MALFORMED_CASES.find((c) => c.name === 'pipelined-garbage')!;

  it('accepts the documented answer and refuses anything else', () => {
    expect(judgeMalformed(badRequestCase, outcome(JSON_400))).toEqual({ ok: true, got: '400' });
    expect(judgeMalformed(badRequestCase, outcome('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}')).ok).toBe(false);
    // The right status with a body that is not the JSON error.
    expect(judgeMalformed(badRequestCase, outcome('HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad')).ok).toBe(
      false,
    );
    // A second, smuggled answer on the same connection.
    expect(judgeMalformed(badRequestCase, outcome(JSON_400 + JSON_400)).ok).toBe(false);
    // Silence is wrong unless the case allows it; a connection the server never ends is always wrong.
    expect(judgeMalformed(badRequestCase, outcome('')).ok).toBe(false);
    expect(judgeMalformed(badRequestCase, outcome('', 'timeout')).ok).toBe(false);
    expect(judgeMalformed(pipelined, outcome(JSON_400)).ok).toBe(false);
  });

  it('parses pipelined responses by Content-Length', () => {
    const two = parseResponses(Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}${JSON_400}`, 'latin1'));
    expect(two.map((r) => r.status)).toEqual([200, 400]);
    expect(two[0]!.body.toString()).toBe('{}');
  });

  it('the catalogue covers every family, and every case names its expectation', () => {
    expect(new Set(MALFORMED_CASES.map((c) => c.family))).toEqual(new Set(MALFORMED_FAMILIES));
    const names = MALFORMED_CASES.map((c: MalformedCase) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of MALFORMED_CASES)
      expect(c.expect.sequences.length > 0 || c.expect.mayCloseSilently === true, c.name).toBe(true);
  });
});

describe('malformed requests of every kind while a good client keeps asking', () => {
  it('every bad request gets its documented answer, slow headers are cut off, the good client only sees right answers', async () => {
    const good = startGoodClient({
      baseUrl: server.urls[0]!,
      paths: ['.well-known/matrix/server', '.well-known/matrix/client'],
      intervalMs: 10,
      verify: (a) => {
        if (a.status !== 200) return `status ${a.status}`;
        return a.body === (a.path.endsWith('server') ? SERVER_BODY : CLIENT_BODY) ? null : `body ${a.body}`;
      },
    });
    const slow = runSlowloris({
      host: '127.0.0.1',
      port,
      connections: 20,
      trickleIntervalMs: 200,
      giveUpAfterMs: 5000,
    });
    // Six of every kind.
    const tallies = await runMalformed({
      host: '127.0.0.1',
      port,
      cases: MALFORMED_CASES,
      count: MALFORMED_CASES.length * 6,
      concurrency: 20,
    });
    const slowResult = await slow;
    const goodStats = await good.stop();

    const wrong = [...tallies.values()].flatMap((t) => t.examples);
    expect(wrong).toEqual([]);
    expect([...tallies.values()].reduce((n, t) => n + t.sent, 0)).toBe(MALFORMED_CASES.length * 6);
    expect(tallies.size).toBe(MALFORMED_FAMILIES.length);

    expect(slowResult).toMatchObject({ connections: 20, closedByServer: 20, answered408: 20, stillOpen: 0, failed: 0 });
    expect(slowResult.lifetimeMs.min).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(slowResult.lifetimeMs.max).toBeLessThan(HEADERS_TIMEOUT_MS + 2500);

    expect(goodStats.examples).toEqual([]);
    expect(goodStats.wrong + goodStats.failed).toBe(0);
    expect(goodStats.requests).toBeGreaterThan(50);

    expect(checksStarted).toBe(0);
    const health = await fetch(`${server.urls[0]!}health`);
    expect(health.status).toBe(200);
  });
});
