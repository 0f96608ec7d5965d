// The federation client over the lab: certificate checks that stop a request, and connections pooled per target.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationClient, federationFetch } from '../../src/client/federation-client.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;

/** Echo body of a lab host: what the server saw. */
interface Echo {
  server: string;
  sni: string | null;
  host: string | null;
  path: string;
}

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // Spec step 6 for both: no well-known, no SRV, the host on the federation port.
      'direct.example.org': { A: ['direct'] },
      // certificate for another name
      'badcert.example.org': { A: ['badcert'] },
    },
    hosts: {
      direct: { port: 'federation', certificates: [{ dnsNames: ['direct.example.org'] }] },
      badcert: { port: 'federation', certificates: [{ kind: 'wrong-name' }] },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

/** Lab options allowing the lab's own host addresses (not the whole of 127/8), as a deny-list-abiding client would. */
function options() {
  const base = lab.clientOptions();
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return { ...base, allowNetworks: hostNets };
}

describe('certificates', () => {
  it('a certificate for another name fails the request with TLS_NAME_MISMATCH and sends nothing', async () => {
    lab.hosts['badcert']?.resetCounters();
    const error = await federationFetch('badcert.example.org', '/x', options()).catch((e: unknown) => e);
    expect(isMatrixDelegationError(error, 'TLS_NAME_MISMATCH')).toBe(true);
    expect(lab.hosts['badcert']?.requestCount).toBe(0);
  });

  it('without the lab CA the certificate is not trusted', async () => {
    const { ca: _ca, ...noCa } = options();
    const error = await federationFetch('direct.example.org', '/x', noCa).catch((e: unknown) => e);
    expect(isMatrixDelegationError(error)).toBe(true);
    expect((error as { code: string }).code).toMatch(/^TLS_/);
  });
});

describe('the federation client', () => {
  it('pools connections per target: two requests, one TLS connection', async () => {
    lab.hosts['direct']?.resetCounters();
    const client = createFederationClient(options());
    try {
      // fetch streams the body: each is read before the next request, so the connection is free again.
      const a = (await (await client.fetch('direct.example.org', '/one')).json()) as Echo;
      const b = (await (await client.fetch('direct.example.org', '/two')).json()) as Echo;
      expect(a.path).toBe('/one');
      expect(b.path).toBe('/two');
      expect(lab.hosts['direct']?.connectionCount).toBe(1);
    } finally {
      await client.close();
    }
  });
});
