// The tester page end to end: the real server (startServer, web/ as shipped, tester on) checks lab servers for Chromium.
//
// Nothing is canned here: the page calls the server's /api/check, the server runs the real checker against the
// federation lab (DNS, TLS, HTTP on loopback), and the page draws what came back. The healthy name is set up as
// a careful admin would: a second matrix-delegation serves its well-known documents over HTTPS and delegates to
// a lab homeserver on port 443 (step 3.2), which answers the federation and client endpoints; both have
// 90-day certificates, so that no "expires soon" warning appears (the lab's own leaves live one day).

import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { captureLogger, testConfig } from '../server/http-helpers.js';
import { createLongLivedCa } from '../support/long-lived-ca.js';
import { RESULTS_DIR, launchChromium, requireChromium } from './chromium.js';

const GOOD = 'good.example.org';
const EXPIRED = 'expired.example.org';
const HOMESERVER = `matrix.${GOOD}`;
/** What the page must be served under (web/README.md), and what static-files.ts sends. */
const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const DAY_MS = 86_400_000;
const seed = generateEd25519Seed();

// ---------------------------------------------------------------------------------------------------------------

/** Federation routes of a homeserver whose keys are signed for `serverName`. */
function federationRoutes(serverName: string): NonNullable<LabHostSpec['routes']> {
  return {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': () => ({
      json: buildSignedKeyResponse({ serverName, keyId: 'ed25519:a_key', seed, validUntilTs: Date.now() + 7 * DAY_MS }),
    }),
  };
}

let lab: Lab;
let wellKnownServer: RunningServer;
let wellKnownAddress: string;
let pageServer: RunningServer;
let origin: string;
let browser: Browser;
let context: BrowserContext;

