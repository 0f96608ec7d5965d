// Overlapping lookups under injected round trips: the same answers as the sequence, in a different interleaving.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { SCENARIOS, comparable, startScenarioLab } from './overlap-lab.js';
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

describe('overlapping lookups with delayed answers', () => {
  it('give the same results as the sequence for every scenario, answers arriving in another order', async () => {
    const names = SCENARIOS.map((s) => s.name(env.lab));
    const sequential = await Promise.all(names.map((n) => resolveServerName(n, env.options({ overlap: false }))));
    const overlapped = await Promise.all(names.map((n) => resolveServerName(n, env.options({ overlap: true }))));
    overlapped.forEach((r, i) => expect(comparable(r), SCENARIOS[i]!.id).toEqual(comparable(sequential[i]!)));
  });
  // How much waiting the overlap saves is measured by `npm run bench -- resolve-latency`, not asserted here:
  // timings in `npm test` would measure the machine's load as much as the code.
});
