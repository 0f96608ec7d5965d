// The tester web page in headless Chromium: form, URL, verdict, steps, cards, hints, errors, escaping, phone layout.
//
// The page is tested on its own: a tiny static server serves web/ and a fake /api/check with hand-written native
// reports. The real server's wiring is tested with the server. Debian's `chromium` is driven by playwright-core.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  NativeAddressJson,
  NativeCheckJson,
  NativeClientJson,
  NativeSupportJson,
} from '../../src/report/native.js';
import type { TraceEntry } from '../../src/resolver/types.js';
import { RESULTS_DIR, ROOT, launchChromium, requireChromium } from './chromium.js';

const WEB_ROOT = join(ROOT, 'web');

// ---------------------------------------------------------------------------------------------------------------
// Canned native reports, written by hand from the shapes in src/report/native.ts.

function step(
  s: TraceEntry['step'],
  status: TraceEntry['status'],
  reason: string,
  extra: Partial<Record<keyof TraceEntry, unknown>> = {},
): TraceEntry {
  // Hand-written data (only what the page shows): cast, as the union's data types are the resolver's full ones.
  return { step: s, status, reason, startMs: 0, durationMs: 0, ...extra } as TraceEntry;
}

function healthyAddress(ip: string, family: 4 | 6, serverName: string, tlsName: string): NativeAddressJson {
  const address = family === 6 ? `[${ip}]:8448` : `${ip}:8448`;
  return {
    address,
    family,
    ok: true,
    target: {
      step: '3.3',
      ip,
      port: 8448,
      hostHeader: tlsName,
      tlsServerName: tlsName,
      sni: tlsName,
      addressOf: 'backend.good.example.org',
      srv: { name: `_matrix-fed._tcp.${tlsName}`, priority: 10, weight: 5, target: 'backend.good.example.org' },
    },
    connectionError: null,
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      trusted: true,
      trustError: null,
      nameMatches: true,
      nameError: null,
      expiresInDays: 61,
      chain: [
        {
          subjectCommonName: tlsName,
          issuerCommonName: 'Example Issuing CA',
          sha256Fingerprint: 'g7mvgdBhqaw0bNI2ysJqUf87ZlXcCGi0uEPzUL+KBvo',
          dnsNames: [tlsName, `*.${serverName}`],
          ipAddresses: [],
          validFrom: '2026-01-01T00:00:00.000Z',
          validTo: '2026-03-03T00:00:00.000Z',
          selfSigned: false,
        },
      ],
      durationMs: 40,
    },
    version: {
      ok: true,
      httpStatus: 200,
      name: 'Synapse',
      version: '1.140.0',
      contentType: 'application/json',
      error: null,
      durationMs: 20,
    },
    keys: {
      ok: true,
      httpStatus: 200,
      serverName,
      matchingServerName: true,
      validUntilTs: Date.parse('2026-02-01T00:00:00Z'),
      futureValidUntilTs: true,
      hasEd25519Key: true,
      allEd25519ChecksOk: true,
      ed25519Checks: { 'ed25519:a_key': { ValidEd25519: true, MatchingSignature: true } },
      verifyKeys: { 'ed25519:a_key': 'QSePIFwerz+izl9VN68jFiaY/+hQ+7YkrSiXcBcEZ24' },
      problems: [],
      raw: { server_name: serverName },
      durationMs: 22,
    },
  };
}

const CLIENT_OK: NativeClientJson = {
  status: 'SUCCESS',
  url: 'https://good.example.org/.well-known/matrix/client',
  httpStatus: 200,
  contentType: 'application/json',
  cacheControl: null,
  hasBom: false,
  htmlBody: false,
  cors: { get: [], preflight: { status: 204, missing: [], error: null } },
  homeserver: {
    baseUrl: 'https://matrix.good.example.org',
    url: 'https://matrix.good.example.org/_matrix/client/versions',
    httpStatus: 200,
    error: null,
    versions: ['v1.1', 'v1.12'],
  },
  identityServer: null,
  extras: [],
  problems: [],
  durationMs: 30,
};

