// The well-known cache driven by a fake clock through each rule of ground-truth §2 (Synapse's numbers).

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import { createCachedWellKnown } from '../../src/well-known/cached.js';
import { parseServerNameOrThrow } from '../../src/server-name/index.js';
import type { WellKnownAnswer } from '../../src/well-known/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2026, 10, 27, 12, 0, 0);

const delegated = (
  mServer: string,
  cacheControl: string | null = null,
  expires: string | null = null,
): WellKnownAnswer => ({
  status: 'delegated',
  mServer,
  serverName: parseServerNameOrThrow(mServer),
  code: null,
  detail: `https://example.com/.well-known/matrix/server delegates to ${mServer}`,
  data: { httpStatus: 200 },
  headers: { cacheControl, expires },
});
const notFound: WellKnownAnswer = {
  status: 'absent',
  mServer: null,
  serverName: null,
  code: 'WELL_KNOWN_NOT_FOUND',
  detail: 'https://example.com/.well-known/matrix/server answered 404: there is no well-known document',
  data: { httpStatus: 404 },
};
const serverError: WellKnownAnswer = {
  status: 'error',
  mServer: null,
  serverName: null,
  code: 'WELL_KNOWN_HTTP_STATUS',
  detail: 'answered 503, a server error (possibly temporary)',
  data: { httpStatus: 503 },
};
const refused: WellKnownAnswer = {
  status: 'error',
  mServer: null,
  serverName: null,
  code: 'CONNECT_REFUSED',
  detail: 'connection refused',
};

/** A fake clock, a fetch that answers from a script (the last answer repeats), and the cached port over them. */
function setup(random: () => number = () => 0.5) {
  let t = START;
  const script: WellKnownAnswer[] = [];
  const fetched: number[] = [];
  const sleeps: number[] = [];
  let gate: Promise<void> | null = null;
  const fetch = async (): Promise<WellKnownAnswer> => {
    fetched.push(t);
    if (gate) await gate;
    const next = script.length > 1 ? script.shift()! : script[0];
    if (next === undefined) throw new Error('script is empty');
    return next;
  };
  const wellKnown = createCachedWellKnown(fetch, {
    store: createMemoryStore({ now: () => t }),
    now: () => t,
    random,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  });
  const signal = new AbortController().signal;
  return {
    script,
    fetched,
    sleeps,
    get: (host = 'example.com') => wellKnown(host, { signal }),
    getWith: (s: AbortSignal) => wellKnown('example.com', { signal: s }),
    advance: (ms: number) => {
      t += ms;
    },
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

describe('successes', () => {
  it('are kept for 24 h (jitter at 1.0 here) and fetched again once 80 % have passed', async () => {
    const c = setup();
    c.script.push(delegated('matrix.example.com:443'));
    const first = await c.get();
    expect(first).toMatchObject({
      status: 'delegated',
      mServer: 'matrix.example.com:443',
      cache: { hit: false, ageMs: 0 },
    });
    const refreshAfter = 19 * HOUR + 12 * MIN; // 80 % of 24 h
    c.advance(refreshAfter - 1);
    const hit = await c.get();
    expect(hit).toMatchObject({
      status: 'delegated',
      mServer: 'matrix.example.com:443',
      cache: { hit: true, ageMs: refreshAfter - 1 },
    });
    expect(hit.detail).toBe(first.detail);
    expect(c.fetched).toHaveLength(1);
    c.advance(1);
    expect((await c.get()).cache?.hit).toBe(false);
    expect(c.fetched).toHaveLength(2);
  });

  it('the default lifetime carries +/-10 % jitter', async () => {
    const low = setup(() => 0);
    low.script.push(delegated('m.example.com'));
    await low.get();
    low.advance(0.8 * 0.9 * 24 * HOUR);
    await low.get();
    expect(low.fetched).toHaveLength(2);
  });

  it('follow max-age (over Expires), clamped to at least 5 minutes', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=3600', new Date(START + 10 * HOUR).toUTCString()));
    await c.get();
    c.advance(48 * MIN - 1);
    await c.get();
    expect(c.fetched).toHaveLength(1);
    c.advance(1);
    await c.get();
    expect(c.fetched).toHaveLength(2);

    const short = setup();
    short.script.push(delegated('m.example.com', 'no-store'));
    await short.get();
    short.advance(4 * MIN - 1); // 80 % of the 5 min floor
    await short.get();
    expect(short.fetched).toHaveLength(1);
    short.advance(1);
    await short.get();
    expect(short.fetched).toHaveLength(2);
  });

  it('an invalid Expires counts as expired: the 5 minute floor', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', null, 'not a date'));
    const first = await c.get();
    expect(first.cache?.validUntil).toBe(START + 4 * MIN);
  });

  it('are capped at 48 h', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=31536000'));
    expect((await c.get()).cache?.validUntil).toBe(START + 0.8 * 48 * HOUR);
  });
});

