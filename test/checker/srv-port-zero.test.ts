// An SRV record with port 0 is remote data: the check reports the address as unreachable instead of rejecting.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';
import { labAllowNetworks } from '../diagnosis/homeserver.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'zero.example.org': { A: ['web'] },
      // RFC 2782 allows any port from 0 to 65535 in the record; nothing can be dialled on 0.
      '_matrix-fed._tcp.zero.example.org': {
        SRV: [{ priority: 0, weight: 0, port: 0, target: 'backend.example.org' }],
      },
      'backend.example.org': { A: ['web'] },
    },
    hosts: { web: {} },
  });
});

afterAll(async () => {
  await lab?.close();
});

it('a target on port 0 (from SRV) is a connection error of that address, not an INVALID_ARGUMENT rejection', async () => {
  const report = await checkServer('zero.example.org', {
    ...lab.clientOptions(),
    allowNetworks: labAllowNetworks(lab),
    checkDocuments: false,
  });
  expect(report.addresses).toHaveLength(1);
  expect(report.addresses[0]).toMatchObject({
    ok: false,
    connectionError: { code: 'CONNECT_UNREACHABLE' },
    target: { port: 0 },
  });
  expect(report.federationOk).toBe(false);
});
