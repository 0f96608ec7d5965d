// checkServer and its caller's AbortSignal: a check settles promptly when it aborts, and leaves no connection open.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labCliFlags, runCapture } from '../cli/run-cli.js';

let lab: Lab;
let tempDir: string;
let caFile: string;

/** Long enough that only an abort can end the waits below within a test's time. */
const STALL_MS = 60_000;
const ABORT_AFTER_MS = 200;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // (a) The federation target accepts TCP and never speaks TLS.
      'stall.example.org': { A: ['stall'] },
      // (a) TLS works, but the version and key requests are answered only after a minute.
      'slowfed.example.org': { A: ['slowfed'] },
      // (b) The client well-known answers only after a minute; the rest answers at once or is refused.
      'slowdoc.example.org': { A: ['web'] },
      // (c) Federation and documents answer or are refused at once; the well-known probe on matrix.<name> stalls.
      'slowprobe.example.org': { A: ['fed'] },
      'matrix.slowprobe.example.org': { A: ['slowwk'] },
    },
    hosts: {
      stall: { port: 'federation', mode: 'plain-tcp' },
      slowfed: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': {
            delayMs: STALL_MS,
            json: { server: { name: 'Synapse', version: '1.0' } },
          },
          'GET /_matrix/key/v2/server': { delayMs: STALL_MS, json: {} },
        },
      },
      web: {
        routes: {
          '/.well-known/matrix/server': { status: 404, json: { errcode: 'M_NOT_FOUND' } },
          '/.well-known/matrix/client': {
            delayMs: STALL_MS,
            json: { 'm.homeserver': { base_url: 'https://slowdoc.example.org' } },
          },
          '/.well-known/matrix/support': { status: 404, json: { errcode: 'M_NOT_FOUND' } },
        },
      },
      fed: { port: 'federation' },
      slowwk: {
        routes: { '/.well-known/matrix/server': { delayMs: STALL_MS, json: { 'm.server': 'fed.example.org:8448' } } },
      },
    },
  });
  tempDir = mkdtempSync(join(tmpdir(), 'md-check-abort-'));
  caFile = join(tempDir, 'lab-ca.pem');
  writeFileSync(caFile, lab.caCertPem);
});

