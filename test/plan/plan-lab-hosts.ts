// Test helper: the lab the `plan` tests probe (a server name Synapse answers directly, one where nothing listens, one
// with a certificate for another name), shared by the plan tests in English and in Chinese.

import { startLab, type Lab } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';

/** The plan lab and the loopback address it claimed, closed and released by `close`. */
export interface PlanLab {
  readonly lab: Lab;
  /** A loopback address where nothing listens: connections are refused at once. */
  readonly nobody: string;
  close(): Promise<void>;
}

/** Starts the plan lab. */
export async function startPlanLab(): Promise<PlanLab> {
  const nobody = claimRandomLoopbackAddress();
  const lab = await startLab({
    zones: {
      // Synapse answers on the server name's own federation port: no delegation needed.
      'direct.example.org': { A: ['direct'] },
      // Nothing on the federation port.
      'example.com': { A: [nobody] },
      // Something answers on the federation port, with a certificate for another name.
      'badcert.example.org': { A: ['badcert'] },
    },
    hosts: {
      direct: {
        port: 'federation',
        routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } } },
      },
      badcert: {
        port: 'federation',
        certificates: [{ kind: 'wrong-name' }],
        routes: { 'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse' } } } },
      },
    },
  });
  return {
    lab,
    nobody,
    close: async () => {
      await lab.close();
      releaseLoopbackAddresses([nobody]);
    },
  };
}
