// Benchmark: full federation checks per second over a lab of many simulated servers, next to the raw TLS handshake rate of the same machine.

import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { checkServer } from '../src/checker/check.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../src/keys/index.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabHostSpec, LabNameSpec } from '../src/testing/index.js';
import { cpuModel, numberOption, percentile, runAsScript } from './_shared.js';

/** Options of {@link runCheckThroughput}; defaults in brackets. */
export interface CheckThroughputOptions {
  /** Simulated servers (zone names `s<i>.bench.test`) [600]. */
  readonly servers?: number;
  /** Lab HTTPS hosts the names are spread over [4]. */
  readonly hosts?: number;
  /** Checks (and handshakes) in flight at once [16]. */
  readonly concurrency?: number;
  /** Seconds of checks per mode (with and without the client/support documents) [8]. */
  readonly checkSeconds?: number;
  /** Seconds of raw TLS handshakes [5]. */
  readonly tlsSeconds?: number;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

const ZONE = 'bench.test';
/** The whole benchmark stops itself after this long, whatever happens (the lab is loopback-only anyway). */
const WATCHDOG_MS = 120_000;
/** Untimed operations before each measured phase: JIT, module compilation and TLS contexts are start-up costs. */
const WARM_UP = 32;

/** What one timed phase measured. */
interface Phase {
  readonly count: number;
  readonly failures: number;
  readonly seconds: number;
  /** Sorted latencies of the operations, ms. */
  readonly samplesMs: readonly number[];
  readonly firstFailure: string | null;
}

/**
 * Runs `op` with `concurrency` workers until `seconds` have passed (operations started before the deadline
 * finish and count). `op(i)` resolves to null on success or a failure description.
 */
async function runPhase(
  concurrency: number,
  seconds: number,
  op: (i: number) => Promise<string | null>,
): Promise<Phase> {
  const samples: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const failure = await op(i);
      samples.push(performance.now() - t0);
      if (failure !== null) {
        failures++;
        firstFailure ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  return { count: samples.length, failures, seconds: elapsed, samplesMs: samples.sort((a, b) => a - b), firstFailure };
}

/** Untimed warm-up: `count` operations, `concurrency` at a time; failures throw (the set-up is wrong). */
async function warmUp(concurrency: number, count: number, op: (i: number) => Promise<string | null>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const failure = await op(next++);
      if (failure !== null) throw new Error(`warm-up failed: ${failure}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The lab: `hostCount` federation hosts, each with one wildcard certificate `*.bench.test` (so one host serves
 * every name) and the routes of a working homeserver that signs its keys for the Host header's name; zone
 * names `s<i>.bench.test` with one A record each, round-robin over the hosts. No well-known and no SRV: nothing
 * listens on the lab's HTTPS port at those addresses (refused at once), `_matrix-fed` / `_matrix` names are
 * absent (NXDOMAIN), so every check takes step 6 (A/AAAA, default port) — the most common real set-up.
 */
async function startBenchLab(serverCount: number, hostCount: number): Promise<Lab> {
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
    hosts[`h${h}`] = { port: 'federation', certificates: [{ dnsNames: [`*.${ZONE}`] }], routes };
  const zones: Record<string, LabNameSpec> = {};
  for (let i = 0; i < serverCount; i++) zones[serverName(i)] = { A: [`h${i % hostCount}`] };
  return startLab({ zones, hosts });
}

const serverName = (i: number): string => `s${i}.${ZONE}`;

/** One TLS handshake against `address:port` with SNI `servername`, trusting the lab CA; resolves null or an error text. */
function handshake(address: string, port: number, servername: string, ca: string): Promise<string | null> {
  return new Promise<string | null>((resolve) => {
    const socket = tlsConnect({ host: address, port, servername, ca: [ca] });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 5_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const ok = socket.authorized;
      const reason = socket.authorizationError;
      socket.destroy();
      resolve(ok ? null : `not authorized: ${String(reason)}`);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error.message);
    });
  });
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);

/**
 * Runs the benchmark: starts the lab, then with bounded concurrency runs full `checkServer` calls over the
 * simulated servers for a fixed time, once with the client/support documents and once without (every report
 * must say `federationOk`; failures are counted and reported), then raw TLS handshakes against one lab host,
 * and writes a markdown section with checks/s, handshakes/s and their ratio.
 *
 * @example
 * ```ts
 * await runCheckThroughput({ servers: 500, concurrency: 16, checkSeconds: 5, tlsSeconds: 3 });
 * ```
 */
export async function runCheckThroughput(options: CheckThroughputOptions = {}): Promise<void> {
  const servers = options.servers ?? 600;
  const hostCount = options.hosts ?? 4;
  const concurrency = options.concurrency ?? 16;
  const checkSeconds = options.checkSeconds ?? 8;
  const tlsSeconds = options.tlsSeconds ?? 5;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));

  const lab = await startBenchLab(servers, hostCount);
  try {
    const hostNets = Object.values(lab.hosts).map((h) =>
      h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
    );
    const base = { ...lab.clientOptions(), allowNetworks: hostNets, operationTimeoutMs: 5_000 };
    const check =
      (checkDocuments: boolean) =>
      async (i: number): Promise<string | null> => {
        const name = serverName(i % servers);
        try {
          const report = await checkServer(name, { ...base, checkDocuments });
          return report.federationOk ? null : `${name}: federationOk false (${report.summary})`;
        } catch (error) {
          return `${name}: ${error instanceof Error ? error.message : String(error)}`;
        }
      };
    const target = lab.address('h0');
    const port = lab.ports.federation;
    const shake = (i: number): Promise<string | null> =>
      handshake(target, port, serverName(i % servers), lab.caCertPem);

    const connections = (): number => Object.values(lab.hosts).reduce((sum, h) => sum + h.connectionCount, 0);
    await warmUp(concurrency, WARM_UP, check(true));
    let before = connections();
    let queriesBefore = lab.dns.queries.length;
    const withDocs = await runPhase(concurrency, checkSeconds, check(true));
    const connsWithDocs = (connections() - before) / withDocs.count;
    const queriesWithDocs = (lab.dns.queries.length - queriesBefore) / withDocs.count;
    await warmUp(concurrency, WARM_UP, check(false));
    before = connections();
    queriesBefore = lab.dns.queries.length;
    const noDocs = await runPhase(concurrency, checkSeconds, check(false));
    const connsNoDocs = (connections() - before) / noDocs.count;
    const queriesNoDocs = (lab.dns.queries.length - queriesBefore) / noDocs.count;
    await warmUp(concurrency, WARM_UP, shake);
    const tls = await runPhase(concurrency, tlsSeconds, shake);

    const rate = (p: Phase): number => p.count / p.seconds;
    write(`## check-throughput\n\n`);
    write(
      `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}\n`,
    );
    write(
      `- lab: ${servers} simulated servers \`s<i>.${ZONE}\` (one A record each) over ${hostCount} HTTPS hosts on the federation port, ` +
        `one wildcard certificate \`*.${ZONE}\` each, keys signed per Host name; no well-known (nothing listens on the HTTPS port: refused), ` +
        `no SRV (NXDOMAIN): every check takes step 6; allowNetworks = the hosts' /32s\n`,
    );
    write(
      `- concurrency ${concurrency}; ${WARM_UP} untimed operations before each phase; the lab (DNS server, hosts) runs in the same Node process as the client\n\n`,
    );
    write(
      `| phase | ops | failures | seconds | ops/s | p50 ms | p95 ms | p99 ms |\n|---|--:|--:|--:|--:|--:|--:|--:|\n`,
    );
    const row = (label: string, p: Phase): string =>
      `| ${label} | ${p.count} | ${p.failures} | ${fmt(p.seconds, 2)} | ${fmt(rate(p))} | ${fmt(percentile(p.samplesMs, 50))} | ${fmt(percentile(p.samplesMs, 95))} | ${fmt(percentile(p.samplesMs, 99))} |\n`;
    write(row('checkServer, checkDocuments: true', withDocs));
    write(row('checkServer, checkDocuments: false', noDocs));
    write(row('raw TLS handshake (node:tls, SNI, lab CA)', tls));
    write(`\n`);
    write(
      `- checks with federationOk true: ${withDocs.count - withDocs.failures} / ${withDocs.count} (documents), ${noDocs.count - noDocs.failures} / ${noDocs.count} (no documents)\n`,
    );
    for (const [label, p] of [
      ['documents', withDocs],
      ['no documents', noDocs],
      ['tls', tls],
    ] as const) {
      if (p.firstFailure !== null) write(`- first failure (${label}): ${p.firstFailure}\n`);
    }
    write(
      `- accepted connections (TLS handshakes) at the lab hosts per check: ${fmt(connsWithDocs, 2)} (documents), ${fmt(connsNoDocs, 2)} (no documents)\n`,
    );
    write(
      `- DNS queries at the lab server per check: ${fmt(queriesWithDocs, 2)} (documents), ${fmt(queriesNoDocs, 2)} (no documents)\n`,
    );
    write(
      `- ratio checks/s / handshakes/s: ${fmt(rate(withDocs) / rate(tls), 3)} (documents), ${fmt(rate(noDocs) / rate(tls), 3)} (no documents); ` +
        `handshakes per check at that rate: ${fmt(rate(tls) / rate(withDocs), 2)} / ${fmt(rate(tls) / rate(noDocs), 2)}\n\n`,
    );
  } finally {
    await lab.close();
  }
}

const USAGE = `usage: check-throughput [--servers N (>= 1, default 600)] [--hosts H] [--concurrency C] [--check-seconds S] [--tls-seconds S]`;

/** Command-line entry: parses the flags, runs, and exits (a watchdog ends a stuck run). */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      servers: { type: 'string' },
      hosts: { type: 'string' },
      concurrency: { type: 'string' },
      'check-seconds': { type: 'string' },
      'tls-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await runCheckThroughput({
    servers: numberOption('servers', values.servers, 600, { integer: true, sign: 'positive' }),
    hosts: numberOption('hosts', values.hosts, 4, { integer: true, sign: 'positive' }),
    concurrency: numberOption('concurrency', values.concurrency, 16, { integer: true, sign: 'positive' }),
    checkSeconds: numberOption('check-seconds', values['check-seconds'], 8, { integer: false, sign: 'positive' }),
    tlsSeconds: numberOption('tls-seconds', values['tls-seconds'], 5, { integer: false, sign: 'positive' }),
  });
  return 0;
}

runAsScript(import.meta.url, main, { name: 'check-throughput', watchdogMs: WATCHDOG_MS });
