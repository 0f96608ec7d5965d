// The tester page in Simplified Chinese (issue 17), in headless Chromium: chosen by ?lang=, by the browser's language
// and by the switcher (kept after a reload), drawing a real lab report in CJK glyphs (Debian's fonts-noto-cjk), with
// the same hint ids as in English, no sideways scrolling at 360 px in either language, and screenshots in
// test-results/ (web-zh-desktop.png, web-zh-phone.png).
//
// The reports are real: the checker runs against the lab (DNS, TLS, HTTP on loopback) in the language the page asks
// for (`api/check?lang=`), as the server's /api/check does; a small server serves web/ as shipped around them.

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { parseLocale, type Locale } from '../../src/i18n/index.js';
import { toNativeJson, type NativeCheckJson } from '../../src/report/native.js';
import { startLab, type Lab } from '../../src/testing/index.js';
import { NGINX_404, homeserverRoutes, labAllowNetworks } from '../diagnosis/homeserver.js';
import { RESULTS_DIR, ROOT, launchChromium, requireChromium } from './chromium.js';

const WEB_ROOT = join(ROOT, 'web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** The server's CSP (web/README.md): a violation fails the test through the console. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** No well-known (404); SRV records to a homeserver whose certificate expired and names only itself. */
const BROKEN = 'broken.zh.test';
const HOMESERVER = 'hs.zh.test';
/** Han characters: what Chinese text has and English does not. */
const HAN = /\p{Script=Han}/u;

let lab: Lab;
let server: Server;
let origin: string;
let browser: Browser;

/** The API calls the page made: the name and the `lang` asked for. */
const checkCalls: { name: string; lang: string | null }[] = [];
const monitorCalls: (string | null)[] = [];
/** While set, answers in this language wait for it: to see the page switch before the hints come. */
let gate: { lang: Locale; open: Promise<void>; release: () => void } | null = null;

const reports = new Map<string, Promise<NativeCheckJson>>();
/** The lab report of `name` in `locale` (one check per language, as a cache would keep it). */
function reportOf(name: string, locale: Locale): Promise<NativeCheckJson> {
  const key = `${locale} ${name}`;
  let report = reports.get(key);
  if (report === undefined) {
    report = checkServer(name, {
      ...lab.clientOptions(),
      allowNetworks: labAllowNetworks(lab),
      operationTimeoutMs: 3000,
      locale,
    }).then(toNativeJson);
    reports.set(key, report);
  }
  return report;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://page.invalid');
  if (url.pathname === '/api/check') {
    const name = url.searchParams.get('server_name') ?? '';
    const lang = url.searchParams.get('lang');
    checkCalls.push({ name, lang });
    const locale = parseLocale(lang ?? '') ?? 'en';
    if (gate !== null && gate.lang === locale) await gate.open;
    if (name !== BROKEN) return json(res, 400, { errcode: 'M_INVALID_PARAM', error: `${name} is not in this lab` });
    return json(res, 200, await reportOf(name, locale));
  }
  if (url.pathname === '/api/monitor') {
    monitorCalls.push(url.searchParams.get('lang'));
    return json(res, 404, { errcode: 'M_NOT_FOUND', error: 'no monitor' });
  }
  const path = resolve(WEB_ROOT, url.pathname === '/' ? 'index.html' : url.pathname.slice(1));
  if (!path.startsWith(WEB_ROOT + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

/** A page that records script errors, CSP violations and requests leaving the test server. */
async function openPage(
  context: BrowserContext,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) problems.push(`external request: ${request.url()}`);
  });
  return { page, problems };
}

async function newContext(locale?: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: origin,
    reducedMotion: 'reduce',
    ...(locale === undefined ? {} : { locale }),
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/** The few browser globals the functions run in the page use (the project compiles without the DOM library). */
interface BrowserLike {
  readonly document: {
    readonly documentElement: { readonly lang: string; readonly scrollWidth: number };
    querySelector(selector: string): { open: boolean } | null;
  };
  readonly innerWidth: number;
  readonly localStorage: { getItem(key: string): string | null };
}

async function htmlLang(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as BrowserLike).document.documentElement.lang);
}

/** The width the page's content takes and the window's: the page must not scroll sideways. */
async function widths(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as BrowserLike;
    return { scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth };
  });
}

/** The fonts Chromium drew an element's text with (DevTools' "Rendered fonts"), with the glyphs each drew. */
async function renderedFonts(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('DOM.enable');
    await session.send('CSS.enable');
    const { root } = await session.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await session.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await session.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => ({ familyName: f.familyName, glyphCount: f.glyphCount }));
  } finally {
    await session.detach();
  }
}

/** The hint ids the page shows, in order. */
async function hintIds(page: Page): Promise<(string | null)[]> {
  return page.locator('ul.hints > li.hint').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-hint-id')));
}

/**
 * Text of every match of `selector` that still has an English phrase (three Latin words in a row) once its code and
 * URLs are left out: a sentence of the page left in English inside a Chinese one.
 */
