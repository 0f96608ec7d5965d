// The page in Chinese shows the report's sentences in Chinese (issue 17): a key problem and a refused connection of a
// real lab check, served by the real server, said in the answer's `messages` and drawn by headless Chromium.

import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeCheckJson } from '../../src/report/native.js';
import { englishProse, HAN } from '../i18n/sentence-checks.js';
import { FAILING, startMessagesLab, type MessagesLab } from '../server/report-messages-lab.js';
import { RESULTS_DIR, launchChromium, requireChromium } from './chromium.js';

let run: MessagesLab;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  requireChromium();
  run = await startMessagesLab();
  browser = await launchChromium();
  context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(8000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
});

/** The text of the refused address's card and of the card with the key problem, on the page in `lang`. */
async function cards(lang: string): Promise<{ refused: string; keys: string; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${run.origin}/?server_name=${FAILING}&lang=${lang}`);
  const verdict = page.locator('[data-verdict]');
  await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 15_000 }).toBe('bad');
  const refused = await page.locator(`li.card[data-address^="${run.refused}:"]`).innerText();
  const keys = await page.locator(`li.card:not([data-address^="${run.refused}:"])`).first().innerText();
  await page.screenshot({ path: join(RESULTS_DIR, `web-messages-${lang}.png`), fullPage: true });
  await page.close();
  return { refused, keys, problems };
}

describe('the page shows the report sentences in its language', () => {
  it('in Chinese: the connection error and the key problem in Chinese, not in English; in English as the report says', async () => {
    const english = (await (
      await fetch(`${run.origin}/api/check?server_name=${FAILING}&lang=en`)
    ).json()) as NativeCheckJson;
    const refusedAddress = english.addresses.find((a) => a.address.startsWith(`${run.refused}:`));
    const connection = refusedAddress?.connectionError?.message ?? '';
    const keyProblem = english.addresses.flatMap((a) => a.keys?.problems ?? [])[0]?.message ?? '';
    expect(connection).not.toBe('');
    expect(keyProblem).not.toBe('');

    const en = await cards('en');
    expect(en.problems).toEqual([]);
    expect(en.refused).toContain(connection);
    expect(en.keys).toContain(keyProblem);

    const zh = await cards('zh-CN');
    expect(zh.problems).toEqual([]);
    expect(zh.refused).not.toContain(connection);
    expect(zh.keys).not.toContain(keyProblem);
    for (const text of [zh.refused, zh.keys]) {
      expect(text).toMatch(HAN);
      // What is left of English on the cards is data: addresses, codes, names, and the system's own words, marked.
      expect(englishProse(text)).toEqual([]);
    }
    // The values the admin acts on are still there.
    expect(zh.refused).toContain(run.refused);
    expect(zh.refused).toContain('CONNECT_REFUSED');
    expect(zh.keys).toContain('other.messages.test');
  });
});
