// The connection pool's close: a dial still under way (a server that stalls its handshake) ends with the pool.

import { describe, expect, it } from 'vitest';
import type { TlsConnectResult } from '../../src/net/connect.js';
import { createConnectionPool, type PoolRoute } from '../../src/well-known/connection-pool.js';

/** A dialer that never connects: it answers only when its signal aborts, as connectTls does. */
function stalledDial(seen: AbortSignal[]): PoolRoute['dial'] {
  return (signal) =>
    new Promise<TlsConnectResult>((resolve) => {
      if (signal !== undefined) seen.push(signal);
      signal?.addEventListener('abort', () =>
        resolve({ ok: false, code: 'TIMEOUT', message: 'the connection attempt was aborted', attempts: [] }),
      );
    });
}

const route = (dial: PoolRoute['dial']): PoolRoute => ({
  address: '192.0.2.1',
  port: 8448,
  servername: 'example.org',
  trust: null,
  dial,
});

describe('createConnectionPool: close', () => {
  it("aborts the dials under way, with or without the task's signal", async () => {
    for (const task of [undefined, new AbortController()]) {
      const seen: AbortSignal[] = [];
      const pool = createConnectionPool(task === undefined ? {} : { signal: task.signal });
      const request = pool.request(route(stalledDial(seen)), { method: 'GET', path: '/', headers: {}, waitMs: 10 });
      request.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((s) => s.aborted)).toEqual([false]);
      await pool.close();
      expect(seen.map((s) => s.aborted)).toEqual([true]);
      await expect(request).rejects.toThrow();
    }
  });

  it("aborts them when the task's signal aborts", async () => {
    const seen: AbortSignal[] = [];
    const task = new AbortController();
    const pool = createConnectionPool({ signal: task.signal });
    const request = pool.request(route(stalledDial(seen)), { method: 'GET', path: '/', headers: {}, waitMs: 10 });
    request.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    task.abort(new Error('the check is over'));
    expect(seen.map((s) => s.aborted)).toEqual([true]);
    await pool.close();
  });
});
