// Tests of fetchWellKnownDocument / fetchHttpsDocument over the lab: chosen addresses, methods, headers, redirects off, misuse.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient } from '../../src/dns/index.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { startLab, type Lab, type LabRequest } from '../../src/testing/index.js';
import { fetchHttpsDocument, fetchWellKnownDocument } from '../../src/well-known/fetch-document.js';
import { fetchWellKnownServer } from '../../src/well-known/fetch.js';
import type { WellKnownDocumentOptions } from '../../src/well-known/types.js';

let lab: Lab;
const PATH = '/.well-known/matrix/client';

/** Each host answers with its own key, so a test can tell which address served it. */
const whoAmI = (key: string) => (req: LabRequest) => ({
  json: { server: key, method: req.method },
  headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, OPTIONS', 'x-extra': 'yes' },
});

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'dual.test': { A: ['first', 'second'] },
      'other.test': { A: ['second'] },
    },
    hosts: {
      first: {
        routes: {
          [PATH]: whoAmI('first'),
          '/.well-known/matrix/server': { json: { 'm.server': 'first.example:443' } },
          '/hop': { status: 302, redirect: '/elsewhere' },
          // other.test is served by `second`.
          '/go-other': () => ({
            status: 302,
            redirect: `https://other.test${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}${PATH}`,
          }),
        },
      },
      second: {
        routes: {
          [PATH]: whoAmI('second'),
          '/.well-known/matrix/server': { json: { 'm.server': 'second.example:443' } },
        },
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

function options(extra: Partial<WellKnownDocumentOptions> = {}): WellKnownDocumentOptions {
  const lo = lab.clientOptions();
  const nets = Object.values(lab.hosts).map((h) => `${h.address}/32`);
  return {
    dns: createDnsClient({ servers: lo.dnsServers }),
    policy: createAddressPolicy({ allowNetworks: nets }),
    port: lab.ports.https,
    ca: lo.ca,
    timeoutMs: 3_000,
    ...extra,
  };
}

function json(body: Uint8Array | null): unknown {
  return JSON.parse(new TextDecoder().decode(body ?? new Uint8Array()));
}

describe('fetchWellKnownDocument', () => {
  it('returns the raw response: status, every header, body, hops', async () => {
    const r = await fetchWellKnownDocument('dual.test', PATH, options({ addresses: [lab.address('first')] }));
    expect(r).toMatchObject({
      outcome: 'response',
      code: null,
      httpStatus: 200,
      url: 'https://dual.test/.well-known/matrix/client',
    });
    expect(r.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, OPTIONS',
      'x-extra': 'yes',
      'content-type': 'application/json',
    });
    expect(json(r.body)).toEqual({ server: 'first', method: 'GET' });
    expect(r.hops).toEqual([expect.objectContaining({ status: 200, address: lab.address('first') })]);
  });

  it('dials exactly the addresses given, without asking DNS for the host', async () => {
    const asked = lab.dns.queries.length;
    const second = await fetchWellKnownDocument('dual.test', PATH, options({ addresses: [lab.address('second')] }));
    expect(json(second.body)).toMatchObject({ server: 'second' });
    expect(lab.dns.queries.slice(asked).filter((q) => q.name === 'dual.test')).toEqual([]);
    // The server fetch takes the same option.
    const server = await fetchWellKnownServer('dual.test', options({ addresses: [lab.address('second')] }));
    expect(server.mServer).toBe('second.example:443');
  });

  it('still applies the policy to the addresses given', async () => {
    const r = await fetchWellKnownDocument(
      'dual.test',
      PATH,
      options({ addresses: [lab.address('first')], policy: createAddressPolicy() }),
    );
    expect(r).toMatchObject({ outcome: 'blocked', code: 'ADDRESS_DENIED', httpStatus: null, body: null });
  });

  it('sends the method and extra headers given', async () => {
    lab.hosts['first']!.resetCounters();
    const r = await fetchWellKnownDocument(
      'dual.test',
      PATH,
      options({
        addresses: [lab.address('first')],
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
      }),
    );
    expect(json(r.body)).toEqual({ server: 'first', method: 'OPTIONS' });
    expect(lab.hosts['first']!.requests[0]?.headers).toMatchObject({
      origin: 'https://app.example',
      'access-control-request-method': 'GET',
    });
  });

  it('returns a redirect as the final response when followRedirects is false', async () => {
    const r = await fetchWellKnownDocument(
      'dual.test',
      '/hop',
      options({ addresses: [lab.address('first')], followRedirects: false }),
    );
    expect(r).toMatchObject({ outcome: 'response', httpStatus: 302, body: null });
    expect(r.headers['location']).toBe('/elsewhere');
    expect(r.hops).toHaveLength(1);
  });

  it('resolves a redirect target on another host through DNS, not through the addresses given', async () => {
    const asked = lab.dns.queries.length;
    const r = await fetchWellKnownDocument('dual.test', '/go-other', options({ addresses: [lab.address('first')] }));
    expect(json(r.body)).toMatchObject({ server: 'second' });
    expect(r.hops.map((h) => h.address)).toEqual([lab.address('first'), lab.address('second')]);
    expect(lab.dns.queries.slice(asked).map((q) => q.name)).toContain('other.test');
  });

  it('throws INVALID_ARGUMENT for misuse', async () => {
    const cases: (() => Promise<unknown>)[] = [
      () => fetchWellKnownDocument('dual.test:443', PATH, options()),
      () => fetchWellKnownDocument('dual.test', '//evil.test/x', options()),
      () => fetchWellKnownDocument('dual.test', 'relative', options()),
      () => fetchWellKnownDocument('dual.test', PATH, options({ headers: { Host: 'evil.test' } })),
      () => fetchWellKnownDocument('dual.test', PATH, options({ addresses: [] })),
      () => fetchWellKnownDocument('dual.test', PATH, options({ addresses: ['dual.test'] })),
      () => fetchHttpsDocument('http://dual.test/x', options()),
      () => fetchHttpsDocument('not a url', options()),
    ];
    for (const attempt of cases) {
      let caught: unknown;
      try {
        await attempt();
      } catch (error) {
        caught = error;
      }
      expect(isMatrixDelegationError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('fetchHttpsDocument', () => {
  it('fetches an arbitrary https URL through DNS and the policy', async () => {
    const r = await fetchHttpsDocument(`https://other.test:${lab.ports.https}${PATH}?x=1#frag`, options());
    expect(r).toMatchObject({
      outcome: 'response',
      httpStatus: 200,
      url: `https://other.test${lab.ports.https === 443 ? '' : `:${lab.ports.https}`}${PATH}?x=1`,
    });
    expect(json(r.body)).toMatchObject({ server: 'second' });
    const denied = await fetchHttpsDocument(
      `https://other.test:${lab.ports.https}${PATH}`,
      options({ policy: createAddressPolicy() }),
    );
    expect(denied).toMatchObject({ outcome: 'blocked', code: 'ADDRESS_DENIED' });
  });
});