const SUPPORT_OK: NativeSupportJson = {
  status: 'valid',
  url: 'https://good.example.org/.well-known/matrix/support',
  httpStatus: 200,
  contentType: 'application/json',
  cors: [],
  contacts: [{ index: 0, role: 'm.role.admin', matrixId: '@admin:good.example.org', emailAddress: null, valid: true }],
  supportPage: null,
  problems: [],
  durationMs: 25,
};

/** The page does not draw the probes (the hints are their conclusions): empty ones. */
const NO_PROBES: NativeCheckJson['probes'] = { srv: [], httpsPort: null, wellKnownElsewhere: [], wellKnownBody: null };

/** good.example.org delegates to matrix.good.example.org (step 3), whose SRV record (step 3.3) gives one address. */
function healthyReport(serverName = 'good.example.org'): NativeCheckJson {
  const delegated = `matrix.${serverName}`;
  const wk = `https://${serverName}/.well-known/matrix/server`;
  const afterSrv = `_matrix-fed._tcp.${delegated} has SRV records (step 3.3)`;
  const byWellKnown = 'the well-known delegation decided the target (step 3)';
  const address = healthyAddress('192.0.2.10', 4, serverName, delegated);
  return {
    schema: 'matrix-delegation/check/v1',
    serverName,
    checkedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 812,
    federationOk: true,
    reachable: true,
    summary: 'Federation works.',
    resolution: {
      serverName,
      wellKnown: { status: 'delegated', mServer: delegated, detail: `${wk} delegates to ${delegated}` },
      targets: [
        { step: '3.3', ip: '192.0.2.10', port: 8448, hostHeader: delegated, tlsServerName: delegated, sni: delegated },
      ],
      trace: [
        step('1', 'skipped', `${serverName} is not an IP literal`),
        step('2', 'skipped', 'no explicit port in the server name'),
        step('3', 'taken', `${wk} delegates to ${delegated}`, {
          query: wk,
          data: { httpStatus: 200 },
          durationMs: 180,
        }),
        step('3.1', 'skipped', `m.server host ${delegated} is not an IP literal`),
        step('3.2', 'skipped', `m.server ${delegated} has no port`),
        step(
          '3.3',
          'taken',
          `_matrix-fed._tcp.${delegated} has 1 SRV record(s): connect to their targets, Host and certificate ${delegated}`,
          {
            query: `_matrix-fed._tcp.${delegated}`,
            data: {
              records: [{ priority: 10, weight: 5, port: 8448, target: 'backend.good.example.org' }],
              cnameChain: [],
            },
          },
        ),
        step('3.3', 'taken', 'backend.good.example.org has address(es) 192.0.2.10', {
          query: 'backend.good.example.org',
          data: { addresses: ['192.0.2.10'] },
        }),
        step('3.4', 'skipped', afterSrv),
        step('3.5', 'skipped', afterSrv),
        step('4', 'skipped', byWellKnown),
        step('5', 'skipped', byWellKnown),
        step('6', 'skipped', byWellKnown),
      ],
      error: null,
    },
    wellKnownByAddress: [
      {
        ip: '192.0.2.1',
        family: 4,
        status: 'delegated',
        mServer: delegated,
        code: null,
        detail: `${wk} delegates to ${delegated}`,
      },
    ],
    addresses: [address],
    version: { name: 'Synapse', version: '1.140.0', error: null },
    client: CLIENT_OK,
    support: SUPPORT_OK,
    probes: NO_PROBES,
    hints: [],
  };
}

