// Overlapping lookups and caches never change the answer: every lab scenario in every mode gives the spec's sequence's result.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import { SCENARIOS, comparable, startScenarioLab } from './overlap-lab.js';
import type { ScenarioLab } from './overlap-lab.js';

let env: ScenarioLab;

beforeAll(async () => {
  env = await startScenarioLab();
});

afterAll(async () => {
  await env?.close();
});

describe('every scenario, every mode, one answer', () => {
  it('the scenarios take the paths they are meant to (so the comparison covers every step)', async () => {
    for (const scenario of SCENARIOS) {
      const r = await resolveServerName(scenario.name(env.lab), env.options({ overlap: false }));
      const steps = [...new Set(r.targets.map((t) => t.step))];
      expect({ id: scenario.id, steps, wellKnown: r.wellKnown.status, error: r.error?.code ?? null }).toEqual({
        id: scenario.id,
        steps: scenario.step === null ? [] : [scenario.step],
        wellKnown: scenario.wellKnown,
        error: scenario.error,
      });
    }
  });

  it('overlapping lookups give the sequence result, trace included, for each scenario', async () => {
    for (const scenario of SCENARIOS) {
      const name = scenario.name(env.lab);
      const sequential = await resolveServerName(name, env.options({ overlap: false }));
      const overlapped = await resolveServerName(name, env.options({ overlap: true }));
      expect(comparable(overlapped), scenario.id).toEqual(comparable(sequential));
    }
  });

  it('with a cache (overlapping by default): cold, then from the per-answer cache, then from the memo, the same result', async () => {
    const cache = createResolverCache();
    const perAnswer = createResolverCache({ memo: false });
    for (const scenario of SCENARIOS) {
      const name = scenario.name(env.lab);
      const sequential = comparable(await resolveServerName(name, env.options({ overlap: false })));
      const cold = await resolveServerName(name, env.options({ cache }));
      expect(comparable(cold), `${scenario.id} cold`).toEqual(sequential);
      const hitsBefore = cache.stats().memoHits;
      const again = await resolveServerName(name, env.options({ cache }));
      if (cache.stats().memoHits > hitsBefore) {
        // The memo hands out the cold result itself (with fresh cache ages).
        expect(comparable(again), `${scenario.id} memo`).toEqual(sequential);
      } else {
        // Not kept by the memo (an answer that is never cached, here the SERVFAIL): the steps ran on cached answers.
        expect(scenario.id).toBe('srv-servfail');
        expect(comparable(again, true), `${scenario.id} again`).toEqual(
          comparable(await resolveServerName(name, env.options({ overlap: false })), true),
        );
      }
      await resolveServerName(name, env.options({ cache: perAnswer, overlap: false }));
      const warm = await resolveServerName(name, env.options({ cache: perAnswer, overlap: false }));
      expect(comparable(warm, true), `${scenario.id} warm`).toEqual(
        comparable(await resolveServerName(name, env.options({ overlap: false })), true),
      );
    }
  });

  it('a second resolution with a cache asks nothing, except where an answer must not be kept (SERVFAIL)', async () => {
    const cache = createResolverCache();
    for (const scenario of SCENARIOS) await resolveServerName(scenario.name(env.lab), env.options({ cache }));
    const before = env.lab.dns.queries.length;
    const wkBefore = env.lab.hosts['wk']!.connectionCount;
    for (const scenario of SCENARIOS) await resolveServerName(scenario.name(env.lab), env.options({ cache }));
    const asked = env.lab.dns.queries.slice(before).map((q) => `${q.type} ${q.name}`);
    // (The DNS client asks again after a SERVFAIL, so that one question may be several packets.)
    expect(new Set(asked)).toEqual(new Set(['SRV _matrix-fed._tcp.servfail.ovl.test']));
    expect(env.lab.hosts['wk']!.connectionCount).toBe(wkBefore);
  });
});