describe('failures', () => {
  it('are kept 1 h for a domain that never had a valid answer, and not retried', async () => {
    const c = setup();
    c.script.push(serverError);
    expect(await c.get()).toMatchObject({ status: 'error', cache: { hit: false } });
    expect(c.fetched).toHaveLength(1);
    expect(c.sleeps).toEqual([]);
    c.advance(HOUR - 1);
    expect(await c.get()).toMatchObject({
      status: 'error',
      code: 'WELL_KNOWN_HTTP_STATUS',
      cache: { hit: true, ageMs: HOUR - 1 },
    });
    c.advance(1);
    await c.get();
    expect(c.fetched).toHaveLength(2);
  });

  it('are kept 2 min, then 4, 8... for a domain that recently had a valid answer', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=600'), notFound);
    await c.get();
    c.advance(10 * MIN); // the success has expired; it was valid until 10 min + 2 h
    expect(await c.get()).toMatchObject({ status: 'absent', cache: { hit: false } });
    const lifetimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = c.fetched.length;
      let waited = 0;
      while (c.fetched.length === before) {
        c.advance(MIN);
        waited += MIN;
        await c.get();
      }
      lifetimes.push(waited / MIN);
    }
    // The failures in a row: 2 min, then 4, 8, 16 (the first one is the failure fetched above).
    expect(lifetimes).toEqual([2, 4, 8, 16]);
  });

  it('a permanent failure (404) is not retried, even for a domain that had a valid answer', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=600'), notFound);
    await c.get();
    c.advance(10 * MIN);
    await c.get();
    expect(c.fetched).toHaveLength(2);
    expect(c.sleeps).toEqual([]);
  });
});

describe('temporary failures of a domain with a valid answer', () => {
  it('are retried 3 times, 500 ms apart; during a refresh the previous answer is kept, marked stale', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=3600'), refused);
    await c.get();
    c.advance(50 * MIN); // past the 80 % refresh point, before the end
    const kept = await c.get();
    expect(kept).toMatchObject({
      status: 'delegated',
      mServer: 'm.example.com',
      cache: { hit: true, stale: true, ageMs: 50 * MIN + 1000 },
    });
    expect(kept.data?.['refreshFailed']).toBe('connection refused');
    expect(c.fetched).toHaveLength(1 + 3);
    expect(c.sleeps).toEqual([500, 500]);
    // Tried again after the 2 minute failure period (the answer's lifetime ends later than that).
    expect(kept.cache?.validUntil).toBe(START + 50 * MIN + 1000 + 2 * MIN);
    c.advance(2 * MIN - 1);
    const again = await c.get();
    expect(again.cache?.hit).toBe(true);
    expect(again.cache?.stale).toBeUndefined();
    expect(c.fetched).toHaveLength(4);
    c.advance(1);
    await c.get();
    expect(c.fetched).toHaveLength(7); // the next refresh, again 3 attempts
  });

  it('a retry that succeeds ends the failure', async () => {
    const c = setup();
    c.script.push(
      delegated('old.example.com', 'max-age=3600'),
      serverError,
      delegated('new.example.com', 'max-age=3600'),
    );
    await c.get();
    c.advance(50 * MIN);
    expect(await c.get()).toMatchObject({ mServer: 'new.example.com', cache: { hit: false } });
    expect(c.sleeps).toEqual([500]);
  });

  it('after the answer has expired there is nothing to keep: the failure is the answer', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=3600'), refused);
    await c.get();
    c.advance(HOUR);
    expect(await c.get()).toMatchObject({ status: 'error', code: 'CONNECT_REFUSED', cache: { hit: false } });
    expect(c.fetched).toHaveLength(4); // still retried: the domain had a valid answer within lifetime + 2 h
  });

  it('a permanent failure during a refresh replaces the answer', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com', 'max-age=3600'), notFound);
    await c.get();
    c.advance(50 * MIN);
    expect(await c.get()).toMatchObject({ status: 'absent', cache: { hit: false } });
  });
});

describe('sharing', () => {
  it('concurrent lookups of one host share one fetch; another host gets its own', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com'));
    const release = c.hold();
    const pending = [c.get(), c.get(), c.get(), c.get('other.example')];
    await Promise.resolve();
    release();
    const answers = await Promise.all(pending);
    expect(c.fetched).toHaveLength(2);
    expect(answers.map((a) => a.mServer)).toEqual(['m.example.com', 'm.example.com', 'm.example.com', 'm.example.com']);
  });

  it('a caller that gives up is rejected at once; the others still get the answer', async () => {
    const c = setup();
    c.script.push(delegated('m.example.com'));
    const release = c.hold();
    const impatient = new AbortController();
    const a = c.getWith(impatient.signal);
    const b = c.get();
    impatient.abort(new Error('gave up'));
    await expect(a).rejects.toThrow('gave up');
    release();
    expect((await b).mServer).toBe('m.example.com');
    expect(c.fetched).toHaveLength(1);
  });
});
