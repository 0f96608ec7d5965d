// client.fetch() against the lab: a WHATWG Response whose body streams (no cap), maxBytes, abort signals, RequestInit-style
// bodies and headers, and signed requests checked by a lab server that runs verifyFederationRequest with real key fetches.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFederationClient,
  federationFetch,
  FederationFetchResponse,
  type FederationClient,
} from '../../src/client/federation-client.js';
import { createServerKeyResolver, type ServerKeyResolver } from '../../src/client/server-key-resolver.js';
import { verifyFederationRequest } from '../../src/client/verify-request.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { signJson } from '../../src/keys/ed25519.js';
import { SigningKey } from '../../src/keys/signing-key.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';

const MiB = 1024 * 1024;
const originKey = new SigningKey('o_1', new Uint8Array(32).fill(11));
const strangerKey = new SigningKey('o_1', new Uint8Array(32).fill(12));

let lab: Lab;
let client: FederationClient;
let verifierClient: FederationClient;
let verifierKeys: ServerKeyResolver;

/** The destination's federation endpoint: checks the request's X-Matrix signature, fetching the origin's keys for real. */
async function verifyingHandler(request: LabRequest): Promise<LabResponse> {
  let content: unknown;
  if (request.body.length > 0) content = JSON.parse(request.body.toString('utf8')) as unknown;
  const result = await verifyFederationRequest({
    authorization: request.headers.authorization,
    method: request.method,
    uri: request.path,
    destination: 'dest.example',
    keyResolver: verifierKeys,
    ...(content !== undefined ? { content } : {}),
  });
  return result.ok
    ? { json: { verified: true, origin: result.origin, keyId: result.keyId, content: content ?? null } }
    : { status: result.httpStatus, json: { verified: false, code: result.code } };
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'dest.example': { A: ['dest'] },
      'origin.example': { A: ['web'] },
      'originhost.example': { A: ['originhost'] },
    },
    hosts: {
      dest: {
        port: 'federation',
        routes: {
          '/verify': verifyingHandler,
          '/verify/sub': verifyingHandler,
          'GET /big': { body: 'x', padToBytes: 20 * MiB },
          'GET /endless': { body: 'first', padToBytes: 100 * MiB, bodyBytesPerSecond: 20_000 },
          'GET /chunked': { headers: { 'transfer-encoding': 'chunked' }, body: 'y', padToBytes: 3 * MiB },
          'GET /slow-head': { delayMs: 5000, json: {} },
          'GET /no-content': { status: 204 },
          'GET /cookies': { headers: { 'set-cookie': ['a=1', 'b=2'], 'x-twice': ['1', '2'] }, json: {} },
        },
        fallback: (request) => ({
          json: {
            method: request.method,
            path: request.path,
            headers: request.headers,
            body: request.body.toString('utf8'),
          },
        }),
      },
      // origin.example delegates to originhost.example, which serves the origin's keys.
      web: {
        port: 'https',
        routes: {
          'GET /.well-known/matrix/server': () => ({
            json: { 'm.server': `originhost.example:${lab.ports.federation}` },
          }),
        },
      },
      originhost: {
        port: 'federation',
        routes: {
          'GET /_matrix/key/v2/server': () => ({
            json: signJson(
              {
                server_name: 'origin.example',
                valid_until_ts: Date.now() + 3_600_000,
                verify_keys: { [originKey.keyId]: { key: originKey.publicKeyBase64 } },
              },
              'origin.example',
              originKey.keyId,
              originKey.exportSeed(),
            ),
          }),
        },
      },
    },
  });
  const limits = { connectTimeoutMs: 3000, requestTimeoutMs: 3000 };
  client = createFederationClient({ ...lab.clientOptions(), ...limits });
  verifierClient = createFederationClient({ ...lab.clientOptions(), ...limits });
  verifierKeys = createServerKeyResolver({ client: verifierClient });
});

afterAll(async () => {
  await verifierKeys?.close();
  await Promise.all([client?.close(), verifierClient?.close()]);
  await lab?.close();
});

async function countBytes(response: Response): Promise<number> {
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) total += chunk.byteLength;
  return total;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('did not reject');
    },
    (error: unknown) => error,
  );
}

