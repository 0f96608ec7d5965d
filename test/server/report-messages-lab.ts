// Test helper: a lab name whose check fails with a key problem on one address and a refused connection on the other,
// served by the real server (tester and monitor on), for the tests of the answers' `messages` (issue 17).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSignedKeyResponse, generateEd25519Seed } from '../../src/keys/index.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { startLab, type Lab } from '../../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../../src/testing/loopback.js';
import { captureLogger, testConfig } from './http-helpers.js';

/** The name checked: its keys are signed for another server, and its second address refuses connections. */
export const FAILING = 'keys.messages.test';
/** The server its keys claim to be (the spec: `server_name` must be the name asked for). */
export const OTHER = 'other.messages.test';

/** The lab, the server over it, and the address nothing listens on. */
export interface MessagesLab {
  readonly lab: Lab;
  readonly server: RunningServer;
  readonly origin: string;
  readonly refused: string;
  close(): Promise<void>;
}

/** Starts the lab and the server (web/ as shipped, tester on, the failing name watched by the monitor). */
export async function startMessagesLab(): Promise<MessagesLab> {
  const seed = generateEd25519Seed();
  const refused = claimRandomLoopbackAddress();
  const lab = await startLab({
    zones: { [FAILING]: { A: ['keys', refused] } },
    hosts: {
      keys: {
        port: 'federation',
        routes: {
          'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
          'GET /_matrix/key/v2/server': () => ({
            json: buildSignedKeyResponse({
              serverName: OTHER,
              keyId: 'ed25519:lab',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          }),
        },
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'md-messages-'));
  const config = testConfig(
    [
      'server_name: tester.example.org',
      'tester: { enabled: true, rate_limit_per_minute: 0 }',
      'monitor:',
      `  servers: [${FAILING}]`,
      `  state_path: ${join(dir, 'state.json')}`,
    ].join('\n'),
  );
  const server = await startServer(config, {
    logger: captureLogger('error').logger,
    checkOptions: { ...lab.clientOptions(), operationTimeoutMs: 3000 },
    monitor: { intervalMs: 300 },
  });
  return {
    lab,
    server,
    origin: server.urls[0]!.replace(/\/$/, ''),
    refused,
    async close() {
      await server.close({ timeoutMs: 0 });
      await lab.close();
      releaseLoopbackAddresses([refused]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
