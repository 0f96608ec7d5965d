// The tester page shows the client settings in the client-discovery section, with their hints (issue 21): a real
// report of a lab server name, drawn by the page in headless Chromium (Debian's chromium, driven by playwright-core).

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { toNativeJson, type NativeCheckJson } from '../../src/report/native.js';
import { startLab, type Lab, type LabResponse } from '../../src/testing/index.js';
import { NGINX_404, homeserverRoutes, hostOf, labAllowNetworks } from '../diagnosis/homeserver.js';
import { RESULTS_DIR, ROOT, launchChromium, requireChromium } from './chromium.js';

const WEB_ROOT = join(ROOT, 'web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
/** The server's CSP: the page runs no inline script, so a key drawn as HTML could not run either way. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const FULL_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};
/** A key a hostile document could carry: drawn as text, never as markup. */
const MARKUP_KEY = 'org.example.<img src=x onerror="window.__pwned=1">';

let lab: Lab;
let report: NativeCheckJson;
let server: Server;
let browser: Browser;

function url(host: string, path = ''): string {
  return `https://${host}${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}${path}`;
}

function service(host: string, route: string): LabResponse {
  switch (`${host} ${route}`) {
    case 'jitsi.page.test GET /external_api.js':
      return { body: 'var JitsiMeetExternalAPI;', headers: { 'content-type': 'text/javascript' } };
    case 'rtc.page.test OPTIONS /livekit/jwt/get_token':
    case 'rtc.page.test OPTIONS /livekit/jwt/sfu/get':
      return { status: 405 };
    case 'tiles.page.test GET /style.json':
      return { json: { version: 8, sources: {}, layers: [] }, headers: { 'access-control-allow-origin': '*' } };
    default:
      return NGINX_404;
  }
}

beforeAll(async () => {
  requireChromium();
  lab = await startLab({
    zones: {
      'page.test': { A: ['web'] },
      'hs.page.test': { A: ['hs'] },
      'jitsi.page.test': { A: ['svc'] },
      'rtc.page.test': { A: ['svc'] },
      'tiles.page.test': { A: ['svc'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': () => ({ json: { 'm.server': `hs.page.test:${lab.ports.https}` } }),
          'GET /.well-known/matrix/client': () => ({
            json: {
              'm.homeserver': { base_url: url('hs.page.test') },
              'io.element.e2ee': { default: true },
              'im.vector.riot.jitsi': { preferredDomain: 'jitsi.page.test' },
              'org.matrix.msc4143.rtc_foci': [
                { type: 'livekit', livekit_service_url: url('rtc.page.test', '/livekit/jwt') },
              ],
              'm.tile_server': { map_style_url: url('tiles.page.test', '/style.json') },
              [MARKUP_KEY]: true,
            },
            headers: FULL_CORS,
          }),
          'OPTIONS /.well-known/matrix/client': { status: 204, headers: FULL_CORS },
        },
        fallback: NGINX_404,
      },
      hs: {
        routes: {
          ...homeserverRoutes(),
          'GET /_matrix/client/unstable/org.matrix.msc4143/rtc/transports': {
            status: 401,
            json: { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' },
          },
        },
        fallback: { status: 404, json: { errcode: 'M_UNRECOGNIZED' } },
      },
      svc: { fallback: (req) => service(hostOf(req), `${req.method} ${req.path}`) },
    },
  });
  report = toNativeJson(
    await checkServer('page.test', {
      ...lab.clientOptions(),
      allowNetworks: labAllowNetworks(lab),
      operationTimeoutMs: 3000,
    }),
  );

  server = createServer((req, res) => {
    const requested = new URL(req.url ?? '/', 'http://page.invalid');
    if (requested.pathname === '/api/check') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(report));
      return;
    }
    const path = resolve(WEB_ROOT, requested.pathname === '/' ? 'index.html' : requested.pathname.slice(1));
    if (!path.startsWith(WEB_ROOT + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(path).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
        });
        res.end(body);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  await lab?.close();
});

describe('the client settings on the tester page (headless Chromium)', () => {
  it('shows each setting in the client-discovery section, with its state and the hints about it', async () => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await browser.newPage({ baseURL: origin });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/?server_name=page.test');

    const settings = page.locator('[data-document="client"] [data-client-settings]');
    await settings.waitFor();
    const row = (name: string) => settings.locator(`[data-setting="${name}"]`);
    expect(await row('e2ee').textContent()).toMatch(
      /Encryption by default.*OK.*io\.element\.e2ee.*new rooms encrypted/,
    );
    expect(await row('jitsi').textContent()).toMatch(/OK.*im\.vector\.riot\.jitsi.*jitsi\.page\.test.*answered 200/);
    expect(await row('tileServer').textContent()).toMatch(/OK.*m\.tile_server.*style\.json.*answered 200/);
    // The LiveKit service refuses the preflights: the row says so, and the homeserver's offer is named.
    const rtc = await row('rtc').textContent();
    expect(rtc).toMatch(/problem.*org\.matrix\.msc4143\.rtc_foci/);
    expect(rtc).toContain(url('rtc.page.test', '/livekit/jwt'));
    expect(rtc).toContain('answered 405');
    expect(rtc).toContain('offers its call servers');
    // The hint about it, in the section itself, with its fix.
    const hint = settings.locator('[data-hint-id="client-rtc-livekit-cors"]');
    expect(await hint.textContent()).toMatch(/does not allow calls from web clients.*How to fix: .*get_token/);
    // An unknown key is information, drawn as text.
    expect(await row('other').textContent()).toContain(MARKUP_KEY);
    expect(await settings.locator('[data-hint-id="client-setting-unknown"]').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    // The settings hints are also in the list of what to fix.
    expect(await page.locator('ul.hints [data-hint-id="client-rtc-livekit-cors"]').count()).toBe(1);

    await page.screenshot({ path: join(RESULTS_DIR, 'web-client-settings.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
