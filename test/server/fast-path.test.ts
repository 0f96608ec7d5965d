// The request listener answers the well-known documents asked as clients ask them without parsing or routing:
// the answer must be byte for byte the general path's, and everything else must still take the general path.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { captureLogger, send, testConfig } from './http-helpers.js';
import type { TestResponse } from './http-helpers.js';

/** Headers that differ between any two responses (the time) or describe the connection, not the answer. */
function answerOf(r: TestResponse): { status: number; body: string; headers: Record<string, unknown> } {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...headers } = r.headers;
  return { status: r.status, body: r.body, headers };
}

describe('well-known fast path', () => {
  let server: RunningServer;
  let base: string;
  const { logger, lines } = captureLogger('debug');

  beforeAll(async () => {
    // Server and client documents configured, support not: its fast path must fall through to the 404.
    server = await startServer(
      testConfig(
        'server_name: example.com\ndelegation_target: matrix.example.com:443\npublic_baseurl: https://matrix.example.com\nmetrics:\n  enabled: true\n',
      ),
      { logger },
    );
    base = server.urls[0]!.replace(/\/$/, '');
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each(['/.well-known/matrix/server', '/.well-known/matrix/client', '/.well-known/matrix/support'])(
    'GET %s answers exactly what the general path answers (reached with a query string)',
    async (path) => {
      const fast = await send(`${base}${path}`);
      const general = await send(`${base}${path}?via=general`);
      expect(answerOf(fast)).toEqual(answerOf(general));
    },
  );

  it('serves the configured documents and a CORS 404 for the one not configured', async () => {
    const serverDoc = await send(`${base}/.well-known/matrix/server`);
    expect(serverDoc.status).toBe(200);
    expect(JSON.parse(serverDoc.body)).toEqual({ 'm.server': 'matrix.example.com:443' });
    expect(serverDoc.headers['access-control-allow-origin']).toBe('*');
    const support = await send(`${base}/.well-known/matrix/support`);
    expect(support.status).toBe(404);
    expect(JSON.parse(support.body)).toMatchObject({ errcode: 'M_NOT_FOUND' });
    expect(support.headers['access-control-allow-origin']).toBe('*');
  });

  it('leaves HEAD, OPTIONS and other methods to the general path', async () => {
    const head = await send(`${base}/.well-known/matrix/server`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength('{"m.server":"matrix.example.com:443"}')));
    expect((await send(`${base}/.well-known/matrix/server`, { method: 'OPTIONS' })).status).toBe(204);
    const post = await send(`${base}/.well-known/matrix/server`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD, OPTIONS');
  });

  it('counts and logs fast answers like any other request', async () => {
    const before = await server.metrics.registry.getSingleMetricAsString('matrix_delegation_http_requests_total');
    const count = (text: string) =>
      Number(/route="\/\.well-known\/matrix\/client",method="GET",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
    lines.length = 0;
    await send(`${base}/.well-known/matrix/client`);
    const after = await server.metrics.registry.getSingleMetricAsString('matrix_delegation_http_requests_total');
    expect(count(after)).toBe(count(before) + 1);
    expect(
      await server.metrics.registry.getSingleMetricAsString('matrix_delegation_http_request_duration_seconds'),
    ).toMatch(/_count\{route="\/\.well-known\/matrix\/client"\} \d+/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        method: 'GET',
        path: '/.well-known/matrix/client',
        route: '/.well-known/matrix/client',
        status: '200',
      }),
    );
  });
});