/** A page that records script errors, CSP violations and requests leaving the server. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations are reported on the console as errors.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) problems.push(`external request: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

describe('the tester page served by startServer, checking the lab (headless Chromium)', () => {
  beforeAll(async () => {
    // A missing browser is a failure, never a silent skip.
    requireChromium();
    const longLived = await createLongLivedCa();
    const [homeserverCert, wellKnownCert] = await Promise.all([longLived.issue([HOMESERVER]), longLived.issue([GOOD])]);
    wellKnownAddress = claimRandomLoopbackAddress();

    lab = await startLab({
      zones: {
        [GOOD]: { A: [wellKnownAddress] },
        [HOMESERVER]: { A: ['homeserver'] },
        [EXPIRED]: { A: ['expired'] },
      },
      hosts: {
        homeserver: {
          port: 'https',
          certificates: [homeserverCert],
          routes: {
            ...federationRoutes(GOOD),
            'GET /_matrix/client/versions': {
              json: { versions: ['v1.1', 'v1.11'] },
              headers: { 'access-control-allow-origin': '*' },
            },
          },
        },
        expired: { port: 'federation', certificates: [{ kind: 'expired' }], routes: federationRoutes(EXPIRED) },
      },
    });
    const https = lab.ports.https;
    const port = https === 443 ? '' : `:${https}`;

    // good.example.org's web server: matrix-delegation with the documents a careful admin would publish.
    const base = testConfig(
      [
        `server_name: ${GOOD}`,
        `delegation_target: ${HOMESERVER}:${https}`,
        `public_baseurl: https://${HOMESERVER}${port}`,
        'support:',
        '  contacts:',
        `    - {role: m.role.admin, matrix_id: '@admin:${GOOD}'}`,
      ].join('\n'),
      [{ port: https, bindAddresses: [wellKnownAddress], tls: true }],
    );
    wellKnownServer = await startServer(
      {
        ...base,
        tls: {
          certificatePath: '/test/cert.pem',
          privateKeyPath: '/test/key.pem',
          certificatePem: wellKnownCert.fullChainPem,
          privateKeyPem: wellKnownCert.keyPem,
        },
      },
      { logger: captureLogger('error').logger },
    );

    // The server under test: web/ as shipped (the default webRoot), the tester on, checking the lab.
    pageServer = await startServer(
      testConfig('server_name: tester.example.org\ntester:\n  enabled: true\n  rate_limit_per_minute: 0\n'),
      {
        logger: captureLogger('error').logger,
        checkOptions: { ...lab.clientOptions(), ca: [lab.caCertPem, longLived.certPem], operationTimeoutMs: 3000 },
      },
    );
    origin = pageServer.urls[0]!.replace(/\/$/, '');

    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: origin,
      reducedMotion: 'reduce',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(8000);
  });

  afterAll(async () => {
    await browser?.close();
    await pageServer?.close({ timeoutMs: 0 });
    await wellKnownServer?.close({ timeoutMs: 0 });
    if (wellKnownAddress) releaseLoopbackAddresses([wellKnownAddress]);
    await lab?.close();
  });

  it('serves the page files with a Content-Security-Policy, and no README', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/assets/style.css', '/assets/favicon.svg']) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy'), path).toBe(EXPECTED_CSP);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    // web/README.md is for the page's editors, not part of the site.
    expect((await fetch(`${origin}/README.md`)).status).toBe(404);
  });

  it(`/?server_name=${GOOD}: the verdict "works", no hint, the delegation path; under the CSP without a violation`, async () => {
    const { page, problems } = await openPage();
    const document = await page.goto(`/?server_name=${GOOD}`);
    expect(document?.headers()['content-security-policy']).toBe(EXPECTED_CSP);

    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 8000 }).toBe('ok');
    expect(await verdict.locator('h2').textContent()).toBe(`${GOOD}: federation works`);
    expect(await page.locator('#status').textContent()).toBe(`${GOOD}: federation works.`);
    expect(await page.locator('li.hint').count()).toBe(0);

    // Step 3 (the well-known of matrix-delegation) then 3.2 (host:port) decided the target.
    expect(await page.locator('li.step[data-step="3"]').getAttribute('data-status')).toBe('taken');
    expect(await page.locator('li.step[data-step="3.2"]').getAttribute('data-status')).toBe('taken');
    const address = `${lab.address('homeserver')}:${lab.ports.https}`;
    const card = page.locator(`li.card[data-address="${address}"]`);
    expect(await card.locator('h3').textContent()).toMatch(/works/);
    expect(await card.textContent()).toContain('Synapse 1.140.0');
    expect(await page.locator('[data-document="client"]').textContent()).toContain(`https://${HOMESERVER}`);
    expect(await page.locator('[data-document="support"]').textContent()).toContain(`@admin:${GOOD}`);

    await page.screenshot({ path: join(RESULTS_DIR, 'serve-page.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it(`/?server_name=${EXPIRED}&lang=zh-CN: the page in Chinese over the real server, the same hints as in English`, async () => {
    const { page, problems } = await openPage();
    await page.goto(`/?server_name=${EXPIRED}`);
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 8000 }).toBe('bad');
    const ids = (): Promise<(string | null)[]> =>
      page.locator('ul.hints > li.hint').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-hint-id')));
    const english = await ids();
    expect(english).toContain('tls-expired');

    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/check') asked.push(request.url());
    });
    await page.goto(`/?server_name=${EXPIRED}&lang=zh-CN`);
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 8000 }).toBe('bad');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(asked.map((url) => new URL(url).searchParams.get('lang'))).toEqual(['zh-CN']);
    expect(await verdict.locator('h2').textContent()).toContain('联邦');
    expect(await ids()).toEqual(english);
    // The server re-told the hints in Chinese (issue 17: ?lang= on /api/check).
    for (const title of await page.locator('ul.hints > li.hint h3').allTextContents())
      expect(title).toMatch(/\p{Script=Han}/u);
    expect(problems).toEqual([]);
    await page.close();
  });

  it(`/?server_name=${EXPIRED}: the verdict "does not work" with the expired certificate as a hint`, async () => {
    const { page, problems } = await openPage();
    await page.goto(`/?server_name=${EXPIRED}`);
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 8000 }).toBe('bad');
    expect(await verdict.locator('h2').textContent()).toBe(`${EXPIRED}: federation does not work`);
    const expiredHint = page.locator('li.hint[data-hint-id="tls-expired"]');
    expect(await expiredHint.count()).toBe(1);
    expect(await expiredHint.locator('h3').textContent()).toContain('The certificate has expired');
    const card = page.locator(`li.card[data-address="${lab.address('expired')}:${lab.ports.federation}"]`);
    expect(await card.textContent()).toContain('not trusted');
    expect(problems).toEqual([]);
    await page.close();
  });
});
