// ADDRESS_DENIED names exactly the addresses the policy refused (issue 13, item 8: "every address found (undefined, 127.0.0.1)").

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import { toFederationTesterReport } from '../../src/report/federation-tester.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    zones: {
      // The case: the well-known host and the step 6 target are one denied loopback address.
      'loop.example.org': { A: ['web'] },
      // Every family and several ranges of the default deny-list (loopback, RFC 1918, unique local).
      'mixed.example.org': { A: ['web', '10.1.2.3'], AAAA: ['::1', 'fd00::7'] },
      // Two SRV targets on one denied address: it is one address found, listed once.
      'srv.example.org': { A: ['192.168.7.7'] },
      'a.targets.example.org': { A: ['10.9.9.9'] },
      'b.targets.example.org': { A: ['10.9.9.9'] },
      '_matrix-fed._tcp.srv.example.org': {
        SRV: [
          { priority: 0, weight: 0, port: 8448, target: 'a.targets.example.org' },
          { priority: 1, weight: 0, port: 8449, target: 'b.targets.example.org' },
        ],
      },
    },
    hosts: { web: {} },
  });
});

afterAll(async () => {
  await lab?.close();
});

/** The lab's DNS, and the default deny-list with nothing allowed: every lab address is denied. */
function denyAll() {
  return { ...lab.clientOptions(), allowNetworks: [] as string[] };
}

/** The addresses listed in "every address found (A, B) is in a denied network". */
function listed(message: string): string[] {
  const match = /every address found \(([^)]*)\)/.exec(message);
  expect(match, message).not.toBeNull();
  return (match?.[1] ?? '').split(', ');
}

describe('the ADDRESS_DENIED message', () => {
  // Expected lists: the zone's addresses (AAAA before A, CONTRIBUTING.md "Address order"), each once.
  const cases = (): readonly (readonly [string, readonly string[]])[] => [
    ['loop.example.org', [lab.address('web')]],
    ['mixed.example.org', ['::1', 'fd00::7', lab.address('web'), '10.1.2.3']],
    ['srv.example.org', ['10.9.9.9']],
  ];

  it('resolveServerName lists exactly the denied addresses, each once, and never "undefined"', async () => {
    for (const [name, expected] of cases()) {
      const result = await resolveServerName(name, denyAll());
      expect(result.error?.code, name).toBe('ADDRESS_DENIED');
      expect(listed(result.error?.message ?? ''), name).toEqual(expected);
      expect(result.error?.message, name).not.toContain('undefined');
    }
    // Nothing was contacted: the denied well-known host included.
    expect(lab.hosts['web']?.connectionCount).toBe(0);
  });

  it("the tester's Error (as /api/report serves it) lists the same addresses", async () => {
    const report = await checkServer('loop.example.org', { ...denyAll(), checkDocuments: false });
    const tester = toFederationTesterReport(report);
    expect(listed(tester.Error ?? '')).toEqual([lab.address('web')]);
    expect(tester.Error).not.toContain('undefined');
  });
});
