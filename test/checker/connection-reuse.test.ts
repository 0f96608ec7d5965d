// Issue 19: a check's connections are shared by its requests, per address and never across addresses; the
// connection of the server well-known serves the check's other fetches to that host; a refusing port is asked once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec } from '../../src/testing/index.js';

let lab: Lab;

/** A homeserver for `serverName` that says it is `software` and signs its keys with a key of its own, `keyId`. */
function homeserver(serverName: string, software: string, keyId: string): NonNullable<LabHostSpec['routes']> {
  const seed = generateEd25519Seed();
  return {
    'GET /_matrix/federation/v1/version': { json: { server: { name: software, version: '1.0' } } },
    'GET /_matrix/key/v2/server': () => ({
      json: buildSignedKeyResponse({ serverName, keyId, seed, validUntilTs: Date.now() + 86_400_000 }),
    }),
  };
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // Two addresses of one name, each a different server (a half-migrated cluster, a stale record).
      'two.test': { A: ['alpha', 'beta'] },
      // A name delegated by its well-known, with client and support documents on the same web server.
      'wk.test': { A: ['web'] },
      'fed.wk.test': { A: ['fed'] },
    },
    hosts: {
      alpha: { port: 'federation', routes: homeserver('two.test', 'Alpha', 'ed25519:alpha') },
      beta: { port: 'federation', routes: homeserver('two.test', 'Beta', 'ed25519:beta') },
      web: {
        routes: {
          'GET /.well-known/matrix/server': () => ({ json: { 'm.server': `fed.wk.test:${lab.ports.federation}` } }),
          'GET /.well-known/matrix/client': () => ({
            json: { 'm.homeserver': { base_url: `https://fed.wk.test:${lab.ports.federation}` } },
            headers: { 'access-control-allow-origin': '*' },
          }),
          'GET /.well-known/matrix/support': {
            json: { contacts: [{ role: 'm.role.admin', email_address: 'admin@wk.test' }] },
          },
        },
      },
      fed: {
        port: 'federation',
        routes: {
          ...homeserver('wk.test', 'Synapse', 'ed25519:wk'),
          'GET /_matrix/client/versions': { json: { versions: ['v1.11'] } },
        },
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

const options = () => ({ ...lab.clientOptions(), operationTimeoutMs: 10_000, timeoutMs: 30_000 });

describe('connections of a check', () => {
  it("two addresses of one name answering differently: each address's report holds its own answers", async () => {
    const report = await checkServer('two.test', options());
    const byIp = new Map(report.addresses.map((a) => [a.target.ip, a]));
    expect(byIp.size).toBe(2);
    const alpha = byIp.get(lab.address('alpha'));
    const beta = byIp.get(lab.address('beta'));
    // What each server said of itself: reusing a connection must never let one address's answer stand for another's.
    expect(alpha?.version?.name).toBe('Alpha');
    expect(beta?.version?.name).toBe('Beta');
    expect(Object.keys(alpha?.keys?.verifyKeys ?? {})).toEqual(['ed25519:alpha']);
    expect(Object.keys(beta?.keys?.verifyKeys ?? {})).toEqual(['ed25519:beta']);
    expect(alpha?.ok && beta?.ok).toBe(true);
    // Each server served its own version and keys, over one connection each: the TLS probe's (issue 19).
    for (const key of ['alpha', 'beta'] as const) {
      const paths = lab.hosts[key]!.requests.map((r) => r.path);
      expect(paths).toContain('/_matrix/federation/v1/version');
      expect(paths).toContain('/_matrix/key/v2/server');
      expect(lab.hosts[key]!.connectionCount).toBe(1);
    }
  });

  it("the server well-known's connection also carries the client and support documents and the well-known per address", async () => {
    lab.hosts.web!.resetCounters();
    const report = await checkServer('wk.test', options());
    expect(report.federationOk).toBe(true);
    expect(report.client?.homeserver?.error).toBeNull();
    expect(report.client?.homeserver?.versions).toEqual(['v1.11']);
    expect(report.support?.contacts).toHaveLength(1);
    const asked = lab.hosts.web!.requests.map((r) => `${r.method} ${r.path}`);
    // The resolution's well-known, the well-known per address, the client document (and its CORS preflight), the
    // support document.
    expect(asked.filter((r) => r === 'GET /.well-known/matrix/server')).toHaveLength(2);
    expect(asked).toContain('GET /.well-known/matrix/client');
    expect(asked).toContain('OPTIONS /.well-known/matrix/client');
    expect(asked).toContain('GET /.well-known/matrix/support');
    // One connection per host (issue 19: "the client and support documents over one connection per host").
    expect(lab.hosts.web!.connectionCount).toBe(1);
  });
});