async function englishPhrases(page: Page, selector: string): Promise<string[]> {
  const texts = await page.locator(selector).evaluateAll((nodes) =>
    nodes.map((node) => {
      const copy = node.cloneNode(true) as typeof node;
      for (const codeNode of copy.querySelectorAll('code')) codeNode.remove();
      return copy.textContent ?? '';
    }),
  );
  return texts.filter((text) =>
    /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/.test(text.replace(/https?:\/\/\S+/g, ' ')),
  );
}

/** Text of every match of `selector` that has no Chinese in it. */
async function withoutChinese(page: Page, selector: string): Promise<string[]> {
  const texts = await page.locator(selector).allTextContents();
  return texts.filter((text) => !HAN.test(text));
}

beforeAll(async () => {
  requireChromium();
  lab = await startLab({
    zones: {
      [BROKEN]: { A: ['web'] },
      [`_matrix-fed._tcp.${BROKEN}`]: { SRV: [{ priority: 10, weight: 0, port: 0, target: HOMESERVER }] },
      [HOMESERVER]: { A: ['hs'] },
    },
    hosts: {
      web: { fallback: NGINX_404 },
      hs: {
        port: 'federation',
        certificates: [{ kind: 'expired' }],
        routes: homeserverRoutes({ serverNameFor: () => BROKEN }),
      },
    },
  });
  lab.dns.setName(`_matrix-fed._tcp.${BROKEN}`, {
    SRV: [{ priority: 10, weight: 0, port: lab.ports.federation, target: HOMESERVER }],
  });
  server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  await lab?.close();
});

