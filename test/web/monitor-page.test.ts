// The watched servers on the page (issue 20): the real server with a monitor over the lab, drawn by headless Chromium.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { startMonitorLab } from '../monitor/monitor-lab.js';
import type { MonitorLab } from '../monitor/monitor-lab.js';
import { waitFor } from '../monitor/wait.js';
import { captureLogger, testConfig } from '../server/http-helpers.js';
import { RESULTS_DIR, launchChromium, requireChromium } from './chromium.js';

let dir: string;
let lab: MonitorLab;
let withTester: RunningServer;
let monitorOnly: RunningServer;
let browser: Browser;
let context: BrowserContext;

function yaml(tester: boolean, state: string): string {
  return [
    'server_name: monitor.example.org',
    `tester: { enabled: ${tester} }`,
    'monitor:',
    `  servers: [${lab.name('healthy')}, ${lab.name('broken')}]`,
    `  state_path: ${join(dir, state)}`,
  ].join('\n');
}

/** A page that records script errors, CSP violations and failed requests. */
async function openPage(origin: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${origin}/`);
  return { page, problems };
}

beforeAll(async () => {
  requireChromium();
  dir = mkdtempSync(join(tmpdir(), 'md-monitor-page-'));
  lab = await startMonitorLab({ names: ['healthy', 'broken'] });
  lab.setCertificateWithoutName('broken', true);
  const options = { logger: captureLogger('error').logger, checkOptions: lab.checkOptions() };
  withTester = await startServer(testConfig(yaml(true, 'a.json')), { ...options, monitor: { intervalMs: 300 } });
  monitorOnly = await startServer(testConfig(yaml(false, 'b.json')), { ...options, monitor: { intervalMs: 300 } });
  for (const server of [withTester, monitorOnly])
    await waitFor(
      () => (server.monitor?.names() ?? []).every((w) => (w.state?.consecutiveFailures ?? 0) > 0 || w.state?.last?.ok),
      'the first checks',
    );
  browser = await launchChromium();
  context = await browser.newContext({ reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(8000);
});

afterAll(async () => {
  await browser?.close();
  await withTester?.close({ timeoutMs: 0 });
  await monitorOnly?.close({ timeoutMs: 0 });
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the watched servers on the page (headless Chromium)', () => {
  it('lists each watched name with its state in words, and shows its last report on demand', async () => {
    const { page, problems } = await openPage(withTester.urls[0]!.replace(/\/$/, ''));
    const healthy = page.locator(`li.watched[data-server-name="${lab.name('healthy')}"]`);
    const broken = page.locator(`li.watched[data-server-name="${lab.name('broken')}"]`);
    await expect.poll(() => healthy.count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Watched servers' }).isVisible()).toBe(true);
    expect(await healthy.getAttribute('data-state')).toBe('ok');
    expect(await healthy.locator('.badge').textContent()).toContain('works');
    expect(await healthy.textContent()).toContain('Federation works.');
    expect(['failing', 'alerting']).toContain(await broken.getAttribute('data-state'));
    expect(await broken.locator('.badge').textContent()).toMatch(/failing/);
    // The broken one first (in trouble), though the config lists it second.
    expect(await page.locator('li.watched').first().getAttribute('data-server-name')).toBe(lab.name('broken'));
    // The check form is there: this server runs the tester too.
    expect(await page.locator('#check-form').isVisible()).toBe(true);

    // The last report of the broken name, drawn by the report view, without a new check.
    await broken.getByRole('button', { name: `Show the last report of ${lab.name('broken')}` }).click();
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('bad');
    expect(await verdict.locator('h2').textContent()).toBe(`${lab.name('broken')}: federation does not work`);
    await page.screenshot({ path: join(RESULTS_DIR, 'monitor-page.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('in Chinese (?lang=zh-CN): the watched servers in words of the page, asked for in that language', async () => {
    const origin = withTester.urls[0]!.replace(/\/$/, '');
    const { page, problems } = await openPage(origin);
    const asked: (string | null)[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/monitor') asked.push(url.searchParams.get('lang'));
    });
    await page.goto(`${origin}/?lang=zh-CN`);
    const broken = page.locator(`li.watched[data-server-name="${lab.name('broken')}"]`);
    // The first answer in another language loads the diagnosis on the server: allow it the time.
    await expect.poll(() => broken.count(), { timeout: 8000 }).toBe(1);
    expect(asked).toContain('zh-CN');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#monitor-title').isVisible()).toBe(true);
    expect(await page.locator('#monitor-title').textContent()).toMatch(/\p{Script=Han}/u);
    // Its state and its button in Chinese; the names as they are.
    expect(await broken.locator('.badge').textContent()).toMatch(/\p{Script=Han}/u);
    const button = broken.getByRole('button', { name: new RegExp(lab.name('broken').replaceAll('.', '\\.')) });
    expect(await button.textContent()).toMatch(/\p{Script=Han}/u);
    await button.click();
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('bad');
    expect(await verdict.locator('h2').textContent()).toContain('联邦');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('with the monitor alone (tester off), the page shows the watched servers and no check form', async () => {
    const { page, problems } = await openPage(monitorOnly.urls[0]!.replace(/\/$/, ''));
    await expect.poll(() => page.locator('li.watched').count()).toBe(2);
    expect(await page.locator('#check-form').isVisible()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });
});
