// Lab host servers on their own: routes, 405, fallback, canned-response features and failure handling (plain HTTP on loopback).

import { request, type IncomingHttpHeaders } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLabHostServer,
  echoHandler,
  MAX_LAB_REQUEST_BODY_BYTES,
  type LabHost,
  type LabHostBehaviour,
} from '../../src/testing/https-host.js';
import { claimRandomLoopbackAddress, listenOn, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { startLab } from '../../src/testing/lab.js';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** ms from sending the request to the response headers, and to the end of the body. */
  readonly headersAfterMs: number;
  readonly endAfterMs: number;
}

interface Started {
  readonly host: LabHost;
  close(): Promise<void>;
}

/** Starts one lab host in plain HTTP mode on a fresh loopback address. */
async function startHost(behaviour: Omit<LabHostBehaviour, 'key' | 'mode'>): Promise<Started> {
  const server = createLabHostServer({ key: 'unit', mode: 'http', ...behaviour });
  const address = claimRandomLoopbackAddress();
  const port = await listenOn(server.server, address, 0);
  const host = server.activate({ address, port });
  return {
    host,
    async close() {
      await server.close();
      releaseLoopbackAddresses([address]);
    },
  };
}

/** One HTTP request with a fresh connection; rejects on a connection error, with the bytes seen so far. */
function send(
  host: LabHost,
  options: { path?: string; method?: string; body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const started = performance.now();
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      {
        host: host.address,
        port: host.port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const headersAfterMs = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            headersAfterMs,
            endAfterMs: performance.now() - started,
          }),
        );
        res.on('error', (error) => reject(Object.assign(error, { received: Buffer.concat(chunks).length })));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function json(reply: Reply): unknown {
  return JSON.parse(reply.body.toString('utf8'));
}

