// A lab where each server name's well-known delegates to matrix.<name> on the lab's federation port (spec step 3.2).

import { startLab } from '../../src/testing/index.js';
import type { Lab, LabHostSpec, LabNameSpec } from '../../src/testing/index.js';

/**
 * Starts a lab in which every name of `serverNames` resolves through its well-known (served by the host `web`) to
 * `matrix.<name>:<federation port>`, served by the host `synapse` (`synapse`'s spec is the caller's, on the
 * federation port). Tests that share a cache give each test its own name, so one test's answers cannot make
 * another's first resolution a cache hit.
 */
export function startDelegatingLab(serverNames: readonly string[], synapse: Omit<LabHostSpec, 'port'>): Promise<Lab> {
  const zones: Record<string, LabNameSpec> = {};
  for (const name of serverNames) {
    zones[name] = { A: ['web'] };
    zones[`matrix.${name}`] = { A: ['synapse'] };
  }
  const lab: Promise<Lab> = startLab({
    zones,
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': async (req) => {
            const host = (req.host ?? '').replace(/:\d+$/, '');
            return { json: { 'm.server': `matrix.${host}:${(await lab).ports.federation}` } };
          },
        },
      },
      synapse: { ...synapse, port: 'federation' },
    },
  });
  return lab;
}
