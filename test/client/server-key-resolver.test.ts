// The server key resolver through the lab: delegated origins, server_name and self-signature checks, valid_until_ts (and
// its 7-day cap), rotation to old_verify_keys, notaries (honest, lying, relaying forgeries), a key server that goes down,
// coalesced fetches, the refetch interval, and the Redis store shared by two resolvers.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/create-store.js';
import { createFederationClient, type FederationClient } from '../../src/client/federation-client.js';
import {
  createServerKeyResolver,
  type ServerKeyResolver,
  type ServerKeyResolverOptions,
} from '../../src/client/server-key-resolver.js';
import { encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import { ed25519PublicKeyFromSeed, generateEd25519Seed, signJson } from '../../src/keys/ed25519.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';
import { startRedisServer, type TestRedisServer } from '../cache/redis-server.js';

const DAY = 24 * 60 * 60 * 1000;
/** The spec's cap: "the lesser of this field and 7 days into the future" (keys.yaml, valid_until_ts). */
const SEVEN_DAYS = 7 * DAY;

interface TestKey {
  readonly keyId: string;
  readonly seed: Uint8Array;
  readonly publicKey: string;
}

function newKey(version: string): TestKey {
  const seed = generateEd25519Seed();
  return { keyId: `ed25519:${version}`, seed, publicKey: encodeUnpaddedBase64(ed25519PublicKeyFromSeed(seed)) };
}

/** A key document signed by `signer` (the spec's /_matrix/key/v2/server shape). */
function keyDocument(
  serverName: string,
  signer: TestKey,
  validUntilTs: number,
  old: readonly { key: TestKey; expiredTs: number }[] = [],
): Record<string, unknown> {
  const document = {
    server_name: serverName,
    valid_until_ts: validUntilTs,
    verify_keys: { [signer.keyId]: { key: signer.publicKey } },
    old_verify_keys: Object.fromEntries(
      old.map((o) => [o.key.keyId, { key: o.key.publicKey, expired_ts: o.expiredTs }]),
    ),
  };
  return signJson(document, serverName, signer.keyId, signer.seed);
}

/** What each server name's key endpoint answers (by the Host it is asked under, port removed). */
const serverAnswers = new Map<string, () => LabResponse>();
/** What each notary answers to /_matrix/key/v2/query/{serverName}. */
const notaryAnswers = new Map<string, (serverName: string, query: URLSearchParams) => LabResponse>();
const keyRequests: { host: string; path: string }[] = [];

function route(request: LabRequest): LabResponse {
  const host = (request.host ?? '').replace(/:\d+$/, '');
  const [path = '', query = ''] = request.path.split('?');
  keyRequests.push({ host, path });
  if (path === '/_matrix/key/v2/server')
    return serverAnswers.get(host)?.() ?? { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  if (path.startsWith('/_matrix/key/v2/query/')) {
    const answer = notaryAnswers.get(host);
    return answer
      ? answer(decodeURIComponent(path.slice('/_matrix/key/v2/query/'.length)), new URLSearchParams(query))
      : { status: 404 };
  }
  return { status: 404 };
}

const NAMES = [
  'plain.example',
  'wrongname.example',
  'badsig.example',
  'expired.example',
  'longlived.example',
  'rotating.example',
  'down.example',
  'flaky.example',
  'busy.example',
  'notary.example',
  'liar.example',
  'forger.example',
  'relayed.example',
  'keyhost.example',
  'shared.example',
];

let lab: Lab;
let client: FederationClient;
let skew = 0;
const now = (): number => Date.now() + skew;
const resolvers: ServerKeyResolver[] = [];

function resolver(options: Partial<ServerKeyResolverOptions> = {}): ServerKeyResolver {
  const created = createServerKeyResolver({ client, now, ...options });
  resolvers.push(created);
  return created;
}

function requestsTo(host: string, path = '/_matrix/key/v2/server'): number {
  return keyRequests.filter((r) => r.host === host && r.path === path).length;
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      ...Object.fromEntries(NAMES.map((name) => [name, { A: ['keys'] }])),
      'delegating.example': { A: ['web'] },
    },
    hosts: {
      keys: { port: 'federation', fallback: route },
      web: {
        port: 'https',
        routes: {
          'GET /.well-known/matrix/server': () => ({ json: { 'm.server': `keyhost.example:${lab.ports.federation}` } }),
        },
      },
    },
  });
  client = createFederationClient({ ...lab.clientOptions(), connectTimeoutMs: 3000, requestTimeoutMs: 3000 });
});