/** bad.example.org: no well-known, no SRV, two addresses on 8448; the IPv4 certificate expired, IPv6 refuses. */
function failingReport(): NativeCheckJson {
  const name = 'bad.example.org';
  const wk = `https://${name}/.well-known/matrix/server`;
  const v4 = healthyAddress('198.51.100.7', 4, name, name);
  const v4Tls = v4.tls!;
  const expired: NativeAddressJson = {
    ...v4,
    ok: false,
    target: {
      step: '6',
      ip: '198.51.100.7',
      port: 8448,
      hostHeader: name,
      tlsServerName: name,
      sni: name,
      addressOf: name,
      srv: null,
    },
    tls: {
      ...v4Tls,
      trusted: false,
      trustError: { code: 'TLS_EXPIRED', message: 'the certificate expired on 2025-12-20' },
      expiresInDays: -13,
      chain: [{ ...v4Tls.chain[0]!, validTo: '2025-12-20T00:00:00.000Z' }],
    },
  };
  const refused: NativeAddressJson = {
    address: '[2001:db8::7]:8448',
    family: 6,
    ok: false,
    target: {
      step: '6',
      ip: '2001:db8::7',
      port: 8448,
      hostHeader: name,
      tlsServerName: name,
      sni: name,
      addressOf: name,
      srv: null,
    },
    connectionError: { code: 'CONNECT_REFUSED', message: '[2001:db8::7]:8448 refused the connection' },
    tls: null,
    version: null,
    keys: null,
  };
  return {
    schema: 'matrix-delegation/check/v1',
    serverName: name,
    checkedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 1500,
    federationOk: false,
    reachable: false,
    summary: 'Federation does not work: all 2 addresses fail.',
    resolution: {
      serverName: name,
      wellKnown: { status: 'absent', mServer: null, detail: `${wk} answered 404` },
      targets: [
        { step: '6', ip: '198.51.100.7', port: 8448, hostHeader: name, tlsServerName: name, sni: name },
        { step: '6', ip: '2001:db8::7', port: 8448, hostHeader: name, tlsServerName: name, sni: name },
      ],
      trace: [
        step('1', 'skipped', `${name} is not an IP literal`),
        step('2', 'skipped', 'no explicit port in the server name'),
        step('3', 'failed', `no delegation: ${wk} answered 404; going on with step 4`, {
          query: wk,
          code: 'WELL_KNOWN_NOT_FOUND',
        }),
        step('4', 'empty', `no SRV records at _matrix-fed._tcp.${name} (NXDOMAIN)`, {
          query: `_matrix-fed._tcp.${name}`,
          code: 'DNS_NXDOMAIN',
        }),
        step('5', 'empty', `no SRV records at _matrix._tcp.${name} (NXDOMAIN)`, {
          query: `_matrix._tcp.${name}`,
          code: 'DNS_NXDOMAIN',
        }),
        step('6', 'taken', `no SRV records: connect to ${name} on port 8448`),
        step('6', 'taken', `${name} has address(es) 198.51.100.7, 2001:db8::7, 10.0.0.7`, {
          query: name,
          data: { addresses: ['198.51.100.7', '2001:db8::7', '10.0.0.7'] },
        }),
        step('policy', 'failed', '10.0.0.7 (step 6) not contacted: 10.0.0.0/8 is a private network', {
          code: 'ADDRESS_DENIED',
        }),
      ],
      error: null,
    },
    wellKnownByAddress: [],
    addresses: [expired, refused],
    version: { name: 'Synapse', version: '1.140.0', error: null },
    client: {
      ...CLIENT_OK,
      status: 'IGNORE',
      url: `https://${name}/.well-known/matrix/client`,
      httpStatus: 404,
      homeserver: null,
      problems: [
        { code: 'CLIENT_NOT_FOUND', severity: 'warning', message: 'no client well-known document (404)', cause: null },
      ],
    },
    support: {
      ...SUPPORT_OK,
      status: 'absent',
      url: `https://${name}/.well-known/matrix/support`,
      httpStatus: 404,
      contacts: [],
    },
    probes: NO_PROBES,
    hints: [
      {
        id: 'tls-certificate-expired',
        severity: 'error',
        area: 'federation',
        title: 'The certificate of 198.51.100.7:8448 has expired',
        detail: 'It expired on 2025-12-20; other servers refuse to connect.',
        fix: 'Renew the certificate (certbot renew) and reload the server that terminates TLS on port 8448.',
      },
      {
        id: 'ipv6-connection-refused',
        severity: 'warning',
        area: 'federation',
        title: 'Nothing listens on [2001:db8::7]:8448',
        detail: 'Servers with IPv6 try this address and fail.',
        fix: 'Listen on IPv6 too, or remove the AAAA record of bad.example.org.',
      },
    ],
  };
}

