// The lab of bench/monitor.ts in a process of its own, so that the servers' CPU is not counted as the monitor's. (A
// leading `_`: bench/run.ts does not run this file.)

import { buildSignedKeyResponse, generateEd25519Seed } from '../src/keys/index.js';
import { startLab } from '../src/testing/index.js';
import type { LabClientOptions, LabHostSpec, LabNameSpec } from '../src/testing/index.js';

/** The zone of the watched names (`s<i>.bench.test`). */
export const MONITOR_LAB_ZONE = 'bench.test';

/** The name of watched server `i`. */
export const monitorLabName = (i: number): string => `s${i}.${MONITOR_LAB_ZONE}`;

/** What the lab process sends its parent (IPC). */
export type MonitorLabMessage =
  | {
      readonly type: 'ready';
      readonly clientOptions: LabClientOptions;
      /** The hosts' networks (/32 or /128), for `allowNetworks`. */
      readonly hostNetworks: readonly string[];
    }
  | {
      readonly type: 'usage';
      /** CPU time of the lab process since it started, ms. */
      readonly cpuMs: number;
      /** TLS connections the hosts accepted since they started. */
      readonly connections: number;
      /** DNS questions the lab's server answered since it started. */
      readonly dnsQueries: number;
    };

/** What the parent asks (IPC). */
export type MonitorLabRequest = { readonly type: 'usage' } | { readonly type: 'close' };

/**
 * The lab, as check-throughput builds it: `hostCount` federation hosts, each with one wildcard certificate
 * `*.bench.test` and the routes of a working homeserver that signs its keys for the Host header's name; names
 * `s<i>.bench.test` with one A record each, round-robin over the hosts. No well-known (nothing listens on the HTTPS
 * port: refused at once) and no SRV (NXDOMAIN): every check takes the spec's step 6, the most common set-up.
 */
async function main(): Promise<void> {
  const names = Number(process.argv[2]);
  const hostCount = Number(process.argv[3]);
  if (!Number.isInteger(names) || names < 1 || !Number.isInteger(hostCount) || hostCount < 1)
    throw new Error('usage: _monitor-lab.ts NAMES HOSTS (run by bench/monitor.ts)');
  const seed = generateEd25519Seed();
  const routes: NonNullable<LabHostSpec['routes']> = {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': (request) => ({
      json: buildSignedKeyResponse({
        serverName: (request.host ?? '').replace(/:\d+$/, '').toLowerCase(),
        keyId: 'ed25519:bench',
        seed,
        validUntilTs: Date.now() + 86_400_000,
      }),
    }),
  };
  const hosts: Record<string, LabHostSpec> = {};
  for (let h = 0; h < hostCount; h++)
    hosts[`h${h}`] = { port: 'federation', certificates: [{ dnsNames: [`*.${MONITOR_LAB_ZONE}`] }], routes };
  const zones: Record<string, LabNameSpec> = {};
  for (let i = 0; i < names; i++) zones[monitorLabName(i)] = { A: [`h${i % hostCount}`] };
  const lab = await startLab({ zones, hosts });
  const send = (message: MonitorLabMessage): void => void process.send?.(message);
  process.on('message', (request: MonitorLabRequest) => {
    if (request.type === 'usage') {
      const cpu = process.cpuUsage();
      send({
        type: 'usage',
        cpuMs: (cpu.user + cpu.system) / 1000,
        connections: Object.values(lab.hosts).reduce((sum, h) => sum + h.connectionCount, 0),
        dnsQueries: lab.dns.queries.length,
      });
    } else {
      void lab.close().then(() => process.exit(0));
    }
  });
  // The parent gone (killed, crashed): no lab left behind.
  process.on('disconnect', () => void lab.close().then(() => process.exit(0)));
  send({
    type: 'ready',
    clientOptions: lab.clientOptions(),
    hostNetworks: Object.values(lab.hosts).map((h) =>
      h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
    ),
  });
}

if (process.send !== undefined)
  main().catch((error: unknown) => {
    process.stderr.write(`monitor lab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
