// `resolve` and `resolve --trace` in Chinese over the lab (every spec step, cold and from the cache): the same lines, the
// same names, addresses and ports as in English, Chinese words, and none of the English words left.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveText } from '../../src/cli/render-resolve.js';
import { checkTranslations } from '../../src/i18n/index.js';
import { RESOLUTION_TEXT_WORDS } from '../../src/report/resolution-texts.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveResult } from '../../src/resolver/types.js';
import { SCENARIOS, ZONE, startScenarioLab, type ScenarioLab } from '../resolver/overlap-lab.js';
import { spacingFaults } from './catalogue-examples.js';

const HAN = /\p{Script=Han}/u;

it('the resolution text words are complete in every language', () => {
  expect(
    checkTranslations(
      RESOLUTION_TEXT_WORDS,
      {
        'label.step': { step: '3.3' },
        'label.steps': { steps: ['3.4', '3.5'] },
        wellKnown: { status: 'STATUS', mServer: '"matrix.example.org"', detail: 'DETAIL-TEXT' },
        noTargets: { code: 'ADDRESS_DENIED', problem: 'PROBLEM-TEXT' },
        target: {
          address: '[2001:db8::1]:8448',
          step: '3.3',
          host: 'example.org',
          certificate: 'cert.example.org',
          sni: 'sni.example.org',
          srv: { name: '_matrix-fed._tcp.example.org', target: 'backend.example.org' },
          addressOf: 'unused.example.org',
        },
        resolving: { name: '"example.org"' },
        milliseconds: { n: 12 },
        seconds: { n: '1.50' },
      },
      // The well-known line is a frame for words translated on their own (the status, the detail).
      ['wellKnown'],
    ),
  ).toEqual([]);
});

let env: ScenarioLab;
beforeAll(async () => {
  env = await startScenarioLab();
});
afterAll(async () => {
  await env?.close();
});

/** The English words of the resolution text: none may be left in the Chinese one. */
const ENGLISH_WORDS = [
  /\bstep \d/,
  /\bsteps \d/,
  /\btaken\b/,
  /\bskipped\b/,
  /\bno records\b/,
  /\bfailed\b/,
  /^Resolving\b/m,
  /^Well-known:/m,
  /\bTargets, in the order\b/,
  /\bcertificate for\b/,
  /\bno SNI\b/,
  /\bcache hit\b/,
  /\bfetched\b/,
  /\bhas address\(es\)/,
  /\bdelegates to\b/,
  /\bnot an IP literal\b/,
];

/** Names of the lab's zone, the lab's addresses and the ports shown: what each Chinese line must show as well. */
function valuesIn(line: string, env: ScenarioLab): string[] {
  const names = line.match(new RegExp(`[a-z0-9._-]*${ZONE.replace('.', '\\.')}(?::\\d+)?`, 'g')) ?? [];
  const addresses = Object.values(env.lab.hosts)
    .map((h) => h.address)
    .filter((ip) => line.includes(ip));
  // Durations and ages: the number (the unit is the language's).
  const durations = [...line.matchAll(/(\d+(?:\.\d+)?) (?:ms|s|min|h|d)\b/g)].map((m) => m[1]!);
  return [...names, ...addresses, ...durations];
}

async function resolveTwice(name: string): Promise<{ cold: ResolveResult; warm: ResolveResult }> {
  const cache = createResolverCache();
  const cold = await resolveServerName(name, env.options({ cache }));
  const warm = await resolveServerName(name, env.options({ cache }));
  return { cold, warm };
}

describe('every scenario', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', async (_, scenario) => {
    const { cold, warm } = await resolveTwice(scenario.name(env.lab));
    for (const [result, withTrace] of [
      [cold, false],
      [cold, true],
      [warm, true],
    ] as const) {
      const english = resolveText(result, withTrace);
      expect(resolveText(result, withTrace, { locale: 'en' })).toBe(english);
      const chinese = resolveText(result, withTrace, { locale: 'zh-CN' });
      const en = english.split('\n');
      const zh = chinese.split('\n');
      // One line for one line: the same steps (and the same grouping of skipped ones), the same targets.
      expect(zh).toHaveLength(en.length);
      en.forEach((line, i) => {
        const theirs = zh[i]!;
        if (line.trim() === '') return expect(theirs.trim()).toBe('');
        expect(theirs, line).toMatch(HAN);
        // The well-known failure quotes a connection error in English; its Chinese names the URL and what failed.
        const values = /^(?:Well-known:|\s+(?:\+\S+ )?step 3 +failed)/.test(line)
          ? valuesIn(line, env).filter((v) => v.includes(ZONE))
          : valuesIn(line, env);
        for (const value of values) expect(theirs, line).toContain(value);
      });
      for (const word of ENGLISH_WORDS) expect(chinese).not.toMatch(word);
      expect(spacingFaults(chinese)).toEqual([]);
      if (withTrace && result === warm && warm.trace.some((e) => e.cache?.hit === true))
        expect(chinese).toContain('缓存命中');
    }
  });
});
