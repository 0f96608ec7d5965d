// connectTls with a task's record of refusing addresses (issue 19): a port that refused is not dialled again by that task.

import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { connectTls } from '../../src/net/connect.js';
import { createRefusedAddresses } from '../../src/net/refused-addresses.js';
import { buildTrustedCas } from '../../src/net/trust.js';
import { createCertificateAuthority, type LabCertificate } from '../../src/testing/index.js';

const ADDRESS = '127.0.0.1';
const NAME = 'refused.test';
let ca: string;
let leaf: LabCertificate;
let server: TlsServer | undefined;

beforeAll(async () => {
  const authority = await createCertificateAuthority({ commonName: 'refusals test' });
  ca = authority.certPem;
  leaf = await authority.issue({ dnsNames: [NAME] });
});

afterAll(async () => {
  if (server !== undefined) await new Promise<void>((resolve) => server!.close(() => resolve()));
});

/** A port nothing listens on: one the system gave a listener, closed again. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, ADDRESS, resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('connectTls with a record of refusals', () => {
  it('a port that refused is not dialled again with the same record: same refusal, no connection made', async () => {
    const port = await closedPort();
    const policy = createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] });
    const options = {
      addresses: [ADDRESS],
      port,
      servername: NAME,
      policy,
      ca: buildTrustedCas([ca]),
      attemptTimeoutMs: 5_000,
    };
    const refused = createRefusedAddresses();
    const first = await connectTls({ ...options, refused });
    expect(first.ok).toBe(false);
    expect(first.ok ? null : first.code).toBe('CONNECT_REFUSED');
    expect(refused.get(ADDRESS, port)?.code).toBe('CONNECT_REFUSED');

    // The port listens now: the task that saw it refuse does not dial it again (a check's fetches ask it together).
    let accepted = 0;
    server = createTlsServer({ key: leaf.keyPem, cert: leaf.fullChainPem }, (socket) => socket.end());
    server.on('connection', () => accepted++);
    await new Promise<void>((resolve) => server!.listen(port, ADDRESS, resolve));
    const again = await connectTls({ ...options, refused });
    expect(again.ok ? null : again.code).toBe('CONNECT_REFUSED');
    expect(again.attempts).toEqual([
      expect.objectContaining({ address: ADDRESS, outcome: 'failed', code: 'CONNECT_REFUSED' }),
    ]);
    expect(refused.spared).toBe(1);
    expect(accepted).toBe(0);

    // Another task (another record, or none) dials it, and connects.
    const fresh = await connectTls({ ...options, refused: createRefusedAddresses() });
    expect(fresh.ok).toBe(true);
    if (fresh.ok) fresh.socket.destroy();
    expect(accepted).toBe(1);
  });

  it('a refused address does not stop the next one of the list, which is dialled', async () => {
    const port = await closedPort();
    const policy = createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] });
    const refused = createRefusedAddresses();
    const options = { port, servername: NAME, policy, ca: buildTrustedCas([ca]), attemptTimeoutMs: 5_000, refused };
    await connectTls({ ...options, addresses: [ADDRESS] });
    const other = await new Promise<TlsServer>((resolve) => {
      const s = createTlsServer({ key: leaf.keyPem, cert: leaf.fullChainPem }, (socket) => socket.end());
      s.listen(port, '127.0.0.2', () => resolve(s));
    });
    try {
      const result = await connectTls({ ...options, addresses: [ADDRESS, '127.0.0.2'] });
      expect(result.ok).toBe(true);
      expect(result.attempts.map((a) => [a.address, a.outcome])).toEqual([
        [ADDRESS, 'failed'],
        ['127.0.0.2', 'connected'],
      ]);
      if (result.ok) result.socket.destroy();
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
