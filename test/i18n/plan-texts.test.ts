// `plan` in Chinese over the lab: the same decision and the same generated files as in English, the explanations (reasons,
// caveats, the probe's summary, the text around the blocks) in Chinese with the same hosts and ports.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTranslations, type Locale } from '../../src/i18n/index.js';
import { createPlan, decideDelegation, parseHomeserver, probeSummary, renderPlanText } from '../../src/plan/index.js';
import { PLAN_TEXTS } from '../../src/plan/plan-texts.js';
import type { Plan, PlanRequest } from '../../src/plan/index.js';
import type { Lab } from '../../src/testing/index.js';
import { startPlanLab, type PlanLab } from '../plan/plan-lab-hosts.js';
import { examplesOf, spacingFaults } from './catalogue-examples.js';

const HAN = /\p{Script=Han}/u;

it('the plan texts are complete in every language', () => {
  const examples = examplesOf(PLAN_TEXTS.en, {
    // English shows the lookup's message only, which names the host; Chinese names the host, then the message.
    'probe.lookupFailed': { host: 'lookup-host.example', message: 'SERVFAIL for lookup-host.example AAAA' },
  });
  // A probe's error is the connection's own message; the summary's frame is a full stop (Chinese: 。).
  expect(
    checkTranslations(PLAN_TEXTS, examples as never, [
      'probe.failed',
      'probe.failedWords',
      'probe.sentence',
      'probe.noAddress',
    ]),
  ).toEqual([]);
});

let planLab: PlanLab;
let lab: Lab;
beforeAll(async () => {
  planLab = await startPlanLab();
  lab = planLab.lab;
});
afterAll(async () => {
  await planLab?.close();
});

async function plan(request: PlanRequest, locale: Locale): Promise<Plan> {
  return createPlan(
    { ...request, locale, federationPort: lab.ports.federation },
    { ...lab.clientOptions(), operationTimeoutMs: 2000 },
  );
}

/** The English words of the plan's text: none may be left in the Chinese one. */
const ENGLISH_WORDS = [
  /^Delegation plan for\b/m,
  /^Is delegation needed\?/m,
  /^ {2}Mind:/m,
  /^1\. The documents\b/m,
  /\bnot served\b/,
  /^2\. A matrix-delegation config\b/m,
  /^3\. Or serve them\b/m,
  /^4\. DNS \(zone-file syntax\)/m,
  /^5\. Synapse \(homeserver\.yaml\):/m,
  /^Next: /m,
  /^Warning: /m,
  /\bProbe of\b|\bServers would connect\b|\bDelegate by\b|\bThe homeserver must\b|\bThe document must\b/,
];

/** Host names, addresses and ports an English sentence names. */
function valuesOf(text: string): string[] {
  return [
    ...new Set(
      (
        text.match(/[a-z0-9.-]+\.(?:example|org|com)(?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?|\b\d{3,5}\b/g) ?? []
      ).map((v) => v.replace(/\.$/, '')),
    ),
  ];
}

describe('a plan in both languages', () => {
  it.each([
    [
      'a homeserver on a subdomain, nothing on 8448',
      { serverName: 'example.com', homeserver: 'https://matrix.example.com' },
    ],
    [
      'a certificate for another name on 8448, SRV asked for',
      { serverName: 'badcert.example.org', homeserver: 'https://matrix.example.org', method: 'srv' as const },
    ],
    ['already answering on 8448', { serverName: 'direct.example.org', homeserver: 'https://matrix.example.org' }],
    ['Synapse serves the document itself', { serverName: 'example.com', homeserver: 'https://example.com' }],
  ])('%s', async (_, request) => {
    const en = await plan(request, 'en');
    const zh = await plan(request, 'zh-CN');
    // The same decision and the same generated files, byte for byte.
    expect(zh.decision).toMatchObject({
      verdict: en.decision.verdict,
      method: en.decision.method,
      mServer: en.decision.mServer,
      srvTarget: en.decision.srvTarget,
      synapseCanServe: en.decision.synapseCanServe,
    });
    expect([zh.config, zh.snippets, zh.files, zh.dns, zh.synapse, zh.documents, zh.srvRecord, zh.next]).toEqual([
      en.config,
      en.snippets,
      en.files,
      en.dns,
      en.synapse,
      en.documents,
      en.srvRecord,
      en.next,
    ]);
    // The explanations: one for one, in Chinese, with the same hosts and ports.
    const sentences = (p: Plan): string[] => [...p.decision.reasons, ...p.decision.caveats];
    expect(sentences(zh)).toHaveLength(sentences(en).length);
    sentences(en).forEach((english, i) => {
      const chinese = sentences(zh)[i]!;
      expect(chinese, english).toMatch(HAN);
      for (const value of valuesOf(english)) expect(chinese, english).toContain(value);
    });
    if (en.probe !== null && zh.probe !== null) {
      expect(zh.probe.works).toBe(en.probe.works);
      expect(zh.probe.summary).toMatch(HAN);
      // Pure: the summary remade from the probe's findings is the one the probe wrote, in each language.
      expect(probeSummary(en.probe, 'en')).toBe(en.probe.summary);
      expect(probeSummary(en.probe, 'zh-CN')).toBe(zh.probe.summary);
    }
    // The text: English as before, Chinese around the same blocks.
    const english = renderPlanText(en);
    expect(renderPlanText(en, { locale: 'en' })).toBe(english);
    const chinese = renderPlanText(zh, { locale: 'zh-CN' });
    for (const word of ENGLISH_WORDS) expect(chinese, String(word)).not.toMatch(word);
    // The plan's own words follow the style (the blocks are configuration files).
    const prose = chinese.replace(/^----- .* -----\n[\s\S]*?^----- end -----$/gm, '');
    expect(spacingFaults(prose)).toEqual([]);
    // The copy-ready blocks are the same bytes in both languages (only their titles are translated).
    const blocks = (text: string): string[] =>
      [...text.matchAll(/^----- .* -----\n([\s\S]*?)^----- end -----$/gm)].map((m) => m[1]!);
    expect(blocks(chinese)).toEqual(blocks(english));
    expect(blocks(chinese).length).toBeGreaterThanOrEqual(7);
  });

  it('a Chinese decision from an English probe says the probe in Chinese', async () => {
    const en = await plan({ serverName: 'example.com', homeserver: 'https://matrix.example.com' }, 'en');
    const decision = decideDelegation(
      'example.com',
      parseHomeserver('https://matrix.example.com'),
      en.probe,
      'well-known',
      lab.ports.federation,
      'zh-CN',
    );
    expect(decision.reasons.join('\n')).toContain(probeSummary(en.probe!, 'zh-CN'));
  });

  it('errors about the request in Chinese (same codes)', async () => {
    await expect(
      plan({ serverName: 'example.com', homeserver: 'http://matrix.example.com' }, 'zh-CN'),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^homeserver "http:\/\/matrix\.example\.com" 不是 https:\/\/ URL/),
    });
    await expect(
      plan({ serverName: 'exa mple.com', homeserver: 'https://matrix.example.com' }, 'zh-CN'),
    ).rejects.toMatchObject({
      code: 'INVALID_SERVER_NAME',
      message: expect.stringMatching(HAN),
    });
    await expect(
      plan(
        {
          serverName: 'example.com',
          homeserver: 'https://matrix.example.com',
          jitsiDomain: 'https://jitsi.example.com',
        },
        'zh-CN',
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('--jitsi-domain "https://jitsi.example.com" 不是主机名'),
    });
  });
});