describe('routes', () => {
  let started: Started;
  beforeAll(async () => {
    started = await startHost({
      routes: {
        'GET /only-get': { json: { route: 'only-get' } },
        '/any': (request) => ({ json: { route: 'any', method: request.method } }),
        'POST /form': (request) => ({ status: 201, body: `got ${request.body.toString('utf8')}` }),
        'put /lower': { body: 'lowercase method ok' },
      },
    });
  });
  afterAll(() => started.close());

  it('matches "METHOD /path" on the path without the query string', async () => {
    const reply = await send(started.host, { path: '/only-get?x=1&y=2' });
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({ route: 'only-get' });
    expect(reply.headers['content-type']).toBe('application/json');
  });

  it('answers another method on a routed path with 405 JSON and Allow', async () => {
    const reply = await send(started.host, { path: '/only-get', method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET');
    expect(json(reply)).toMatchObject({ allow: 'GET' });
  });

  it('serves HEAD from the GET route, without a body', async () => {
    const reply = await send(started.host, { path: '/only-get', method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(0);
  });

  it('matches "/path" for any method', async () => {
    expect(json(await send(started.host, { path: '/any', method: 'PATCH' }))).toEqual({
      route: 'any',
      method: 'PATCH',
    });
    expect(json(await send(started.host, { path: '/any?q' }))).toEqual({ route: 'any', method: 'GET' });
  });

  it('accepts lowercase methods in route keys', async () => {
    expect((await send(started.host, { path: '/lower', method: 'PUT' })).body.toString()).toBe('lowercase method ok');
  });

  it('gives function handlers the request body', async () => {
    const reply = await send(started.host, { path: '/form', method: 'POST', body: 'a=1' });
    expect(reply.status).toBe(201);
    expect(reply.body.toString()).toBe('got a=1');
  });

  it('falls back to the echo handler for unrouted paths', async () => {
    const reply = await send(started.host, {
      path: '/nowhere?q=1',
      method: 'POST',
      headers: { host: 'example.org:8448', 'x-test': 'yes' },
    });
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({
      server: 'unit',
      sni: null,
      host: 'example.org:8448',
      method: 'POST',
      path: '/nowhere?q=1',
      headers: expect.objectContaining({ host: 'example.org:8448', 'x-test': 'yes' }) as unknown,
      localAddress: started.host.address,
      localPort: started.host.port,
      remoteAddress: '127.0.0.1',
    });
  });

  it('refuses a route key that is not "METHOD /path"', () => {
    const attempt = (): unknown => createLabHostServer({ key: 'bad', routes: { 'GET nope': {} } });
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as unknown as Error);
    expect(() => createLabHostServer({ key: 'bad', routes: { '/a?x=1': {} } })).toThrow(/no query string/);
  });
});

describe('fallback and the request log', () => {
  it('uses a custom fallback and records every request', async () => {
    const started = await startHost({
      routes: { '/r': { body: 'routed' } },
      fallback: { status: 404, json: { errcode: 'M_NOT_FOUND' } },
    });
    try {
      const miss = await send(started.host, { path: '/missing' });
      expect(miss.status).toBe(404);
      expect(json(miss)).toEqual({ errcode: 'M_NOT_FOUND' });
      await send(started.host, { path: '/r?z', method: 'PUT', body: 'payload' });
      expect(started.host.requestCount).toBe(2);
      expect(started.host.connectionCount).toBe(2);
      const last = started.host.requests[1]!;
      expect(last).toMatchObject({
        method: 'PUT',
        path: '/r?z',
        sni: null,
        server: 'unit',
        localPort: started.host.port,
      });
      expect(last.body.toString()).toBe('payload');
      started.host.resetCounters();
      expect(started.host.requestCount).toBe(0);
      expect(started.host.requests).toEqual([]);
      expect(started.host.connectionCount).toBe(0);
      await send(started.host, { path: '/r' });
      expect(started.host.requestCount).toBe(1);
    } finally {
      await started.close();
    }
  });

  it('answers a body over 1 MiB with 413', async () => {
    const started = await startHost({});
    try {
      const reply = await send(started.host, {
        method: 'POST',
        body: Buffer.alloc(MAX_LAB_REQUEST_BODY_BYTES + 1, 0x61),
      });
      expect(reply.status).toBe(413);
      const ok = await send(started.host, { method: 'POST', body: Buffer.alloc(MAX_LAB_REQUEST_BODY_BYTES, 0x61) });
      expect(ok.status).toBe(200);
      expect(started.host.requests.at(-1)?.body.length).toBe(MAX_LAB_REQUEST_BODY_BYTES);
    } finally {
      await started.close();
    }
  });
});

describe('canned responses', () => {
  let started: Started;
  const padded = 10 * 1024 * 1024;
  beforeAll(async () => {
    started = await startHost({
      routes: {
        '/redirect': { redirect: 'https://elsewhere.example/x' },
        '/moved': { status: 301, redirect: '/new' },
        '/typed': { headers: { 'Content-Type': 'application/x-custom' }, json: { a: 1 } },
        '/headers': { status: 203, headers: { 'x-one': '1', 'x-many': ['a', 'b'] }, body: Buffer.from([1, 2, 3]) },
        '/delay': { delayMs: 150, body: 'late' },
        '/pad': { json: { 'm.server': 'x' }, padToBytes: padded },
        '/slow': { body: 'x'.repeat(60), bodyBytesPerSecond: 200 },
        '/reset': { body: 'y'.repeat(5000), resetAfterBytes: 1000 },
        '/reset0': { body: 'z'.repeat(100), resetAfterBytes: 0 },
        '/throws': () => {
          throw new Error('boom in handler');
        },
        '/rejects': () => Promise.reject(new Error('async boom')),
        '/bad-status': { status: 42 },
        '/echo': echoHandler,
      },
    });
  });
  afterAll(() => started.close());

  it('redirects with 302 by default, or the given status', async () => {
    const reply = await send(started.host, { path: '/redirect' });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://elsewhere.example/x');
    const moved = await send(started.host, { path: '/moved' });
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/new');
  });

  it('keeps a Content-Type the handler set, and sends status, headers and raw bodies', async () => {
    const typed = await send(started.host, { path: '/typed' });
    expect(typed.headers['content-type']).toBe('application/x-custom');
    expect(json(typed)).toEqual({ a: 1 });
    const raw = await send(started.host, { path: '/headers' });
    expect(raw.status).toBe(203);
    expect(raw.headers['x-one']).toBe('1');
    expect(raw.headers['x-many']).toBe('a, b');
    expect([...raw.body]).toEqual([1, 2, 3]);
  });

  it('waits delayMs before answering', async () => {
    const reply = await send(started.host, { path: '/delay' });
    expect(reply.body.toString()).toBe('late');
    expect(reply.headersAfterMs).toBeGreaterThanOrEqual(140);
  });

  it('pads the body with spaces to padToBytes', async () => {
    const reply = await send(started.host, { path: '/pad' });
    expect(reply.body.length).toBe(padded);
    expect(reply.headers['content-length']).toBe(String(padded));
    const text = reply.body.toString('latin1');
    expect(text.startsWith('{"m.server":"x"}  ')).toBe(true);
    expect(JSON.parse(text)).toEqual({ 'm.server': 'x' });
  });

  it('streams the body at bodyBytesPerSecond, headers first', async () => {
    const reply = await send(started.host, { path: '/slow' });
    expect(reply.body.toString()).toBe('x'.repeat(60));
    // 60 bytes at 200 B/s: the last slice leaves after about 250 ms; the headers come at once.
    expect(reply.endAfterMs).toBeGreaterThanOrEqual(200);
    expect(reply.headersAfterMs).toBeLessThan(reply.endAfterMs - 150);
  });

  it('stops a slow body when the client goes away, and keeps serving', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: started.host.address, port: started.host.port, path: '/slow', agent: false },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    expect((await send(started.host, { path: '/echo' })).status).toBe(200);
  });

  it('destroys the connection after resetAfterBytes of body', async () => {
    const failure = await send(started.host, { path: '/reset' }).then(
      () => null,
      (error: Error & { received?: number }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure?.message).toMatch(/aborted|socket hang up|ECONNRESET/i);
    expect(failure?.received).toBe(1000);
    const none = await send(started.host, { path: '/reset0' }).then(
      () => null,
      (error: Error & { received?: number }) => error,
    );
    expect(none).not.toBeNull();
    expect(none?.received ?? 0).toBe(0);
  });

  it('answers 500 JSON when a handler throws or rejects, and keeps serving', async () => {
    const thrown = await send(started.host, { path: '/throws' });
    expect(thrown.status).toBe(500);
    expect(json(thrown)).toEqual({ error: expect.stringContaining('boom in handler') as unknown });
    const rejected = await send(started.host, { path: '/rejects' });
    expect(rejected.status).toBe(500);
    expect(json(rejected)).toEqual({ error: expect.stringContaining('async boom') as unknown });
    const invalid = await send(started.host, { path: '/bad-status' });
    expect(invalid.status).toBe(500);
    expect((await send(started.host, { path: '/echo' })).status).toBe(200);
  });
});

describe('https mode without certificates', () => {
  it('refuses to activate', async () => {
    const server = createLabHostServer({ key: 'tls' });
    const error = ((): unknown => {
      try {
        server.activate({ address: '127.0.0.1', port: 1 });
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    await server.close();
  });
});

describe('plain-tcp mode', () => {
  it('accepts connections, never answers, and close() destroys them', async () => {
    const server = createLabHostServer({ key: 'silent', mode: 'plain-tcp' });
    const address = claimRandomLoopbackAddress();
    const port = await listenOn(server.server, address, 0);
    const host = server.activate({ address, port });
    expect(host.url).toBe(`https://${address}:${port}`);
    const outcome = new Promise<string>((resolve) => {
      const req = request({ host: address, port, path: '/', agent: false }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
      req.end();
    });
    const early = await Promise.race([
      outcome,
      new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 200)),
    ]);
    expect(early).toBe('pending');
    expect(host.connectionCount).toBe(1);
    expect(host.requestCount).toBe(0);
    await server.close();
    expect(await outcome).toMatch(/^error/);
    releaseLoopbackAddresses([address]);
  });
});

describe('acceptDelayMs', () => {
  // Long enough that the checks made early in the wait are far from its end (no flaky timing): what is
  // asserted is that nothing happens before the delay, which a timer cannot violate.
  const DELAY_MS = 300;
  const EARLY_MS = 50;

  it('counts the connection at once but reads nothing until the delay has passed (http)', async () => {
    const started = await startHost({ acceptDelayMs: DELAY_MS, routes: { 'POST /echo': (r) => ({ body: r.body }) } });
    try {
      const reply = send(started.host, { path: '/echo', method: 'POST', body: 'sent before the delay ended' });
      await new Promise((resolve) => setTimeout(resolve, EARLY_MS));
      // Accepted (TCP is up) but not yet served: the request is waiting in the socket.
      expect(started.host.connectionCount).toBe(1);
      expect(started.host.requestCount).toBe(0);
      const done = await reply;
      expect(done.status).toBe(200);
      // The bytes sent during the wait are all there, in order.
      expect(done.body.toString('utf8')).toBe('sent before the delay ended');
      // A lower bound only (2 ms for timer rounding): the answer cannot come before the delay is over.
      expect(done.headersAfterMs).toBeGreaterThanOrEqual(DELAY_MS - 2);
      expect(started.host.connectionCount).toBe(1);
      expect(started.host.requestCount).toBe(1);
    } finally {
      await started.close();
    }
  });

  it('delays the TLS handshake of an https lab host (startLab forwards the option)', async () => {
    const lab = await startLab({
      zones: { 'slow.test': { A: ['slow'] } },
      hosts: { slow: { acceptDelayMs: DELAY_MS } },
    });
    const host = lab.hosts.slow!;
    try {
      const t0 = performance.now();
      let secureAfterMs: number | null = null;
      let text = '';
      const socket = tlsConnect(
        { host: host.address, port: host.port, servername: 'slow.test', ca: [lab.caCertPem] },
        () => {
          secureAfterMs = performance.now() - t0;
          socket.end('GET / HTTP/1.1\r\nHost: slow.test\r\nConnection: close\r\n\r\n');
        },
      );
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((resolve, reject) => {
        socket.on('end', () => resolve());
        socket.on('error', reject);
      });
      await new Promise((resolve) => setTimeout(resolve, EARLY_MS));
      expect(secureAfterMs).toBeNull();
      expect(host.connectionCount).toBe(1);
      await ended;
      // The certificate verified (default ca check on), and the request went through after the wait.
      expect(text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      expect(secureAfterMs).toBeGreaterThanOrEqual(DELAY_MS - 2);
      expect(host.connectionCount).toBe(1);
      expect(host.requestCount).toBe(1);
    } finally {
      await lab.close();
    }
  });

  it('close() destroys connections still waiting out the delay, and they never reach the handler', async () => {
    let served = 0;
    const started = await startHost({ acceptDelayMs: 10_000, fallback: () => ((served += 1), {}) });
    const { host } = started;
    const socket = tcpConnect({ host: host.address, port: host.port });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(host.connectionCount).toBe(1);
    const t0 = performance.now();
    await started.close();
    await closed;
    // Far sooner than the 10 s delay: close() neither waited for it nor left the socket open.
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(served).toBe(0);
    expect(host.requestCount).toBe(0);
  });

  it('survives a client that goes away during the delay', async () => {
    const started = await startHost({ acceptDelayMs: 50 });
    try {
      const socket = tcpConnect({ host: started.host.address, port: started.host.port });
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The host still serves: the reset neither crashed it nor left it stuck.
      const reply = await send(started.host, { path: '/after' });
      expect(reply.status).toBe(200);
      expect(started.host.connectionCount).toBe(2);
      expect(started.host.requestCount).toBe(1);
    } finally {
      await started.close();
    }
  });

  it('refuses a negative, non-finite or huge delay', () => {
    for (const acceptDelayMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 60_001]) {
      const error = ((): unknown => {
        try {
          createLabHostServer({ key: 'bad', mode: 'http', acceptDelayMs });
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
