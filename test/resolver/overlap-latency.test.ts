// Overlapping lookups under injected round trips: the same answers in a different interleaving, and less waiting.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { SCENARIOS, ZONE, comparable, startScenarioLab } from './overlap-lab.js';
import type { ScenarioLab } from './overlap-lab.js';

/** One round trip: every DNS answer and every accepted connection waits this long. */
const D = 40;
let env: ScenarioLab;

beforeAll(async () => {
  env = await startScenarioLab(D);
});

afterAll(async () => {
  await env?.close();
});

async function timed(name: string, overlap: boolean): Promise<number> {
  const started = performance.now();
  await resolveServerName(name, env.options({ overlap }));
  return performance.now() - started;
}

describe('overlapping lookups with delayed answers', () => {
  it('give the same results as the sequence for every scenario, answers arriving in another order', async () => {
    const names = SCENARIOS.map((s) => s.name(env.lab));
    const sequential = await Promise.all(names.map((n) => resolveServerName(n, env.options({ overlap: false }))));
    const overlapped = await Promise.all(names.map((n) => resolveServerName(n, env.options({ overlap: true }))));
    overlapped.forEach((r, i) => expect(comparable(r), SCENARIOS[i]!.id).toEqual(comparable(sequential[i]!)));
  });

  it('no well-known and no SRV (step 6): the SRV questions wait during the fetch, not after it (4D+C -> D+C)', async () => {
    const name = `plain.${ZONE}`;
    const sequential = Math.min(await timed(name, false), await timed(name, false));
    const overlapped = Math.min(await timed(name, true), await timed(name, true));
    // The sequence waits 3 more round trips (120 ms); demand 2 of them, whatever the machine's noise.
    expect(sequential - overlapped).toBeGreaterThan(2 * D);
    expect(overlapped).toBeGreaterThanOrEqual(2 * D); // one DNS and one connection round trip are necessary
  });

  it('the legacy SRV behind a delegation (3.4): both SRV names at once (4D+C -> 3D+C)', async () => {
    const name = `legacydeleg.${ZONE}`;
    const sequential = Math.min(await timed(name, false), await timed(name, false));
    const overlapped = Math.min(await timed(name, true), await timed(name, true));
    expect(sequential - overlapped).toBeGreaterThan(D / 2);
    expect(overlapped).toBeGreaterThanOrEqual(4 * D);
  });
});