describe('the tester page in Simplified Chinese (headless Chromium)', () => {
  it('?lang=zh-CN draws a real lab report in Chinese, in CJK glyphs, with the hint ids of English; fits 360 px', async () => {
    const [english, chinese] = await Promise.all([reportOf(BROKEN, 'en'), reportOf(BROKEN, 'zh-CN')]);
    expect(english.hints.length).toBeGreaterThan(0);
    const context = await newContext();
    const { page, problems } = await openPage(context);
    await page.goto(`/?server_name=${BROKEN}&lang=zh-CN`);
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(checkCalls.at(-1)).toEqual({ name: BROKEN, lang: 'zh-CN' });
    expect(monitorCalls.at(-1)).toBe('zh-CN');

    // The glossary's words (CONTRIBUTING, issue 17): 服务器名 for the server name, 联邦 for federation.
    expect(await page.locator('label[for="server-name"]').textContent()).toBe('服务器名');
    expect(await page.getByRole('textbox', { name: '服务器名' }).inputValue()).toBe(BROKEN);
    const heading = await verdict.locator('h2').textContent();
    expect(heading?.startsWith(BROKEN)).toBe(true);
    expect(heading).toContain('联邦');
    expect(await page.title()).toContain(BROKEN);
    expect(HAN.test(await page.title())).toBe(true);

    // Every fixed text of the page in Chinese: the form, the step titles, what each step does, why it went as it
    // did (told from the trace's facts, never the resolver's English), the section titles.
    for (const selector of [
      'h1',
      '.lede',
      '#check-button',
      '.site-footer',
      'ol.steps .step-title',
      'ol.steps .step-what',
      'ol.steps .reason',
      'ol.steps .status',
      '#results h2',
      '.card-section > h3',
      '.facts dt',
      // Every badge but the address family (IPv4, IPv6).
      '.badge:not(.card-title > .badge--neutral)',
    ]) {
      expect({ selector, english: await withoutChinese(page, selector) }).toEqual({ selector, english: [] });
    }
    // No English phrase inside them either: the steps' reasons, the well-known line, the targets.
    for (const selector of ['ol.steps .reason', 'p.well-known', '.card-section > ul.plain li', 'ol.targets'])
      expect({ selector, english: await englishPhrases(page, selector) }).toEqual({ selector, english: [] });
    // The values stay as they are inside the Chinese sentences: the SRV name asked, the homeserver's host.
    const step4 = page.locator('li.step[data-step="4"]');
    expect(await step4.getAttribute('data-status')).toBe('taken');
    expect(await step4.locator('.reason').first().textContent()).toContain(`_matrix-fed._tcp.${BROKEN}`);
    expect(await page.locator('ol.targets').textContent()).toContain(BROKEN);

    // The hints as the API gave them in Chinese, with the ids and the order of the English report.
    expect(await hintIds(page)).toEqual(english.hints.map((h) => h.id));
    expect(chinese.hints.map((h) => h.id)).toEqual(english.hints.map((h) => h.id));
    const titles = await page.locator('ul.hints > li.hint h3').allTextContents();
    chinese.hints.forEach((hint, i) => {
      expect(titles[i]).toContain(hint.title);
      expect(HAN.test(hint.title), hint.id).toBe(true);
    });

    // Drawn in CJK glyphs: the Han characters of the heading and of a hint come from a CJK face, none is a box.
    for (const selector of ['h1', 'ul.hints > li.hint h3']) {
      const fonts = await renderedFonts(page, selector);
      const cjk = fonts.filter((f) => /CJK/i.test(f.familyName));
      expect({ selector, fonts, cjk: cjk.length > 0 }).toMatchObject({ selector, cjk: true });
      expect(cjk.reduce((n, f) => n + f.glyphCount, 0)).toBeGreaterThanOrEqual(4);
    }
    await page.screenshot({ path: join(RESULTS_DIR, 'web-zh-desktop.png'), fullPage: true });

    // A 360 px phone, with the raw JSON open: nothing scrolls sideways, in Chinese and in English.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('details.raw-json summary').click();
    const zhWidths = await widths(page);
    expect(zhWidths.innerWidth).toBe(360);
    expect(zhWidths.scrollWidth).toBeLessThanOrEqual(zhWidths.innerWidth);
    await page.screenshot({ path: join(RESULTS_DIR, 'web-zh-phone.png'), fullPage: true });
    await page.goto(`/?server_name=${BROKEN}&lang=en`);
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('en');
    await page.locator('details.raw-json summary').click();
    const enWidths = await widths(page);
    expect(enWidths.scrollWidth).toBeLessThanOrEqual(enWidths.innerWidth);
    expect(await hintIds(page)).toEqual(english.hints.map((h) => h.id));

    expect(problems).toEqual([]);
    await context.close();
  });

  it("follows the browser's language: zh-CN gets Chinese, zh-TW (Traditional) English", async () => {
    const zh = await newContext('zh-CN');
    const { page, problems } = await openPage(zh);
    await page.goto(`/?server_name=${BROKEN}`);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(checkCalls.at(-1)).toEqual({ name: BROKEN, lang: 'zh-CN' });
    expect(await page.getByRole('button', { name: '简体中文' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('false');
    expect(problems).toEqual([]);
    await zh.close();

    const tw = await newContext('zh-TW');
    const twPage = (await openPage(tw)).page;
    await twPage.goto(`/?server_name=${BROKEN}`);
    await expect.poll(() => twPage.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(twPage)).toBe('en');
    expect(checkCalls.at(-1)).toEqual({ name: BROKEN, lang: 'en' });
    expect(await twPage.locator('label[for="server-name"]').textContent()).toBe('Server name');
    await tw.close();
  });

  it('the switcher redraws the report at once, asks for the hints in the new language, and keeps the choice', async () => {
    const english = await reportOf(BROKEN, 'en');
    const chinese = await reportOf(BROKEN, 'zh-CN');
    const context = await newContext('en-US');
    const { page, problems } = await openPage(context);
    await page.goto(`/?server_name=${BROKEN}`);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('en');
    expect(await hintIds(page)).toEqual(english.hints.map((h) => h.id));
    expect(await page.locator('ul.hints > li.hint h3').first().textContent()).toContain(english.hints[0]!.title);

    // Switch while the Chinese answer is held back: the page's own words change at once, the hints when it comes.
    let release = (): void => {};
    const open = new Promise<void>((done) => (release = done));
    gate = { lang: 'zh-CN', open, release };
    const calls = checkCalls.length;
    await page.getByRole('button', { name: '简体中文' }).click();
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(await page.getByRole('button', { name: '简体中文' }).getAttribute('aria-pressed')).toBe('true');
    expect(await withoutChinese(page, 'ol.steps .step-title')).toEqual([]);
    expect(await withoutChinese(page, 'ol.steps .reason')).toEqual([]);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await hintIds(page)).toEqual(english.hints.map((h) => h.id));
    await expect.poll(() => checkCalls.slice(calls)).toEqual([{ name: BROKEN, lang: 'zh-CN' }]);
    gate.release();
    gate = null;
    await expect
      .poll(() => page.locator('ul.hints > li.hint h3').first().textContent())
      .toContain(chinese.hints[0]!.title);
    expect(await hintIds(page)).toEqual(english.hints.map((h) => h.id));
    // The choice is kept: in the browser's storage, not in the URL.
    expect(new URL(page.url()).search).toBe(`?server_name=${BROKEN}`);
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserLike).localStorage.getItem('matrix-delegation.lang')),
    ).toBe('zh-CN');

    // After a reload, still Chinese, though the browser says English.
    await page.reload();
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('zh-CN');
    expect(checkCalls.at(-1)).toEqual({ name: BROKEN, lang: 'zh-CN' });
    expect(await withoutChinese(page, 'ol.steps .step-title')).toEqual([]);

    // ?lang= in the URL wins over the stored choice.
    await page.goto(`/?server_name=${BROKEN}&lang=en`);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('en');
    // Switching there changes the URL's lang too, so that a reload keeps the new choice.
    await page.getByRole('button', { name: '简体中文' }).click();
    expect(new URL(page.url()).searchParams.get('lang')).toBe('zh-CN');
    await page.reload();
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
    expect(await htmlLang(page)).toBe('zh-CN');

    // Back to English with the keyboard: the switcher comes after the form in the Tab order.
    await page.goto('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await htmlLang(page)).toBe('en');
    expect(await page.locator('label[for="server-name"]').textContent()).toBe('Server name');
    await page.reload();
    expect(await htmlLang(page)).toBe('en');

    expect(problems).toEqual([]);
    await context.close();
  });
});