afterAll(async () => {
  await lab?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** The lab's options, the lab hosts' own addresses allowed, and the default 10 s per operation. */
function options() {
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return { ...lab.clientOptions(), allowNetworks: hostNets, operationTimeoutMs: 10_000 };
}

/**
 * TCP sockets open in this process. The lab runs in-process, so both ends of every lab connection count: the
 * number only returns to what it was when the checker's sockets are closed and the lab saw them go.
 */
function openSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

function resetAll(): void {
  for (const host of Object.values(lab.hosts)) host.resetCounters();
}

/**
 * Runs a check and aborts it once `inFlight()` says the slow operation is under way (polled; at least
 * {@link ABORT_AFTER_MS} after the start), so that a loaded machine cannot make the abort land during resolution.
 * Returns how the check settled, and how long after the abort.
 */
async function abortedCheck(
  serverName: string,
  inFlight: () => boolean,
): Promise<{ outcome: unknown; afterAbortMs: number; reason: Error }> {
  const controller = new AbortController();
  const reason = new Error('the caller gave up');
  const started = performance.now();
  let abortedAt = Number.NaN;
  const poller = setInterval(() => {
    // Gives up waiting after 5 s: the check then still gets its abort, and the test's own assertions fail.
    if ((performance.now() - started >= ABORT_AFTER_MS && inFlight()) || performance.now() - started > 5000) {
      clearInterval(poller);
      abortedAt = performance.now();
      controller.abort(reason);
    }
  }, 10);
  try {
    const outcome = await checkServer(serverName, { ...options(), signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    return { outcome, afterAbortMs: performance.now() - abortedAt, reason };
  } finally {
    clearInterval(poller);
  }
}

const requested = (key: string, path: string): boolean =>
  lab.hosts[key]?.requests.some((r) => r.path === path) === true;

describe('checkServer with an AbortSignal', () => {
  // Each case: the name checked, and when to abort: once the slow operation is under way (a fixed delay would
  // sometimes land while the server name is still being looked up, on a loaded machine).
  const stalled: readonly { readonly what: string; readonly name: string; readonly underWay: () => boolean }[] = [
    {
      what: '(a) a federation target that accepts TCP and never answers',
      name: 'stall.example.org',
      // Both the TLS probe and the well-known probe on the federation port wait on the host.
      underWay: () => (lab.hosts['stall']?.connectionCount ?? 0) >= 2,
    },
    {
      what: '(a) a federation target whose version and key requests stall',
      name: 'slowfed.example.org',
      underWay: () =>
        requested('slowfed', '/_matrix/federation/v1/version') && requested('slowfed', '/_matrix/key/v2/server'),
    },
    {
      what: '(b) a client well-known that answers after a minute',
      name: 'slowdoc.example.org',
      underWay: () => requested('web', '/.well-known/matrix/client'),
    },
    {
      what: '(b) a probe (the server well-known on matrix.<name>) that answers after a minute',
      name: 'slowprobe.example.org',
      // The federation part has answered and the probe waits on matrix.<name>.
      underWay: () => requested('fed', '/_matrix/key/v2/server') && requested('slowwk', '/.well-known/matrix/server'),
    },
  ];
  for (const { what, name, underWay } of stalled) {
    it(`${what}: rejects with the reason at once, connections closed`, async () => {
      resetAll();
      const before = openSockets();
      const { outcome, afterAbortMs, reason } = await abortedCheck(name, underWay);
      expect(outcome).toBe(reason);
      expect(afterAbortMs).toBeLessThan(1000);
      await expect.poll(openSockets, { timeout: 500, interval: 20 }).toBe(before);
    });
  }

  it('(c) an already-aborted signal: rejects with its reason at once, without a DNS question or a connection', async () => {
    resetAll();
    const queriesBefore = lab.dns.queries.length;
    const reason = new Error('aborted before the start');
    const started = performance.now();
    await expect(checkServer('stall.example.org', { ...options(), signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(lab.dns.queries.length).toBe(queriesBefore);
    expect(Object.values(lab.hosts).map((h) => h.connectionCount)).toEqual(Object.values(lab.hosts).map(() => 0));
  });

  it('a signal that never aborts changes nothing: the check completes with its report, connections closed', async () => {
    const before = openSockets();
    const report = await checkServer('slowprobe.example.org', {
      ...options(),
      checkDocuments: false,
      signal: new AbortController().signal,
      operationTimeoutMs: 1000,
    });
    expect(report.serverName).toBe('slowprobe.example.org');
    expect(report.addresses).toHaveLength(1);
    expect(report.addresses[0]?.version?.httpStatus).toBe(200);
    // The stalled probe ran into its own 1 s budget and says so, rather than failing the check.
    expect(report.probes.wellKnownElsewhere.find((p) => p.host === 'matrix.slowprobe.example.org')).toMatchObject({
      status: 'error',
    });
    await expect.poll(openSockets, { timeout: 500, interval: 20 }).toBe(before);
  });
});

describe('check --timeout-ms through the CLI', () => {
  it('a stalling server: a report within the budget (the address TIMEOUT), well within the 10 s operation timeout, and no connection left behind', async () => {
    const before = openSockets();
    const started = performance.now();
    const r = await runCapture([
      'check',
      'stall.example.org',
      '--json',
      ...labCliFlags(lab, caFile, { timeoutMs: 300 }),
    ]);
    expect(r.code).toBe(1);
    // Issue 13, item 5: the budget gives a report, the stalled address marked as timed out (not an error line).
    const report = JSON.parse(r.stdout) as {
      serverName: string;
      error?: unknown;
      addresses: { connectionError: { code: string } | null }[];
    };
    expect(report.serverName).toBe('stall.example.org');
    expect(report.error).toBeUndefined();
    expect(report.addresses.map((a) => a.connectionError?.code)).toEqual(['TIMEOUT']);
    expect(performance.now() - started).toBeLessThan(3000);
    // Both ends of the stalled connection are this process's (the lab runs here): the lab's side closes when its event
    // loop sees the client's close, which a starved CPU delays by a few hundred ms. A connection left behind would stay
    // open until the 10 s operation timeout, far past this wait.
    await expect.poll(openSockets, { timeout: 3000, interval: 20 }).toBe(before);
  });
});
