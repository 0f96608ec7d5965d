// Benchmark: full federation checks per second over a lab of many simulated servers, next to the raw TLS handshake rate of the same machine.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { checkServer } from '../src/checker/check.js';
import { buildSignedKeyResponse, generateEd25519Seed, type SignedKeyResponse } from '../src/keys/index.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabHostSpec, LabNameSpec } from '../src/testing/index.js';
import { cpuModel, median, numberOption, percentile, runAsScript } from './_shared.js';

/** Options of {@link runCheckThroughput}; defaults in brackets. */
export interface CheckThroughputOptions {
  /** Simulated servers (zone names `s<i>.bench.test`) [600]. */
  readonly servers?: number;
  /** Lab HTTPS hosts the names are spread over [4]. */
  readonly hosts?: number;
  /** Checks (and handshakes) in flight at once [16]. */
  readonly concurrency?: number;
  /** Rounds; each runs the three phases (checks with documents, handshakes, checks without documents) in turn [5]. */
  readonly rounds?: number;
  /** Seconds of checks per mode and round [2]. */
  readonly checkSeconds?: number;
  /** Seconds of raw TLS handshakes per round [1.5]. */
  readonly tlsSeconds?: number;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

const ZONE = 'bench.test';
/** The whole benchmark stops itself after this long, whatever happens (the lab is loopback-only anyway). */
const WATCHDOG_MS = 300_000;
/**
 * Seconds of untimed operations of each kind before the rounds: JIT (a check runs much code, optimised over the first
 * few hundred), module compilation and TLS contexts are start-up costs.
 */
const WARM_UP_SECONDS = 2;
/** How long the lab's key responses are valid (`valid_until_ts` - now when signed). */
const KEY_VALIDITY_MS = 86_400_000;

/** What one timed phase measured. */
interface Phase {
  readonly count: number;
  readonly failures: number;
  readonly seconds: number;
  /** CPU time of the whole process (every thread; the lab's side included), ms. */
  readonly cpuMs: number;
  /** CPU time of the main thread (the lab's side included; NaN where /proc cannot tell), ms. */
  readonly mainCpuMs: number;
  /** Latencies of the operations, ms (unsorted). */
  readonly samplesMs: readonly number[];
  readonly firstFailure: string | null;
}

/**
 * CPU time of this process's main thread so far, ms (utime + stime of /proc/self/task/<pid>/stat, in the kernel's
 * USER_HZ ticks of 10 ms), or NaN without /proc. The rates of a shared machine drift with other work; what one
 * operation costs the thread that runs the checks drifts much less (GC and other helper threads left out).
 */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After the command's closing parenthesis: state is field 3, utime field 14 and stime field 15 (proc(5)).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** An operation of a phase: resolves null on success or a failure description. */
type Operation = (i: number) => Promise<string | null>;

/**
 * Runs `op` with `concurrency` workers until `seconds` have passed (operations started before the deadline
 * finish and count). `next` hands out the operations' numbers (shared by the phases: each check a name in turn).
 */
async function runPhase(concurrency: number, seconds: number, op: Operation, next: () => number): Promise<Phase> {
  const samples: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const failure = await op(next());
      samples.push(performance.now() - t0);
      if (failure !== null) {
        failures++;
        firstFailure ??= failure;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    count: samples.length,
    failures,
    seconds: elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainCpuMs: mainThreadCpuMs() - mainBefore,
    samplesMs: samples,
    firstFailure,
  };
}

/** The phases of one kind over all rounds, added up. */
function combine(phases: readonly Phase[]): Phase {
  return {
    count: phases.reduce((n, p) => n + p.count, 0),
    failures: phases.reduce((n, p) => n + p.failures, 0),
    seconds: phases.reduce((n, p) => n + p.seconds, 0),
    cpuMs: phases.reduce((n, p) => n + p.cpuMs, 0),
    mainCpuMs: phases.reduce((n, p) => n + p.mainCpuMs, 0),
    samplesMs: phases.flatMap((p) => p.samplesMs).sort((x, y) => x - y),
    firstFailure: phases.find((p) => p.firstFailure !== null)?.firstFailure ?? null,
  };
}

/** Untimed warm-up: operations for `seconds`, `concurrency` at a time; a failure throws (the set-up is wrong). */
async function warmUp(concurrency: number, seconds: number, op: Operation, next: () => number): Promise<void> {
  const phase = await runPhase(concurrency, seconds, op, next);
  if (phase.firstFailure !== null) throw new Error(`warm-up failed: ${phase.firstFailure}`);
}

/**
 * The lab: `hostCount` federation hosts, each with one wildcard certificate `*.bench.test` (so one host serves
 * every name) and the routes of a working homeserver that signs its keys for the Host header's name (a key per name);
 * zone
 * names `s<i>.bench.test` with one A record each, round-robin over the hosts. No well-known and no SRV: nothing
 * listens on the lab's HTTPS port at those addresses (refused at once), `_matrix-fed` / `_matrix` names are
 * absent (NXDOMAIN), so every check takes step 6 (A/AAAA, default port) — the most common real set-up.
 */
export async function startBenchLab(serverCount: number, hostCount: number): Promise<Lab> {
  // A signing key per name, as each server has its own (a cache of decoded keys must not find them all alike). Each
  // name's key response is signed once, before the lab starts, and served as it is until half its validity is left, as
  // Synapse serves its own (it re-signs only then): signing per request would put a key derivation and a signature per
  // check on the lab's side, and signing on first use would put them on the first checks of each name.
  const signed = new Map<string, SignedKeyResponse>();
  const seeds = new Map<string, Uint8Array>();
  const sign = (serverName: string, now: number): SignedKeyResponse => {
    let seed = seeds.get(serverName);
    if (seed === undefined) seeds.set(serverName, (seed = generateEd25519Seed()));
    const body = buildSignedKeyResponse({
      serverName,
      keyId: 'ed25519:bench',
      seed,
      validUntilTs: now + KEY_VALIDITY_MS,
    });
    signed.set(serverName, body);
    return body;
  };
  for (let i = 0; i < serverCount; i++) sign(serverName(i), Date.now());
  const keyResponse = (name: string): SignedKeyResponse => {
    const now = Date.now();
    const body = signed.get(name);
    return body !== undefined && body.valid_until_ts - now >= KEY_VALIDITY_MS / 2 ? body : sign(name, now);
  };
  const routes: NonNullable<LabHostSpec['routes']> = {
    'GET /_matrix/federation/v1/version': { json: { server: { name: 'Synapse', version: '1.140.0' } } },
    'GET /_matrix/key/v2/server': (request) => ({
      json: keyResponse((request.host ?? '').replace(/:\d+$/, '').toLowerCase()),
    }),
  };
  const hosts: Record<string, LabHostSpec> = {};
  for (let h = 0; h < hostCount; h++)
    hosts[`h${h}`] = { port: 'federation', certificates: [{ dnsNames: [`*.${ZONE}`] }], routes };
  const zones: Record<string, LabNameSpec> = {};
  for (let i = 0; i < serverCount; i++) zones[serverName(i)] = { A: [`h${i % hostCount}`] };
  return startLab({ zones, hosts });
}

/** The `i`-th simulated server's name (`s<i>.bench.test`). */
export const serverName = (i: number): string => `s${i}.${ZONE}`;

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
const rate = (p: Phase): number => p.count / p.seconds;

/** The target: checks/s at least this share of the raw handshake rate of the same run (issue 19). */
const TARGET_RATIO = 0.4;

/**
 * Runs the benchmark: starts the lab, then runs `rounds` rounds of three timed phases, each with bounded concurrency:
 * full `checkServer` calls over the simulated servers with the client/support documents, raw TLS handshakes against
 * one lab host, and checks without the documents (the order reversed every other round, so that the handshakes sit
 * between the two kinds of checks and a drift of the machine's speed weighs on both alike). Every report must say
 * `federationOk` (failures are counted and reported). Writes a markdown section with the rates, each round's ratio of
 * checks/s to handshakes/s of the same round, and their medians (the machine's speed drifts more between phases than
 * the costs compared, so the ratios are paired per round).
 *
 * @example
 * ```ts
 * await runCheckThroughput({ servers: 500, concurrency: 16, rounds: 3, checkSeconds: 2, tlsSeconds: 1 });
 * ```
 */
export async function runCheckThroughput(options: CheckThroughputOptions = {}): Promise<void> {
  const servers = options.servers ?? 600;
  const hostCount = options.hosts ?? 4;
  const concurrency = options.concurrency ?? 16;
  const rounds = options.rounds ?? 5;
  const checkSeconds = options.checkSeconds ?? 2;
  const tlsSeconds = options.tlsSeconds ?? 1.5;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));

  const lab = await startBenchLab(servers, hostCount);
  try {
    const hostNets = Object.values(lab.hosts).map((h) =>
      h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
    );
    const base = { ...lab.clientOptions(), allowNetworks: hostNets, operationTimeoutMs: 5_000 };
    const check =
      (checkDocuments: boolean): Operation =>
      async (i) => {
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
    const shake: Operation = (i) => handshake(target, port, serverName(i % servers), lab.caCertPem);
    let counter = 0;
    const next = (): number => counter++;

    const connections = (): number => Object.values(lab.hosts).reduce((sum, h) => sum + h.connectionCount, 0);
    const kinds = {
      documents: { op: check(true), seconds: checkSeconds, phases: [] as Phase[], connections: 0, queries: 0 },
      tls: { op: shake, seconds: tlsSeconds, phases: [] as Phase[], connections: 0, queries: 0 },
      noDocuments: { op: check(false), seconds: checkSeconds, phases: [] as Phase[], connections: 0, queries: 0 },
    };
    // The lab logs every request and DNS query it serves (tests read them): forgotten after each phase, once counted,
    // so that the log does not grow through the run and make every garbage collection of the process slower.
    const forgetLogs = (): void => {
      for (const host of Object.values(lab.hosts)) host.resetCounters();
      lab.dns.resetQueries();
    };
    for (const kind of Object.values(kinds)) {
      await warmUp(concurrency, WARM_UP_SECONDS, kind.op, next);
      forgetLogs();
    }
    for (let round = 0; round < rounds; round++) {
      const order = ['documents', 'tls', 'noDocuments'] as const;
      for (const name of round % 2 === 0 ? order : [...order].reverse()) {
        const kind = kinds[name];
        kind.phases.push(await runPhase(concurrency, kind.seconds, kind.op, next));
        kind.connections += connections();
        kind.queries += lab.dns.queries.length;
        forgetLogs();
      }
    }
    const withDocs = combine(kinds.documents.phases);
    const noDocs = combine(kinds.noDocuments.phases);
    const tls = combine(kinds.tls.phases);
    const ratios = (checks: readonly Phase[]): number[] => checks.map((p, r) => rate(p) / rate(kinds.tls.phases[r]!));
    const docsRatios = ratios(kinds.documents.phases);
    const noDocsRatios = ratios(kinds.noDocuments.phases);
    const docsMedian = median([...docsRatios].sort((x, y) => x - y));
    const noDocsMedian = median([...noDocsRatios].sort((x, y) => x - y));

    write(`## check-throughput\n\n`);
    write(
      `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}\n`,
    );
    write(
      `- lab: ${servers} simulated servers \`s<i>.${ZONE}\` (one A record each) over ${hostCount} HTTPS hosts on the federation port, ` +
        `one wildcard certificate \`*.${ZONE}\` each, a signing key per name (its key response signed once, as Synapse does); ` +
        `no well-known (nothing listens on the HTTPS port: refused), no SRV (NXDOMAIN): every check takes step 6; ` +
        `allowNetworks = the hosts' /32s\n`,
    );
    write(
      `- concurrency ${concurrency}; ${WARM_UP_SECONDS} s of untimed operations of each kind first; ${rounds} rounds of ${checkSeconds} s of checks with ` +
        `documents, ${tlsSeconds} s of handshakes and ${checkSeconds} s of checks without (in reverse every other round); ` +
        `the lab (DNS server, hosts) runs in the same Node process as the client\n\n`,
    );
    write(
      `| phase (all rounds) | ops | failures | seconds | ops/s | CPU ms per op (process) | CPU ms per op (main thread) | p50 ms | p95 ms | p99 ms |\n` +
        `|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n`,
    );
    const row = (label: string, p: Phase): string =>
      `| ${label} | ${p.count} | ${p.failures} | ${fmt(p.seconds, 2)} | ${fmt(rate(p))} | ${fmt(p.cpuMs / p.count, 2)} | ${fmt(p.mainCpuMs / p.count, 2)} | ` +
      `${fmt(percentile(p.samplesMs, 50))} | ${fmt(percentile(p.samplesMs, 95))} | ${fmt(percentile(p.samplesMs, 99))} |\n`;
    write(row('checkServer, checkDocuments: true', withDocs));
    write(row('checkServer, checkDocuments: false', noDocs));
    write(row('raw TLS handshake (node:tls, SNI, lab CA)', tls));
    write(
      `\n| round | checks/s (documents) | handshakes/s | checks/s (no documents) | ratio (documents) | ratio (no documents) |\n`,
    );
    write(`|--:|--:|--:|--:|--:|--:|\n`);
    for (let r = 0; r < rounds; r++)
      write(
        `| ${r + 1} | ${fmt(rate(kinds.documents.phases[r]!))} | ${fmt(rate(kinds.tls.phases[r]!))} | ` +
          `${fmt(rate(kinds.noDocuments.phases[r]!))} | ${fmt(docsRatios[r]!, 3)} | ${fmt(noDocsRatios[r]!, 3)} |\n`,
      );
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
      `- accepted connections (TLS handshakes) at the lab hosts per check: ${fmt(kinds.documents.connections / withDocs.count, 2)} (documents), ` +
        `${fmt(kinds.noDocuments.connections / noDocs.count, 2)} (no documents)\n`,
    );
    write(
      `- DNS queries at the lab server per check: ${fmt(kinds.documents.queries / withDocs.count, 2)} (documents), ` +
        `${fmt(kinds.noDocuments.queries / noDocs.count, 2)} (no documents)\n`,
    );
    const met = (ratio: number): string => (ratio >= TARGET_RATIO ? 'met' : 'NOT met');
    write(
      `- median ratio checks/s / handshakes/s of the same round: **${fmt(docsMedian, 3)}** (documents; target ${TARGET_RATIO}: ` +
        `${met(docsMedian)}), ${fmt(noDocsMedian, 3)} (no documents); handshakes per check at that rate: ` +
        `${fmt(1 / docsMedian, 2)} / ${fmt(1 / noDocsMedian, 2)}\n`,
    );
    // The same comparison by CPU time: a handshake's cost over a check's, per round (less swayed by other work).
    const cpuRatio = (checks: readonly Phase[], cost: (p: Phase) => number): number =>
      median(
        checks
          .map((p, r) => cost(kinds.tls.phases[r]!) / kinds.tls.phases[r]!.count / (cost(p) / p.count))
          .sort((x, y) => x - y),
      );
    const main = (p: Phase): number => p.mainCpuMs;
    const all = (p: Phase): number => p.cpuMs;
    write(
      `- by CPU time, handshake / check of the same round (median): main thread ${fmt(cpuRatio(kinds.documents.phases, main), 3)} ` +
        `(documents), ${fmt(cpuRatio(kinds.noDocuments.phases, main), 3)} (no documents); whole process ` +
        `${fmt(cpuRatio(kinds.documents.phases, all), 3)} / ${fmt(cpuRatio(kinds.noDocuments.phases, all), 3)}\n\n`,
    );
  } finally {
    await lab.close();
  }
}

const USAGE =
  `usage: check-throughput [--servers N (>= 1, default 600)] [--hosts H (4)] [--concurrency C (16)] [--rounds R (5)] ` +
  `[--check-seconds S (per mode and round, 2)] [--tls-seconds S (per round, 1.5)]`;

/** Command-line entry: parses the flags, runs, and exits (a watchdog ends a stuck run). */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      servers: { type: 'string' },
      hosts: { type: 'string' },
      concurrency: { type: 'string' },
      rounds: { type: 'string' },
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
    rounds: numberOption('rounds', values.rounds, 5, { integer: true, sign: 'positive' }),
    checkSeconds: numberOption('check-seconds', values['check-seconds'], 2, { integer: false, sign: 'positive' }),
    tlsSeconds: numberOption('tls-seconds', values['tls-seconds'], 1.5, { integer: false, sign: 'positive' }),
  });
  return 0;
}

runAsScript(import.meta.url, main, { name: 'check-throughput', watchdogMs: WATCHDOG_MS });
