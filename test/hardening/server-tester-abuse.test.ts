// The fast subset of the tester-abuse soak: a flooding client, the global cap, and names that lead to private addresses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PRIVATE_NAME_KINDS,
  capScenario,
  floodScenario,
  privateScenario,
  startTesterLab,
  startTesterServer,
  trackChecks,
} from '../../soak/tester-abuse.js';
import type { TesterLab } from '../../soak/tester-abuse.js';
import type { RunningServer } from '../../src/server/serve.js';

let testerLab: TesterLab;
const servers: RunningServer[] = [];

beforeAll(async () => {
  testerLab = await startTesterLab({ capNames: 24, slowMs: 300 });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close({ timeoutMs: 500 })));
  await testerLab?.close();
});

async function server(testerYaml: string, tracker = trackChecks(), allowEverything = false): Promise<RunningServer> {
  const options = allowEverything
    ? { ...testerLab.checkOptions(), allowNetworks: ['127.0.0.0/8'] }
    : testerLab.checkOptions();
  const started = await startTesterServer(testerLab, testerYaml, tracker, options);
  servers.push(started);
  return started;
}

describe('tester abuse', () => {
  it('a flooding client gets 429 with Retry-After once its budget is spent; another client address keeps getting answers', async () => {
    const tracker = trackChecks();
    const s = await server('  rate_limit_per_minute: 10\n  max_in_flight: 16\n  cache_seconds: 60\n', tracker);
    const flood = await floodScenario(s, tracker, {
      requests: 300,
      concurrency: 20,
      floodAddress: '127.0.0.1',
      otherAddress: '127.0.0.2',
      otherIntervalMs: 20,
      otherNames: 4,
    });
    expect(Object.fromEntries(flood.floodStatuses)).toEqual({ 200: 10, 429: 290 });
    expect(flood.well429).toBe(290);
    expect(flood.floodRuns).toBe(10);
    expect(flood.otherProblems).toEqual([]);
    expect(flood.otherRight).toBe(flood.otherRequests);
    expect(flood.otherRequests).toBeGreaterThanOrEqual(8);
  });

  it('the global cap holds when many client addresses ask at once: the rest get 503 with Retry-After: 5', async () => {
    const tracker = trackChecks();
    const s = await server('  rate_limit_per_minute: 0\n  max_in_flight: 3\n  cache_seconds: 0\n', tracker);
    const cap = await capScenario(s, tracker, { clients: 12, waves: 2, firstName: 0 });
    expect(cap.maxRunning).toBe(3);
    expect(cap.maxGauge).toBeLessThanOrEqual(3);
    const ran = cap.statuses.get(200) ?? 0;
    expect(ran).toBeGreaterThanOrEqual(6);
    expect(ran + cap.well503).toBe(24);
    expect(tracker.runs()).toBe(ran);
  });

  it('names that lead to a private address are checked but never contacted; allowing the address reaches the traps (control)', async () => {
    const denied = await privateScenario(
      await server('  rate_limit_per_minute: 0\n  cache_seconds: 0\n'),
      testerLab,
      1,
    );
    expect(denied).toMatchObject({
      checks: PRIVATE_NAME_KINDS.length,
      answered: PRIVATE_NAME_KINDS.length,
      denied: PRIVATE_NAME_KINDS.length,
      trapConnections: 0,
      trapRequests: 0,
    });
    // The same names with the trap's address allowed: the trap counters must move, or the zero above proves nothing.
    const control = await privateScenario(
      await server('  rate_limit_per_minute: 0\n  cache_seconds: 0\n', trackChecks(), true),
      testerLab,
      1,
    );
    expect(control.trapConnections).toBeGreaterThan(0);
  });
});