/** One of two addresses works: the tester's verdict is BAD, the native view says "works partly". */
function partialReport(): NativeCheckJson {
  const base = healthyReport('half.example.org');
  const failing = { ...failingReport().addresses[1]!, address: '192.0.2.11:8448', family: 4 as const };
  return {
    ...base,
    federationOk: false,
    reachable: true,
    summary: 'Federation works, but 1 of 2 addresses fail.',
    addresses: [...base.addresses, failing],
  };
}

const XSS_NAME = '<img src=x onerror="window.__pwned=1">';
const XSS_TITLE = '<script>window.__pwned=2</script>';

/** A report full of markup, as a hostile server could make the checker echo it. */
function hostileReport(): NativeCheckJson {
  const base = healthyReport('xss.example.org');
  return {
    ...base,
    serverName: XSS_NAME,
    summary: `Federation works. <b onmouseover="window.__pwned=3">bold</b>`,
    hints: [
      {
        id: 'x',
        severity: 'info',
        area: 'federation',
        title: XSS_TITLE,
        detail: '<a href="javascript:window.__pwned=4">click</a>',
        fix: '<iframe src="//evil.invalid"></iframe>',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The test server: web/ plus a fake /api/check.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let releaseSlow: (() => void) | null = null;
let slowGate: Promise<void> = Promise.resolve();
const apiCalls: string[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api/check') {
    const name = url.searchParams.get('server_name') ?? '';
    apiCalls.push(name);
    switch (name) {
      case 'good.example.org':
        return json(res, 200, healthyReport());
      case 'bad.example.org':
        return json(res, 200, failingReport());
      case 'half.example.org':
        return json(res, 200, partialReport());
      case 'xss.example.org':
        return json(res, 200, hostileReport());
      case 'slow.example.org':
        await slowGate;
        return json(res, 200, healthyReport('slow.example.org'));
      // Error bodies as src/server/http/respond.ts sends them: Matrix-style errcode and error.
      case 'limited.example.org':
        return json(
          res,
          429,
          {
            errcode: 'M_LIMIT_EXCEEDED',
            error: 'too many checks from your address; try again in 30 s',
            retry_after_ms: 30_000,
          },
          { 'retry-after': '30' },
        );
      case 'busy.example.org':
        return json(
          res,
          503,
          {
            errcode: 'M_LIMIT_EXCEEDED',
            error: 'the tester is running as many checks as it allows; try again in 120 s',
          },
          { 'retry-after': '120' },
        );
      case 'broken.example.org':
        return json(res, 500, { errcode: 'M_UNKNOWN', error: 'the check failed: the checker crashed' });
      case 'gone.example.org':
        req.socket.destroy();
        return;
      default:
        return json(res, 400, {
          errcode: 'M_INVALID_PARAM',
          error: `${JSON.stringify(name)} is not a valid server name: white space is not allowed`,
        });
    }
  }
  const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
  const path = resolve(WEB_ROOT, file);
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

// ---------------------------------------------------------------------------------------------------------------

/** The few browser globals the functions run in the page use (the project compiles without the DOM library). */
interface ElementLike {
  readonly id: string;
  readonly parentElement: ElementLike | null;
}
interface BrowserLike {
  readonly document: {
    readonly activeElement: ElementLike | null;
    readonly documentElement: ElementLike & { readonly scrollWidth: number; readonly clientWidth: number };
    querySelector(selector: string): ElementLike | null;
  };
  getComputedStyle(element: ElementLike): {
    color: string;
    backgroundColor: string;
    outlineStyle: string;
    outlineWidth: string;
    animationName: string;
  };
  readonly __pwned?: number;
}

let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;

/** A page that records script errors, CSP violations and requests leaving the test server. */
async function openPage(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; problems: string[] }> {
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
  page.on('response', (response) => {
    // API errors are expected in some tests; a missing page file never is.
    if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/api/'))
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

async function noHorizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as BrowserLike).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
}

/** WCAG contrast ratios of the text of some elements against the background they are drawn on. */
async function contrasts(page: Page, selectors: readonly string[]): Promise<Record<string, number>> {
  return page.evaluate((list) => {
    const { document, getComputedStyle } = globalThis as unknown as BrowserLike;
    const rgb = (value: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(value);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1]!
        .split(/[ ,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    const lum = ([r, g, b]: number[]) =>
      [r!, g!, b!]
        .map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4))
        .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i]!, 0);
    const background = (el: ElementLike | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return rgb(getComputedStyle(document.documentElement).backgroundColor);
    };
    const out: Record<string, number> = {};
    for (const selector of list) {
      const el = document.querySelector(selector);
      if (!el) {
        out[selector] = -1;
        continue;
      }
      const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
      out[selector] = Math.round(((a! + 0.05) / (b! + 0.05)) * 100) / 100;
    }
    return out;
  }, selectors);
}

describe('tester web page (headless Chromium)', () => {
  beforeAll(async () => {
    // A missing browser is a failure, never a silent skip.
    requireChromium();
    server = createServer((req, res) => {
      handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: origin, reducedMotion: 'reduce' });
    context.setDefaultTimeout(5000);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it('keyboard only: Tab to the input, type, Enter; shows the verdict, the steps, the address and the documents', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserLike).document.activeElement?.id)).toBe(
      'server-name',
    );
    expect(await page.getByRole('textbox', { name: 'Server name' }).getAttribute('placeholder')).toBe('example.com');
    await page.keyboard.type('good.example.org');
    await page.keyboard.press('Enter');

    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('ok');
    expect(await verdict.locator('h2').textContent()).toBe('good.example.org: federation works');
    expect(new URL(page.url()).search).toBe('?server_name=good.example.org');
    expect(await page.locator('#status').textContent()).toBe('good.example.org: federation works.');
    expect(await page.locator('#results').getAttribute('aria-busy')).toBe('false');

    // The path: steps 1, 2, 3, 3.1-3.5, 4, 5, 6 in order; 3 and 3.3 matched, the rest skipped.
    const steps = page.locator('ol.steps li.step');
    expect(
      await steps.evaluateAll((lis) =>
        lis.map((li) => `${li.getAttribute('data-step')}=${li.getAttribute('data-status')}`),
      ),
    ).toEqual([
      '1=skipped',
      '2=skipped',
      '3=taken',
      '3.1=skipped',
      '3.2=skipped',
      '3.3=taken',
      '3.4=skipped',
      '3.5=skipped',
      '4=skipped',
      '5=skipped',
      '6=skipped',
    ]);
    const srvStep = page.locator('li.step[data-step="3.3"]');
    expect(await srvStep.locator('.status').textContent()).toContain('matched');
    expect(await srvStep.textContent()).toContain('10 5 8448 backend.good.example.org');
    expect(await page.locator('li.step[data-step="4"] > .reason').textContent()).toBe(
      'the well-known delegation decided the target (step 3)',
    );

    const card = page.locator('li.card[data-address="192.0.2.10:8448"]');
    expect(await card.locator('h3').textContent()).toMatch(/IPv4.*works/);
    const cardText = await card.textContent();
    expect(cardText).toContain('Synapse 1.140.0');
    expect(cardText).toContain('matrix.good.example.org');
    expect(cardText).toContain('2026-03-03 (in 61 days)');
    expect(cardText).toContain('ed25519:a_key');
    expect(await page.locator('[data-document="client"]').textContent()).toContain('https://matrix.good.example.org');
    expect(await page.locator('[data-document="support"]').textContent()).toContain('@admin:good.example.org');
    expect(await page.locator('details.raw-json a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      [
        'api/check?server_name=good.example.org',
        'api/report?server_name=good.example.org',
        'api/federation-ok?server_name=good.example.org',
      ],
    );

    // Focus is visible on the button, the next stop after the input.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserLike).document.activeElement?.id)).toBe(
      'check-button',
    );
    const outline = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as BrowserLike;
      const style = getComputedStyle(document.activeElement!);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toBe('solid 3px');

    await page.screenshot({ path: join(RESULTS_DIR, 'web-desktop.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a shared URL runs the check on load: failing report with its steps, cards and hints; fits a 360 px phone', async () => {
    const { page, problems } = await openPage({ width: 360, height: 740 });
    await page.goto('/?server_name=bad.example.org');
    const verdict = page.locator('[data-verdict]');
    await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('bad');
    expect(await page.getByRole('textbox', { name: 'Server name' }).inputValue()).toBe('bad.example.org');
    expect(await verdict.locator('h2').textContent()).toBe('bad.example.org: federation does not work');

    expect(await page.locator('#status').textContent()).toBe(
      'bad.example.org: federation does not work. Federation does not work: all 2 addresses fail. 2 things to fix.',
    );
    // A 404 well-known is how a server says "no delegation": shown as not served, not as a failure.
    expect(await page.locator('li.step[data-step="3"]').getAttribute('data-status')).toBe('empty');
    expect(await page.locator('li.step[data-step="3"] > .step-head .status').textContent()).toContain('not served');
    expect(await page.locator('li.step[data-step="4"] > .step-head .status').textContent()).toContain('no records');
    expect(await page.locator('li.step[data-step="6"]').getAttribute('data-status')).toBe('taken');
    const policy = page.locator('li.step[data-step="policy"]');
    expect(await policy.getAttribute('data-status')).toBe('failed');
    expect(await policy.locator('.step-head').textContent()).toBe('Address policy✕failed');
    expect(await policy.textContent()).toContain('ADDRESS_DENIED');
    // No delegation: the resolver never reached 3.1-3.5; the page says why rather than "not reached".
    expect(await page.locator('li.step[data-step="3.3"]').getAttribute('data-status')).toBe('skipped');

    const v6 = page.locator('li.card[data-address="[2001:db8::7]:8448"]');
    expect(await v6.locator('h3').textContent()).toMatch(/IPv6.*fails/);
    expect(await v6.textContent()).toContain('refused the connection');
    const v4 = page.locator('li.card[data-address="198.51.100.7:8448"]');
    expect(await v4.textContent()).toContain('not trusted');
    expect(await v4.textContent()).toContain('expired 13 days ago');

    const hints = page.locator('li.hint');
    expect(await hints.count()).toBe(2);
    expect(await hints.nth(0).locator('h3').textContent()).toBe(
      '✕Error The certificate of 198.51.100.7:8448 has expired',
    );
    expect(await hints.nth(0).locator('.fix').textContent()).toBe(
      'How to fix: Renew the certificate (certbot renew) and reload the server that terminates TLS on port 8448.',
    );
    expect(await hints.nth(1).locator('.fix').textContent()).toBe(
      'How to fix: Listen on IPv6 too, or remove the AAAA record of bad.example.org.',
    );

    // The phone must not scroll sideways, even with the raw JSON open.
    await page.locator('details.raw-json summary').click();
    const { scrollWidth, clientWidth } = await noHorizontalOverflow(page);
    expect(clientWidth).toBe(360);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await page.screenshot({ path: join(RESULTS_DIR, 'web-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('announces the busy state, then the verdict; one address of two failing reads "works partly"', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    slowGate = new Promise((done) => (releaseSlow = done));
    await page.getByRole('textbox', { name: 'Server name' }).fill('slow.example.org');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Checking slow.example.org…');
    expect(await page.locator('#status').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#results').getAttribute('aria-busy')).toBe('true');
    expect(
      await page
        .locator('.spinner')
        .evaluate((el) => (globalThis as unknown as BrowserLike).getComputedStyle(el as ElementLike).animationName),
    ).toBe('none');
    releaseSlow?.();
    await expect.poll(() => page.locator('#results').getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('#status').textContent()).toBe('slow.example.org: federation works.');

    // A pasted user ID is reduced to its server name, in the input and in the URL.
    await page.getByRole('textbox', { name: 'Server name' }).fill('@alice:half.example.org');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('textbox', { name: 'Server name' }).inputValue()).toBe('half.example.org');
    expect(new URL(page.url()).search).toBe('?server_name=half.example.org');
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('partial');
    expect(await page.locator('[data-verdict] h2').textContent()).toBe('half.example.org: federation works partly');
    expect(await page.locator('section[aria-labelledby="addresses-title"] h2').textContent()).toBe(
      'Addresses (1 of 2 working)',
    );

    // Back goes to the previous check without asking the server again.
    const calls = apiCalls.length;
    await page.goBack();
    await expect.poll(() => page.locator('[data-verdict] h2').textContent()).toBe('slow.example.org: federation works');
    expect(await page.getByRole('textbox', { name: 'Server name' }).inputValue()).toBe('slow.example.org');
    expect(apiCalls.length).toBe(calls);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows API errors in plain words: 400 with its message, 429 and 503 with Retry-After, 500, network failure', async () => {
    const { page } = await openPage();
    await page.goto('/');
    const input = page.getByRole('textbox', { name: 'Server name' });
    const errorBox = page.locator('[data-error]');

    await input.fill('bad name');
    await input.press('Enter');
    await expect.poll(() => errorBox.locator('h2').textContent()).toBe('That is not a server name');
    expect(await errorBox.textContent()).toContain('"bad name" is not a valid server name: white space is not allowed');
    expect(await page.locator('#status').textContent()).toContain('white space is not allowed');

    await input.fill('limited.example.org');
    await input.press('Enter');
    await expect.poll(() => errorBox.locator('h2').textContent()).toBe('Too many checks');
    expect(await errorBox.textContent()).toContain('Try again in 30 seconds.');

    await input.fill('busy.example.org');
    await input.press('Enter');
    await expect.poll(() => errorBox.locator('h2').textContent()).toBe('The tester is busy');
    expect(await errorBox.textContent()).toContain('Try again in 2 minutes.');

    await input.fill('broken.example.org');
    await input.press('Enter');
    await expect.poll(() => errorBox.locator('h2').textContent()).toBe('The tester failed');
    expect(await errorBox.textContent()).toContain('HTTP 500: the check failed: the checker crashed');

    await input.fill('gone.example.org');
    await input.press('Enter');
    await expect.poll(() => errorBox.locator('h2').textContent()).toBe('Could not reach the tester');
    expect(await page.locator('#results').getAttribute('aria-busy')).toBe('false');
    await page.close();
  });

  it('renders markup in a report as text, under a strict CSP', async () => {
    const { page, problems } = await openPage();
    await page.goto('/?server_name=xss.example.org');
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('ok');
    expect(await page.locator('[data-verdict] h2').textContent()).toBe(`${XSS_NAME}: federation works`);
    expect(await page.locator('li.hint h3').textContent()).toContain(XSS_TITLE);
    expect(await page.locator('#results img, #results script, #results iframe, #results b, .hint a').count()).toBe(0);
    await page.locator('[data-verdict] h2').hover();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserLike).__pwned)).toBeUndefined();
    expect(await page.title()).toContain(XSS_NAME);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps WCAG AA contrast in light and dark colour schemes', async () => {
    const selectors = [
      'body',
      '.lede',
      '[data-verdict] h2',
      '.verdict-mark',
      'li.step[data-step="3"] > .step-head .status',
      'li.step[data-step="4"] > .step-head .status',
      'li.step[data-step="4"] > .reason',
      'li.step[data-step="6"] > .step-head .status',
      'li.step[data-step="policy"] .status',
      '.badge--bad',
      '.badge--warning',
      '.badge--ok',
      '.hint .fix',
      '.facts dt',
      'a',
      '#check-button',
    ];
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openPage();
      await page.emulateMedia({ colorScheme });
      await page.goto('/?server_name=bad.example.org');
      await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('bad');
      const ratios = await contrasts(page, selectors);
      for (const selector of selectors)
        expect({ selector, colorScheme, ratio: ratios[selector]! >= 4.5 }).toEqual({
          selector,
          colorScheme,
          ratio: true,
        });
      if (colorScheme === 'dark')
        await page.screenshot({ path: join(RESULTS_DIR, 'web-desktop-dark.png'), fullPage: true });
      await page.close();
    }
  });
});