afterEach(() => {
  skew = 0;
});

afterAll(async () => {
  await Promise.all(resolvers.map((r) => r.close()));
  await client?.close();
  await lab?.close();
});

describe("fetching a server's own keys", () => {
  it('follows delegation: the keys of delegating.example come from the host its well-known names, and are then cached', async () => {
    const key = newKey('a_1');
    serverAnswers.set('keyhost.example', () => ({ json: keyDocument('delegating.example', key, Date.now() + DAY) }));
    const keys = resolver();
    const found = await keys.getVerifyKey('delegating.example', key.keyId);
    expect(found).toMatchObject({
      ok: true,
      serverName: 'delegating.example',
      keyId: key.keyId,
      source: 'server',
      old: false,
    });
    expect(found.ok && encodeUnpaddedBase64(found.publicKey)).toBe(key.publicKey);
    expect(lab.hosts['web']?.requests.map((r) => r.path)).toContain('/.well-known/matrix/server');
    expect(requestsTo('keyhost.example')).toBe(1);
    // The second look-up is answered from the cache.
    expect(await keys.getVerifyKey('delegating.example', key.keyId)).toMatchObject({ ok: true, source: 'cache' });
    expect(requestsTo('keyhost.example')).toBe(1);
  });

  it("a document whose server_name is another name (the delegated host's, say) is refused", async () => {
    const key = newKey('a_1');
    // Signed under both names, so that only the server_name check can refuse it.
    serverAnswers.set('wrongname.example', () => ({
      json: signJson(keyDocument('keyhost.example', key, Date.now() + DAY), 'wrongname.example', key.keyId, key.seed),
    }));
    expect(await resolver().getVerifyKey('wrongname.example', key.keyId)).toMatchObject({
      ok: false,
      code: 'KEY_UNAVAILABLE',
    });
  });

  it('a document not signed by its own verify key is refused', async () => {
    const key = newKey('a_1');
    const other = newKey('a_1');
    // Signed with another seed under the same key id: the signature does not match the key it publishes.
    serverAnswers.set('badsig.example', () => ({
      json: signJson(
        {
          server_name: 'badsig.example',
          valid_until_ts: Date.now() + DAY,
          verify_keys: { [key.keyId]: { key: key.publicKey } },
        },
        'badsig.example',
        key.keyId,
        other.seed,
      ),
    }));
    const result = await resolver().getVerifyKey('badsig.example', key.keyId);
    expect(result).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    expect(!result.ok && result.message).toMatch(/signature/);
  });

  it('valid_until_ts in the past: the key is expired for a request now, but verifies an event signed before it', async () => {
    const key = newKey('a_1');
    const validUntil = Date.now() - 60_000;
    serverAnswers.set('expired.example', () => ({ json: keyDocument('expired.example', key, validUntil) }));
    const keys = resolver();
    expect(await keys.getVerifyKey('expired.example', key.keyId)).toMatchObject({ ok: false, code: 'KEY_EXPIRED' });
    expect(
      await keys.getVerifyKey('expired.example', key.keyId, { purpose: 'event', validAtTs: validUntil - 1000 }),
    ).toMatchObject({ ok: true, validUntilTs: validUntil });
  });

  it('valid_until_ts a month away is capped at 7 days after the fetch', async () => {
    const key = newKey('a_1');
    serverAnswers.set('longlived.example', () => ({
      json: keyDocument('longlived.example', key, Date.now() + 30 * DAY),
    }));
    const before = Date.now();
    const found = await resolver().getVerifyKey('longlived.example', key.keyId);
    const after = Date.now();
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.validUntilTs).toBeGreaterThanOrEqual(before + SEVEN_DAYS);
    expect(found.validUntilTs).toBeLessThanOrEqual(after + SEVEN_DAYS);
    // Eight days later the cached key no longer verifies a request (and the server is asked again).
    skew = 8 * DAY;
    serverAnswers.set('longlived.example', () => ({ status: 503 }));
    expect(await resolvers.at(-1)?.getVerifyKey('longlived.example', key.keyId)).toMatchObject({ ok: false });
  });

  it('a rotated key: the new one is fetched when first seen, the old one (in old_verify_keys) verifies events only', async () => {
    const first = newKey('a_1');
    const second = newKey('b_2');
    serverAnswers.set('rotating.example', () => ({ json: keyDocument('rotating.example', first, Date.now() + DAY) }));
    const keys = resolver({ minRefetchIntervalMs: 1000 });
    expect(await keys.getVerifyKey('rotating.example', first.keyId)).toMatchObject({ ok: true, source: 'server' });
    const expiredTs = Date.now() - 1000;
    serverAnswers.set('rotating.example', () => ({
      json: keyDocument('rotating.example', second, Date.now() + DAY, [{ key: first, expiredTs }]),
    }));
    // Within the refetch interval an unknown key is not fetched for.
    expect(await keys.getVerifyKey('rotating.example', second.keyId)).toMatchObject({
      ok: false,
      code: 'KEY_NOT_FOUND',
    });
    expect(requestsTo('rotating.example')).toBe(1);
    skew = 2000;
    expect(await keys.getVerifyKey('rotating.example', second.keyId)).toMatchObject({ ok: true, source: 'server' });
    expect(requestsTo('rotating.example')).toBe(2);
    // The old key: refused for requests (old keys sign events only), accepted for an event signed before expired_ts.
    expect(await keys.getVerifyKey('rotating.example', first.keyId)).toMatchObject({ ok: false, code: 'KEY_EXPIRED' });
    expect(
      await keys.getVerifyKey('rotating.example', first.keyId, { purpose: 'event', validAtTs: expiredTs - 5000 }),
    ).toMatchObject({ ok: true, old: true, validUntilTs: expiredTs });
    expect(
      await keys.getVerifyKey('rotating.example', first.keyId, { purpose: 'event', validAtTs: expiredTs + 5000 }),
    ).toMatchObject({ ok: false, code: 'KEY_EXPIRED' });
    // An old key whose expired_ts is still ahead: events signed now verify, requests still do not.
    const third = newKey('c_3');
    serverAnswers.set('rotating.example', () => ({
      json: keyDocument('rotating.example', third, Date.now() + DAY, [{ key: second, expiredTs: Date.now() + DAY }]),
    }));
    skew = 4000;
    expect(await keys.getVerifyKey('rotating.example', third.keyId)).toMatchObject({ ok: true, source: 'server' });
    expect(await keys.getVerifyKey('rotating.example', second.keyId)).toMatchObject({ ok: false, code: 'KEY_EXPIRED' });
    expect(await keys.getVerifyKey('rotating.example', second.keyId, { purpose: 'event' })).toMatchObject({
      ok: true,
      old: true,
    });
  });

  it('a key server that goes down: the cached key is used until it expires, then the look-up fails (and that failure is remembered)', async () => {
    const key = newKey('a_1');
    const validUntil = Date.now() + 60 * 60 * 1000;
    serverAnswers.set('down.example', () => ({ json: keyDocument('down.example', key, validUntil) }));
    const keys = resolver({ minRefetchIntervalMs: 60_000 });
    expect(await keys.getVerifyKey('down.example', key.keyId)).toMatchObject({ ok: true, source: 'server' });
    serverAnswers.set('down.example', () => ({ status: 503, json: { errcode: 'M_UNKNOWN' } }));
    skew = 30 * 60 * 1000;
    expect(await keys.getVerifyKey('down.example', key.keyId)).toMatchObject({ ok: true, source: 'cache' });
    expect(requestsTo('down.example')).toBe(1);
    // A key id it has never published: the server is asked, fails; what it could not say stays unknown, but the failed
    // fetch does not drop the key already held.
    expect(await keys.getVerifyKey('down.example', 'ed25519:new')).toMatchObject({
      ok: false,
      code: 'KEY_UNAVAILABLE',
    });
    expect(requestsTo('down.example')).toBe(2);
    expect(await keys.getVerifyKey('down.example', key.keyId)).toMatchObject({ ok: true, source: 'cache' });
    skew = 61 * 60 * 1000;
    const failed = await keys.getVerifyKey('down.example', key.keyId);
    expect(failed).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    expect(!failed.ok && failed.message).toMatch(/503/);
    expect(requestsTo('down.example')).toBe(3);
    expect(await keys.getVerifyKey('down.example', key.keyId)).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    expect(requestsTo('down.example')).toBe(3);
  });

  it('a server that fails, then answers: a newer key it publishes is found once the refetch interval has passed', async () => {
    const key = newKey('a_1');
    serverAnswers.set('flaky.example', () => ({ status: 500 }));
    const keys = resolver({ minRefetchIntervalMs: 5000 });
    expect(await keys.getVerifyKey('flaky.example', key.keyId)).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    serverAnswers.set('flaky.example', () => ({ json: keyDocument('flaky.example', key, Date.now() + DAY) }));
    expect(await keys.getVerifyKey('flaky.example', key.keyId)).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    expect(requestsTo('flaky.example')).toBe(1);
    skew = 6000;
    expect(await keys.getVerifyKey('flaky.example', key.keyId)).toMatchObject({ ok: true, source: 'server' });
  });

  it('concurrent look-ups of one server share one fetch', async () => {
    const key = newKey('a_1');
    serverAnswers.set('busy.example', () => ({
      delayMs: 200,
      json: keyDocument('busy.example', key, Date.now() + DAY),
    }));
    const keys = resolver();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        keys.getVerifyKey('busy.example', i % 2 === 0 ? key.keyId : 'ed25519:other'),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.code === 'KEY_NOT_FOUND')).toHaveLength(10);
    expect(requestsTo('busy.example')).toBe(1);
  });
});