describe('client.fetch: a WHATWG Response', () => {
  it('is a Response (status, ok, Headers, json()) that still says which target answered', async () => {
    const response = await client.fetch('dest.example', '/hello?x=1');
    expect(response).toBeInstanceOf(Response);
    expect(response).toBeInstanceOf(FederationFetchResponse);
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.target).toMatchObject({
      step: '6',
      ip: lab.address('dest'),
      port: lab.ports.federation,
      hostHeader: 'dest.example',
    });
    expect(response.attempts).toEqual([{ target: response.target, error: null }]);
    expect(response.resolution.targets[0]).toEqual(response.target);
    expect(response.authorization).toBeNull();
    expect(await response.json()).toMatchObject({ method: 'GET', path: '/hello?x=1' });
  });

  it("streams: a 20 MiB body (past the buffered client's 16 MiB) is read whole", async () => {
    const response = await client.fetch('dest.example', '/big');
    expect(await countBytes(response)).toBe(20 * MiB);
  });

  it('streams: the first bytes of a body that would take over an hour are read at once, then the rest is cancelled', async () => {
    const response = await client.fetch('dest.example', '/endless');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(
      Buffer.from(first.value ?? new Uint8Array())
        .toString('utf8')
        .startsWith('first'),
    ).toBe(true);
    await reader.cancel();
  }, 10_000);

  it('maxBytes: a Content-Length over it rejects at once; a chunked body over it errors the stream; both BODY_TOO_LARGE', async () => {
    expect(
      isMatrixDelegationError(
        await rejection(client.fetch('dest.example', '/big', { maxBytes: MiB })),
        'BODY_TOO_LARGE',
      ),
    ).toBe(true);
    const chunked = await client.fetch('dest.example', '/chunked', { maxBytes: MiB });
    expect(chunked.headers.get('content-length')).toBeNull();
    expect(isMatrixDelegationError(await rejection(chunked.arrayBuffer()), 'BODY_TOO_LARGE')).toBe(true);
    // Within the limit: read whole.
    expect(await countBytes(await client.fetch('dest.example', '/chunked', { maxBytes: 4 * MiB }))).toBe(3 * MiB);
  });

  it("signal: an abort before the response head rejects with the signal's reason; while the body streams, the body errors with it", async () => {
    const early = new AbortController();
    const pending = client.fetch('dest.example', '/slow-head', { signal: early.signal });
    setTimeout(() => early.abort(new Error('stop')), 100);
    expect(await rejection(pending)).toMatchObject({ message: 'stop' });

    const late = new AbortController();
    const response = await client.fetch('dest.example', '/endless', { signal: late.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    late.abort();
    // Errored at once, while nobody is reading (as fetch's body is), and every later read rejects too.
    expect(await rejection(reader.closed)).toMatchObject({ name: 'AbortError' });
    expect(await rejection(reader.read())).toMatchObject({ name: 'AbortError' });

    const already = AbortSignal.abort();
    lab.hosts['dest']?.resetCounters();
    expect(await rejection(client.fetch('dest.example', '/x', { signal: already }))).toMatchObject({
      name: 'AbortError',
    });
    expect(lab.hosts['dest']?.requestCount).toBe(0);
  }, 10_000);

  it('a 204 has a null body; repeated headers are joined as Headers joins them, Set-Cookie kept apart', async () => {
    const empty = await client.fetch('dest.example', '/no-content');
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const cookies = await client.fetch('dest.example', '/cookies');
    expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(cookies.headers.get('x-twice')).toBe('1, 2');
    await cookies.body?.cancel();
  });

  it('RequestInit-style bodies and headers: json, bytes, ArrayBuffer; a Headers object or [name, value] pairs', async () => {
    const asJson = (await (
      await client.fetch('dest.example', '/echo', { method: 'PUT', json: { b: 1, a: [true, null] } })
    ).json()) as Record<string, unknown>;
    expect(asJson).toMatchObject({ method: 'PUT', body: '{"b":1,"a":[true,null]}' });
    expect((asJson['headers'] as Record<string, string>)['content-type']).toBe('application/json');
    const bytes = (await (
      await client.fetch('dest.example', '/echo', { method: 'POST', body: new TextEncoder().encode('raw') })
    ).json()) as Record<string, unknown>;
    expect(bytes['body']).toBe('raw');
    const buffer = (await (
      await client.fetch('dest.example', '/echo', { method: 'POST', body: new TextEncoder().encode('ab').buffer })
    ).json()) as Record<string, unknown>;
    expect(buffer['body']).toBe('ab');
    const headers = new Headers({ 'X-One': '1' });
    headers.append('x-one', '2');
    const viaHeaders = (await (await client.fetch('dest.example', '/echo', { headers })).json()) as {
      headers: Record<string, string>;
    };
    expect(viaHeaders.headers['x-one']).toBe('1, 2');
    const viaPairs = (await (
      await client.fetch('dest.example', '/echo', {
        headers: [
          ['x-two', 'a'],
          ['X-Two', 'b'],
        ],
      })
    ).json()) as { headers: Record<string, string> };
    expect(viaPairs.headers['x-two']).toBe('a, b');
    expect(
      isMatrixDelegationError(
        await rejection(client.fetch('dest.example', '/echo', { body: 'x', json: {} })),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
  });

  it('bad arguments reject with INVALID_ARGUMENT, even an init that is null or a signal look-alike that says it aborted', async () => {
    for (const init of [
      null,
      'x',
      { signal: { aborted: true, reason: 'no' } },
      { maxBytes: -1 },
      { headers: [['a']] },
      { destination: 5 },
    ]) {
      const error = await rejection(client.fetch('dest.example', '/x', init as never));
      expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('the deprecated fetchBuffered and federationFetch still give the buffered result', async () => {
    const buffered = await client.fetchBuffered('dest.example', '/old');
    expect(Buffer.isBuffer(buffered.body)).toBe(true);
    expect(buffered.json()).toMatchObject({ path: '/old' });
    const once = await federationFetch('dest.example', '/once', { ...lab.clientOptions() });
    expect(once.json()).toMatchObject({ path: '/once' });
  });
});

describe('signed requests, checked by a server running verifyFederationRequest', () => {
  let signing: FederationClient;
  beforeAll(() => {
    signing = createFederationClient({ ...lab.clientOptions(), origin: 'origin.example', signingKey: originKey });
  });
  afterAll(() => signing?.close());

  it("GET and PUT with a JSON body verify (the origin's keys fetched through its delegation); the Authorization is on the response", async () => {
    const get = await signing.fetch('dest.example', '/verify?since=%2F1');
    expect(await get.json()).toEqual({ verified: true, origin: 'origin.example', keyId: 'ed25519:o_1', content: null });
    expect(get.authorization).toMatch(
      /^X-Matrix origin="origin\.example",destination="dest\.example",key="ed25519:o_1",sig="[A-Za-z0-9+/]+"$/,
    );
    const put = await signing.fetch('dest.example', '/verify/sub', {
      method: 'PUT',
      json: { pdus: [], edus: [{ é: 1 }] },
    });
    expect(await put.json()).toEqual({
      verified: true,
      origin: 'origin.example',
      keyId: 'ed25519:o_1',
      content: { pdus: [], edus: [{ é: 1 }] },
    });
    const bytes = await signing.fetch('dest.example', '/verify', { method: 'POST', body: '{"a":"b"}' });
    expect(await bytes.json()).toMatchObject({ verified: true, content: { a: 'b' } });
  });

  it('an unsigned request, one signed by a key the origin does not publish, one replayed elsewhere: refused with 401', async () => {
    const unsigned = await client.fetch('dest.example', '/verify');
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ verified: false, code: 'AUTH_MISSING' });
    const stranger = createFederationClient({
      ...lab.clientOptions(),
      origin: 'origin.example',
      signingKey: strangerKey,
    });
    try {
      const forged = await stranger.fetch('dest.example', '/verify');
      expect(forged.status).toBe(401);
      expect(await forged.json()).toEqual({ verified: false, code: 'AUTH_BAD_SIGNATURE' });
      // The signature of GET /verify sent with another path.
      const original = await signing.fetch('dest.example', '/verify');
      await original.body?.cancel();
      const replay = await client.fetch('dest.example', '/verify/sub', {
        headers: { authorization: original.authorization as string },
      });
      expect(await replay.json()).toEqual({ verified: false, code: 'AUTH_BAD_SIGNATURE' });
    } finally {
      await stranger.close();
    }
  });

  it("a caller's own Authorization header is sent as is (not signed); a signed request with a body that is not JSON is refused before sending", async () => {
    const own = await signing.fetch('dest.example', '/echo', { headers: { Authorization: 'Bearer x' } });
    expect(own.authorization).toBeNull();
    expect(((await own.json()) as { headers: Record<string, string> }).headers['authorization']).toBe('Bearer x');
    expect(
      isMatrixDelegationError(
        await rejection(signing.fetch('dest.example', '/echo', { method: 'PUT', body: 'not json' })),
        'INVALID_ARGUMENT',
      ),
    ).toBe(true);
  });

  it('origin and signingKey go together; an origin that is not a server name is refused', () => {
    expect(() => createFederationClient({ origin: 'origin.example' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createFederationClient({ signingKey: originKey })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createFederationClient({ origin: 'not a name', signingKey: originKey })).toThrow(
      expect.objectContaining({ code: 'INVALID_SERVER_NAME' }),
    );
  });
});
