// Isolation under faults (issue #8): a bad address or name never delays the others beyond its own budget, and one check never floods a third party.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { createDnsClient } from '../../src/dns/index.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveOptions } from '../../src/resolver/types.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';
import { measure } from '../../support/fault-tools.js';

let lab: Lab;
const seed = generateEd25519Seed();

/** A working homeserver whose keys carry the server name asked for (for an explicit port, the Host header as sent). */
const HOMESERVER: NonNullable<LabHostSpec['routes']> = {
  'GET /_matrix/federation/v1/version': { json: { server: { name: 'Lab', version: '1' } } },
  'GET /_matrix/key/v2/server': (req) => ({
    json: buildSignedKeyResponse({
      serverName: req.host ?? '',
      keyId: 'ed25519:a',
      seed,
      validUntilTs: Date.now() + 86_400_000,
    }),
  }),
};

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // Three addresses behind one name: a working server, one whose TLS never starts, one that never speaks TLS.
      'mixed.test': { A: ['good', 'stall', 'silent'] },
      'good.test': { A: ['good'] },
      'matrix.good.test': { A: ['good'] },
      // One server's address listed 1 000 times: what a name aimed at someone else's server looks like.
      'victim.test': { A: Array.from({ length: 1_000 }, () => 'victim') },
      // Names whose resolution meets a fault at each step.
      'dns-drop.test': { drop: true },
      'slow-wk.test': { A: ['web'] },
      'stall-wk.test': { A: ['stall-https'] },
    },
    hosts: {
      good: { port: 'federation', routes: HOMESERVER },
      stall: { port: 'federation', acceptDelayMs: 60_000 },
      silent: { port: 'federation', mode: 'plain-tcp' },
      victim: { port: 'federation', routes: HOMESERVER },
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) =>
            (req.host ?? '').startsWith('good.test')
              ? { json: { 'm.server': `matrix.good.test:${lab.ports.federation}` } }
              : { json: { 'm.server': 'never.test' }, bodyBytesPerSecond: 1 },
        },
      },
      'stall-https': { acceptDelayMs: 60_000 },
    },
  });
  // Warm-up: the first check builds the TLS contexts (Node's roots plus the lab CA) that the timed ones reuse.
  const warm = await checkServer(`good.test:${lab.ports.federation}`, { ...resolveOptions(), checkDocuments: false });
  expect(warm.federationOk).toBe(true);
});

afterAll(async () => {
  await lab?.close();
});

function resolveOptions(overrides: Partial<ResolveOptions> = {}): ResolveOptions {
  const client = lab.clientOptions();
  return {
    ...client,
    dns: createDnsClient({ servers: client.dnsServers, timeoutMs: 800 }),
    timeoutMs: 5_000,
    wellKnownTimeoutMs: 2_000,
    ...overrides,
  };
}

describe('checker: one bad address does not hold up the good one', () => {
  it('a stalled and a silent address beside a working one: the working one is checked at loopback speed', async () => {
    const r = await measure(() =>
      checkServer(`mixed.test:${lab.ports.federation}`, {
        ...resolveOptions(),
        operationTimeoutMs: 2_000,
        checkDocuments: false,
      }),
    );
    const byAddress = new Map(r.value.addresses.map((a) => [a.target.ip, a]));
    const good = byAddress.get(lab.address('good'))!;
    expect(good.ok).toBe(true);
    // Well inside the bad addresses' 2 s budget (loopback speed, with room for test workers sharing two cores).
    expect(good.tls!.durationMs).toBeLessThan(1_500);
    expect(good.version!.durationMs).toBeLessThan(1_500);
    expect(good.keys!.durationMs).toBeLessThan(1_500);
    for (const bad of ['stall', 'silent'])
      expect(byAddress.get(lab.address(bad))?.connectionError?.code).toBe('TIMEOUT');
    expect(r.value.federationOk).toBe(false);
    expect(r.value.reachable).toBe(true);
    expect(r.value.summary).toMatch(/works, but 2 of 3 addresses fail/);
    // The bad addresses cost their own budget (2 s), in parallel, not one after the other.
    expect(r.ms).toBeLessThan(3_000);
  });
});

describe('checker: never turned against a third party', () => {
  it('a name listing one server 1 000 times: at most 32 addresses checked, a bounded number of connections', async () => {
    const victim = lab.hosts['victim']!;
    victim.resetCounters();
    const r = await measure(() =>
      checkServer(`victim.test:${lab.ports.federation}`, {
        ...resolveOptions(),
        operationTimeoutMs: 2_000,
        checkDocuments: false,
      }),
    );
    expect(r.value.resolution.targets).toHaveLength(1_000);
    expect(r.value.addresses).toHaveLength(32);
    expect(r.value.summary).toMatch(/Only the first 32 of the 1000 addresses found were checked/);
    // 32 TLS probes plus the pooled connections of the version and key requests (one pool, 8 connections).
    expect(victim.connectionCount).toBeLessThanOrEqual(32 + 8);
    // Version and keys per address, plus the check's one encoded-path probe (two requests, on the first address).
    expect(victim.requestCount).toBeLessThanOrEqual(2 * 32 + 2);
    // Each checked address is bounded by the operation budget (2 s) for the handshake, then for the requests.
    expect(r.ms).toBeLessThan(6_000);
  });

  it('refuses a nonsensical address cap as a caller mistake', async () => {
    await expect(checkServer('good.test', { ...resolveOptions(), maxAddresses: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('resolver: a bad name does not delay a good one resolved at the same time', () => {
  it('DNS that never answers, a well-known at one byte per second and a stalled TLS handshake, beside a good name', async () => {
    const options = resolveOptions();
    const runs = ['good.test', 'dns-drop.test', 'slow-wk.test', 'stall-wk.test'].map((name) =>
      measure(() => resolveServerName(name, options)),
    );
    const [good, drop, slow, stall] = await Promise.all(runs);
    expect(good!.value.targets.map((t) => t.ip)).toEqual([lab.address('good')]);
    // The good name is done before any bad one ends its budget.
    expect(good!.ms).toBeLessThan(Math.min(drop!.ms, slow!.ms, stall!.ms));
    // Each bad name ends on its own budget: the DNS question's (0.8 s, then SRV and addresses), or the well-known's (2 s).
    expect(drop!.value.error?.code).toBe('DNS_TIMEOUT');
    expect(slow!.value.wellKnown).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(stall!.value.wellKnown).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    for (const bad of [drop!, slow!, stall!]) expect(bad.ms).toBeLessThan(4_000);
    expect(slow!.ms).toBeGreaterThanOrEqual(1_900);
  });
});