describe('notaries (/_matrix/key/v2/query)', () => {
  const origin = newKey('o_1');
  const notary = newKey('n_1');
  const notaryOtherKey = newKey('n_1');
  let minimums: string[] = [];

  beforeAll(() => {
    // relayed.example's own key server is down; the notaries hold its document.
    serverAnswers.set('relayed.example', () => ({ status: 502 }));
    serverAnswers.set('notary.example', () => ({ json: keyDocument('notary.example', notary, Date.now() + DAY) }));
    serverAnswers.set('liar.example', () => ({ json: keyDocument('liar.example', notary, Date.now() + DAY) }));
    serverAnswers.set('forger.example', () => ({ json: keyDocument('forger.example', notary, Date.now() + DAY) }));
    const relayed = () => keyDocument('relayed.example', origin, Date.now() + DAY);
    notaryAnswers.set('notary.example', (serverName, query) => {
      minimums.push(query.get('minimum_valid_until_ts') ?? '');
      return {
        json: {
          server_keys:
            serverName === 'relayed.example' ? [signJson(relayed(), 'notary.example', notary.keyId, notary.seed)] : [],
        },
      };
    });
    // The liar signs with a key other than the one it publishes.
    notaryAnswers.set('liar.example', () => ({
      json: { server_keys: [signJson(relayed(), 'liar.example', notary.keyId, notaryOtherKey.seed)] },
    }));
    // The forger signs properly (with the key it publishes), but what it relays is not what the origin signed: the
    // origin's document with valid_until_ts moved a year ahead, so the origin's signature no longer matches it.
    notaryAnswers.set('forger.example', () => {
      const tampered = { ...relayed(), valid_until_ts: Date.now() + 365 * DAY };
      return { json: { server_keys: [signJson(tampered, 'forger.example', notary.keyId, notary.seed)] } };
    });
  });

  it('the origin down: the key comes from the notary, signed by the origin and by the notary (whose key it publishes)', async () => {
    minimums = [];
    const keys = resolver();
    const validAtTs = now();
    const found = await keys.getVerifyKey('relayed.example', origin.keyId, { validAtTs });
    expect(found).toMatchObject({ ok: true, source: 'notary' });
    expect(found.ok && encodeUnpaddedBase64(found.publicKey)).toBe(origin.publicKey);
    expect(minimums).toEqual([String(validAtTs)]);
    expect(requestsTo('notary.example')).toBeGreaterThanOrEqual(1);
  });

  it("with the notary's keys configured, they are used instead of fetching them", async () => {
    const before = requestsTo('notary.example');
    const keys = resolver({
      notaryServers: [{ serverName: 'notary.example', verifyKeys: { [notary.keyId]: notary.publicKey } }],
    });
    expect(await keys.getVerifyKey('relayed.example', origin.keyId)).toMatchObject({ ok: true, source: 'notary' });
    expect(requestsTo('notary.example')).toBe(before);
    // Configured with a key the notary does not sign with: its answers are refused.
    const wrong = resolver({
      notaryServers: [{ serverName: 'notary.example', verifyKeys: { [notary.keyId]: notaryOtherKey.publicKey } }],
    });
    expect(await wrong.getVerifyKey('relayed.example', origin.keyId)).toMatchObject({
      ok: false,
      code: 'KEY_UNAVAILABLE',
    });
  });

  it('a notary that lies (its signature does not verify) is not believed; the next notary is asked', async () => {
    const alone = resolver({ notaryServers: ['liar.example'] });
    const refused = await alone.getVerifyKey('relayed.example', origin.keyId);
    expect(refused).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
    expect(!refused.ok && refused.message).toMatch(/liar\.example/);
    const both = resolver({ notaryServers: ['liar.example', 'notary.example'] });
    expect(await both.getVerifyKey('relayed.example', origin.keyId)).toMatchObject({ ok: true, source: 'notary' });
  });

  it('a notary relaying a document the origin did not sign is not believed', async () => {
    expect(
      await resolver({ notaryServers: ['forger.example'] }).getVerifyKey('relayed.example', origin.keyId),
    ).toMatchObject({ ok: false, code: 'KEY_UNAVAILABLE' });
  });

  it("the origin's own answer is used first; notaries are not asked when it has the key", async () => {
    const before = requestsTo('notary.example', '/_matrix/key/v2/query/plain.example');
    const key = newKey('p_1');
    serverAnswers.set('plain.example', () => ({ json: keyDocument('plain.example', key, Date.now() + DAY) }));
    expect(
      await resolver({ notaryServers: ['notary.example'] }).getVerifyKey('plain.example', key.keyId),
    ).toMatchObject({ ok: true, source: 'server' });
    expect(requestsTo('notary.example', '/_matrix/key/v2/query/plain.example')).toBe(before);
  });

  // Registered after the resolvers above, so that they use the notaries of their own options.
  function resolver(options: Partial<ServerKeyResolverOptions> = {}): ServerKeyResolver {
    const created = createServerKeyResolver({ client, now, notaryServers: ['notary.example'], ...options });
    resolvers.push(created);
    return created;
  }
});

describe('the cache store', () => {
  let redis: TestRedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.kill();
  });

  it('two resolvers sharing a Redis store: what one fetched, the other finds without fetching', async () => {
    const key = newKey('s_1');
    serverAnswers.set('shared.example', () => ({ json: keyDocument('shared.example', key, Date.now() + DAY) }));
    const storeA = createCacheStore({ kind: 'redis', url: redis.url, keyPrefix: 'keys-test:' });
    const storeB = createCacheStore({ kind: 'redis', url: redis.url, keyPrefix: 'keys-test:' });
    try {
      expect(await resolver({ store: storeA }).getVerifyKey('shared.example', key.keyId)).toMatchObject({
        ok: true,
        source: 'server',
      });
      expect(await resolver({ store: storeB }).getVerifyKey('shared.example', key.keyId)).toMatchObject({
        ok: true,
        source: 'cache',
      });
      expect(requestsTo('shared.example')).toBe(1);
    } finally {
      await storeA.close();
      await storeB.close();
    }
  });
});
