// /api/check and /api/monitor in another language carry the report's sentences in it, as `messages` (issue 17): by
// their English words, which the JSON keeps; an English answer has no such member.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeCheckJson } from '../../src/report/native.js';
import { englishProse, HAN, values } from '../i18n/sentence-checks.js';
import { waitForAsync } from '../monitor/wait.js';
import { FAILING, startMessagesLab, type MessagesLab } from './report-messages-lab.js';

type Answer = NativeCheckJson & { readonly messages?: Record<string, string> };

let run: MessagesLab;

beforeAll(async () => {
  run = await startMessagesLab();
}, 60_000);

afterAll(async () => {
  await run?.close();
});

async function getJson(path: string): Promise<{ text: string; json: unknown }> {
  const response = await fetch(`${run.origin}${path}`);
  expect(response.status, path).toBe(200);
  const text = await response.text();
  return { text, json: JSON.parse(text) as unknown };
}

async function check(lang: string): Promise<Answer> {
  return (await getJson(`/api/check?server_name=${FAILING}&lang=${lang}`)).json as Answer;
}

/** The sentences of a report the page shows about its addresses: connection errors, certificate and key problems. */
function addressSentences(report: NativeCheckJson): string[] {
  return report.addresses.flatMap((a) => [
    ...(a.connectionError ? [a.connectionError.message] : []),
    ...(a.tls?.trustError ? [a.tls.trustError.message] : []),
    ...(a.tls?.nameError ? [a.tls.nameError.message] : []),
    ...(a.version?.error ? [a.version.error.message] : []),
    ...(a.keys?.problems ?? []).map((p) => p.message),
  ]);
}

/** What is wrong with the messages given for `sentences` (nothing: an empty list). */
function faults(sentences: readonly string[], messages: Record<string, string> | undefined): string[] {
  const found: string[] = [];
  for (const english of sentences) {
    const chinese = messages?.[english];
    if (chinese === undefined) {
      found.push(`no message for ${JSON.stringify(english)}`);
      continue;
    }
    if (!HAN.test(chinese)) found.push(`no Chinese in ${chinese}`);
    for (const prose of englishProse(chinese)) found.push(`English prose ${JSON.stringify(prose)} in ${chinese}`);
    for (const value of values(english))
      if (!chinese.includes(value)) found.push(`${JSON.stringify(value)} lost in ${chinese}`);
  }
  return found;
}

describe('the report sentences of an answer in another language', () => {
  it('/api/check?lang=en has no messages member; the check failed with a key problem and a refused connection', async () => {
    const english = await check('en');
    expect(Object.hasOwn(english, 'messages')).toBe(false);
    const refused = english.addresses.find((a) => a.address.startsWith(`${run.refused}:`));
    expect(refused?.connectionError?.code).toBe('CONNECT_REFUSED');
    expect(english.addresses.some((a) => (a.keys?.problems.length ?? 0) > 0)).toBe(true);
  });

  it('/api/check?lang=zh-CN carries messages: each problem sentence in Chinese with its values; the JSON keeps English', async () => {
    const english = await check('en');
    const chinese = await check('zh-CN');
    const sentences = addressSentences(english);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(faults(sentences, chinese.messages)).toEqual([]);
    // The report's own fields are the English ones (scripts read them); the summary and hints are in Chinese.
    expect(addressSentences(chinese)).toEqual(sentences);
    expect(chinese.hints.map((h) => h.id)).toEqual(english.hints.map((h) => h.id));
  });

  it('/api/monitor?lang=zh-CN gives the watched report with its messages; in English without', async () => {
    const watched = async (lang: string): Promise<Answer | null> => {
      const body = (await getJson(`/api/monitor?lang=${lang}`)).json as {
        servers: { server_name: string; report: Answer | null }[];
      };
      return body.servers.find((s) => s.server_name === FAILING)?.report ?? null;
    };
    await waitForAsync(async () => (await watched('en')) !== null, 'the monitor’s first report');
    const english = (await watched('en'))!;
    expect(Object.hasOwn(english, 'messages')).toBe(false);
    const chinese = (await watched('zh-CN'))!;
    expect(faults(addressSentences(english), chinese.messages)).toEqual([]);
  });
});
