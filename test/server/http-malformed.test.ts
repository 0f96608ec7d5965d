// Bad requests never hurt the server: broken encodings, huge or slow headers, invalid methods get 4xx JSON.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { captureLogger, rawExchange, rawJsonBody, send, testConfig } from './http-helpers.js';

let server: RunningServer;
let host: string;
let port: number;

beforeAll(async () => {
  server = await startServer(
    testConfig(
      'server_name: example.com\nserve_server_wellknown: true\ntester:\n  enabled: true\nmetrics:\n  enabled: true\n',
    ),
    {
      logger: captureLogger('error').logger,
      // Short enough for a test, and Node checks the timeouts at most this often.
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    },
  );
  const url = new URL(server.urls[0]!);
  host = url.hostname;
  port = Number(url.port);
});

afterAll(async () => {
  await server?.close();
});

/** One raw request with Connection: close; returns the status and the whole response text. */
async function raw(requestLine: string, headers = 'Host: x\r\n'): Promise<{ status: number; text: string }> {
  const text = await rawExchange(host, port, `${requestLine}\r\n${headers}Connection: close\r\n\r\n`);
  return { status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1] ?? 0), text };
}

describe('malformed requests', () => {
  it('a path with broken percent-encoding or invalid UTF-8: 400 JSON', async () => {
    for (const path of ['/%zz', '/.well-known/matrix/%E0%A4%A', '/%C0%AF', '/a%00b']) {
      const r = await raw(`GET ${path} HTTP/1.1`);
      expect(r.status, path).toBe(400);
      expect(rawJsonBody(r.text)).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
    }
  });

  it('a query with broken percent-encoding on a tester endpoint: 400 M_INVALID_PARAM with CORS', async () => {
    const r = await raw('GET /api/report?server_name=%E0%A4%A HTTP/1.1');
    expect(r.status).toBe(400);
    expect(r.text.toLowerCase()).toContain('access-control-allow-origin: *');
    expect(rawJsonBody(r.text)).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  it('a request target longer than 4096 characters: 414', async () => {
    const r = await raw(`GET /${'a'.repeat(5000)} HTTP/1.1`);
    expect(r.status).toBe(414);
    expect(rawJsonBody(r.text)).toMatchObject({ errcode: 'M_TOO_LARGE' });
  });

  it('headers larger than 16 KiB: 431 JSON, connection closed', async () => {
    const r = await raw('GET /health HTTP/1.1', `Host: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n`);
    expect(r.status).toBe(431);
    expect(r.text.toLowerCase()).toContain('connection: close');
    expect(rawJsonBody(r.text)).toMatchObject({ errcode: 'M_TOO_LARGE' });
  });

  it('an invalid method or a garbage request line: 400 JSON', async () => {
    for (const line of ['BR@W / HTTP/1.1', 'GET / HTTP/9.9', '\u0001\u0002garbage']) {
      const r = await raw(line);
      expect(r.status, JSON.stringify(line)).toBe(400);
      expect(rawJsonBody(r.text)).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
    }
  });

  it('a target that is not a path (asterisk form, authority form): 400', async () => {
    expect((await raw('OPTIONS * HTTP/1.1')).status).toBe(400);
    // An absolute-form target is accepted: its path is used.
    const absolute = await raw('GET http://example.com/.well-known/matrix/server HTTP/1.1');
    expect(absolute.status).toBe(200);
    expect(rawJsonBody(absolute.text)).toEqual({ 'm.server': 'example.com:443' });
  });

  it('a client that never finishes its headers gets 408 and is disconnected', async () => {
    const started = Date.now();
    const text = await rawExchange(host, port, 'GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('CONNECT (a proxy tunnel request) gets a 405 JSON answer instead of a dropped connection', async () => {
    const r = await raw('CONNECT example.org:443 HTTP/1.1', 'Host: example.org:443\r\n');
    expect(r.status).toBe(405);
    expect(rawJsonBody(r.text)).toEqual({
      errcode: 'M_UNRECOGNIZED',
      error: 'CONNECT is not supported: this server is not a proxy',
    });
  });

  it('a request without Host is still answered', async () => {
    const r = await raw('GET /health HTTP/1.1', '');
    expect(r.status).toBe(200);
  });

  it('after all of that the server still serves, and the bad requests were counted', async () => {
    const r = await send(`${server.urls[0]!}.well-known/matrix/server`);
    expect(r.status).toBe(200);
    const metrics = (await send(`${server.urls[0]!}metrics`)).body;
    expect(metrics).toMatch(
      /matrix_delegation_http_requests_total\{route="\(malformed\)",method="other",status="431"\} 1\n/,
    );
    expect(metrics).toMatch(
      /matrix_delegation_http_requests_total\{route="\(malformed\)",method="GET",status="414"\} 1\n/,
    );
    expect(metrics).toMatch(
      /matrix_delegation_http_requests_total\{route="\(malformed\)",method="other",status="405"\} 1\n/,
    );
  });
});
