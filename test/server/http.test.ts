// The delegation server's HTTP surface: documents and their headers, CORS, 404/405, /health, /metrics, the web page.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { captureLogger, rawExchange, send, testConfig } from './http-helpers.js';

const FULL = `
server_name: example.com
delegation_target: synapse.example.com:443
public_baseurl: https://synapse.example.com
extra_well_known_client_content:
  io.element.e2ee:
    default: false
support:
  contacts:
    - role: m.role.admin
      email_address: admin@example.com
metrics:
  enabled: true
tester:
  enabled: true
`;

const EXACT_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};

let tempDir: string;
let webRoot: string;
let full: RunningServer;
let fullLog: ReturnType<typeof captureLogger>;
let base: string;

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'md-http-'));
  webRoot = join(tempDir, 'web');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>tester</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(webRoot, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(webRoot, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(webRoot, '.secret'), 'do not serve');
  fullLog = captureLogger('debug');
  full = await startServer(testConfig(FULL), { webRoot, logger: fullLog.logger });
  base = full.urls[0]!;
});

afterAll(async () => {
  await full?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('the well-known documents', () => {
  it('server: the m.server JSON, application/json, max-age=86400 by default', async () => {
    const r = await send(`${base}.well-known/matrix/server`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"m.server":"synapse.example.com:443"}');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.body)));
    expect(r.headers['cache-control']).toBe('max-age=86400');
  });

  it('client GET: the document, exact CORS headers and Synapse no-store by default', async () => {
    const r = await send(`${base}.well-known/matrix/client`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      'm.homeserver': { base_url: 'https://synapse.example.com/' },
      'io.element.e2ee': { default: false },
    });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    for (const [name, value] of Object.entries(EXACT_CORS)) expect(r.headers[name]).toBe(value);
  });

  it('client HEAD: the same headers, no body', async () => {
    const get = await send(`${base}.well-known/matrix/client`);
    const head = await send(`${base}.well-known/matrix/client`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    for (const [name, value] of Object.entries(EXACT_CORS)) expect(head.headers[name]).toBe(value);
  });

  it('client OPTIONS: a 204 preflight with exactly the CORS headers', async () => {
    const r = await send(`${base}.well-known/matrix/client`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.element.io', 'access-control-request-method': 'GET' },
    });
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    for (const [name, value] of Object.entries(EXACT_CORS)) expect(r.headers[name]).toBe(value);
    expect(r.headers['content-type']).toBeUndefined();
  });

  it('support: the contacts, max-age=3600 by default', async () => {
    const r = await send(`${base}.well-known/matrix/support`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ contacts: [{ email_address: 'admin@example.com', role: 'm.role.admin' }] });
    expect(r.headers['cache-control']).toBe('max-age=3600');
  });

  it('configured Cache-Control values are sent as configured', async () => {
    const server = await startServer(
      testConfig(`
server_name: example.com
serve_server_wellknown: true
public_baseurl: https://matrix.example.com/
support:
  support_page: https://example.com/help
cache:
  server_max_age_seconds: 600
  client_cache_control: 'public, max-age=60'
  support_max_age_seconds: 120
`),
      { webRoot, logger: captureLogger('error').logger },
    );
    try {
      const url = server.urls[0]!;
      const [s, c, p] = await Promise.all(
        ['server', 'client', 'support'].map((d) => send(`${url}.well-known/matrix/${d}`)),
      );
      expect(s?.body).toBe('{"m.server":"example.com:443"}');
      expect(s?.headers['cache-control']).toBe('max-age=600');
      expect(c?.headers['cache-control']).toBe('public, max-age=60');
      expect(p?.headers['cache-control']).toBe('max-age=120');
    } finally {
      await server.close();
    }
  });

  it('documents the config does not serve: 404 JSON, with CORS so browsers can read it', async () => {
    const server = await startServer(testConfig('server_name: example.com\n'), {
      webRoot,
      logger: captureLogger('error').logger,
    });
    try {
      for (const doc of ['server', 'client', 'support']) {
        const r = await send(`${server.urls[0]!}.well-known/matrix/${doc}`);
        expect(r.status).toBe(404);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['access-control-allow-origin']).toBe('*');
        expect(JSON.parse(r.body)).toMatchObject({ errcode: 'M_NOT_FOUND' });
      }
      // The tester is off by default: no API, no page.
      expect((await send(`${server.urls[0]!}api/report?server_name=example.com`)).status).toBe(404);
      expect((await send(server.urls[0]!)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('unknown paths and wrong methods', () => {
  it('an unknown path is 404 M_UNRECOGNIZED in JSON, whatever the method', async () => {
    for (const [path, method] of [
      ['nope', 'GET'],
      ['.well-known/matrix/server/', 'GET'],
      ['.well-known/matrix/SERVER', 'GET'],
      ['nope', 'POST'],
    ] as const) {
      const r = await send(`${base}${path}`, { method });
      expect(r.status, `${method} /${path}`).toBe(404);
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body)).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
    }
  });

  it('a wrong method on a known path is 405 M_UNRECOGNIZED with Allow', async () => {
    const post = await send(`${base}.well-known/matrix/server`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(post.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(post.body)).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
    const put = await send(`${base}health`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    // OPTIONS is a preflight only on the CORS endpoints.
    expect((await send(`${base}health`, { method: 'OPTIONS' })).status).toBe(405);
  });
});

describe('/health and /metrics', () => {
  it('/health answers 200 {"status":"ok"}, never cached', async () => {
    const r = await send(`${base}health`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('/metrics counts requests by route, method and status, with a latency histogram', async () => {
    const server = await startServer(testConfig(FULL), { webRoot, logger: captureLogger('error').logger });
    try {
      const url = server.urls[0]!;
      await send(`${url}.well-known/matrix/server`);
      await send(`${url}.well-known/matrix/server`);
      await send(`${url}.well-known/matrix/server`, { method: 'HEAD' });
      await send(`${url}no/such/path`);
      await send(`${url}health`, { method: 'DELETE' });
      const r = await send(`${url}metrics`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = r.body;
      expect(text).toContain(
        'matrix_delegation_http_requests_total{route="/.well-known/matrix/server",method="GET",status="200"} 2\n',
      );
      expect(text).toContain(
        'matrix_delegation_http_requests_total{route="/.well-known/matrix/server",method="HEAD",status="200"} 1\n',
      );
      expect(text).toContain('matrix_delegation_http_requests_total{route="(unknown)",method="GET",status="404"} 1\n');
      expect(text).toContain('matrix_delegation_http_requests_total{route="/health",method="DELETE",status="405"} 1\n');
      expect(text).toContain(
        'matrix_delegation_http_request_duration_seconds_count{route="/.well-known/matrix/server"} 3\n',
      );
      expect(text).toMatch(
        /matrix_delegation_http_request_duration_seconds_bucket\{le="\+Inf",route="\/\.well-known\/matrix\/server"\} 3\n/,
      );
      expect(text).toContain('matrix_delegation_checks_total');
      expect(text).toContain('matrix_delegation_checks_in_flight 0\n');
      // The unknown path's text never becomes a label value.
      expect(text).not.toContain('no/such/path');
    } finally {
      await server.close();
    }
  });

  it('/metrics is 404 unless metrics.enabled', async () => {
    const server = await startServer(testConfig('server_name: example.com\n'), {
      webRoot,
      logger: captureLogger('error').logger,
    });
    try {
      expect((await send(`${server.urls[0]!}metrics`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('the web page', () => {
  it('serves index.html at / and the assets with their content types', async () => {
    const index = await send(base);
    expect(index.status).toBe(200);
    expect(index.body).toBe('<!doctype html><title>tester</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const cases = [
      ['assets/app.js', 'text/javascript; charset=utf-8', 'console.log(1);'],
      ['assets/style.css', 'text/css; charset=utf-8', 'body{}'],
      ['assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ] as const;
    for (const [path, type, body] of cases) {
      const r = await send(`${base}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(r.body).toBe(body);
    }
    // The page's own query string (a server name to check) does not change what / serves.
    expect((await send(`${base}?server_name=example.com`)).body).toBe(index.body);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await send(`${base}assets/app.js`);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    const again = await send(`${base}assets/app.js`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect((await send(`${base}assets/app.js`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('never serves dot files or paths outside the web root', async () => {
    expect((await send(`${base}.secret`)).status).toBe(404);
    // Raw, so that no client normalises the dot segments away before the server sees them.
    const { hostname, port } = new URL(base);
    for (const path of ['/assets/../.secret', '/assets/%2e%2e/.secret', '/assets/..%2f.secret', '/../../etc/passwd']) {
      const raw = await rawExchange(
        hostname,
        Number(port),
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(raw, path).toMatch(/^HTTP\/1\.1 404 /);
      expect(raw).not.toContain('do not serve');
    }
    expect((await send(`${base}assets/missing.js`)).status).toBe(404);
  });

  it('serves a placeholder page when the web root has no index.html', async () => {
    const empty = join(tempDir, 'empty');
    mkdirSync(empty);
    const server = await startServer(testConfig(FULL), { webRoot: empty, logger: captureLogger('error').logger });
    try {
      const r = await send(server.urls[0]!);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('action="/api/report"');
    } finally {
      await server.close();
    }
  });
});

describe('request logs', () => {
  it('log tester calls without their query string', async () => {
    await send(`${base}api/report?server_name=secret-name_`);
    const line = fullLog.lines.find((l) => l.msg === 'request' && l.route === '/api/report');
    expect(line).toMatchObject({ level: 'debug', path: '/api/report', status: '400', method: 'GET' });
    expect(JSON.stringify(fullLog.lines)).not.toContain('secret-name_');
  });
});

describe('listeners', () => {
  it('listens on every bind address, IPv6 loopback included', async () => {
    const server = await startServer(
      testConfig('server_name: example.com\nserve_server_wellknown: true\n', [
        { port: 0, bindAddresses: ['127.0.0.1', '::1'], tls: false },
      ]),
      {
        webRoot,
        logger: captureLogger('error').logger,
      },
    );
    try {
      expect(server.urls).toHaveLength(2);
      const v6 = server.urls.find((u) => u.startsWith('http://[::1]:'));
      expect(v6).toBeDefined();
      const r = await send(`${v6!}.well-known/matrix/server`);
      expect(r.status).toBe(200);
      expect(r.body).toBe('{"m.server":"example.com:443"}');
    } finally {
      await server.close();
    }
  });

  it('a port already in use rejects the start and leaves nothing open', async () => {
    const port = Number(new URL(base).port);
    const attempt = startServer(
      testConfig('server_name: example.com\n', [{ port, bindAddresses: ['127.0.0.1'], tls: false }]),
      {
        webRoot,
        logger: captureLogger('error').logger,
      },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
