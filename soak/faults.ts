// Soak case 6: the long variants of the fault-injection tests (test/hardening/faults-*.test.ts), on loopback, bounded in time.

import { createDnsClient } from '../src/dns/index.js';
import { checkServer } from '../src/checker/check.js';
import { checkAddress, createCheckClient } from '../src/checker/check-address.js';
import { buildSignedKeyResponse, generateEd25519Seed } from '../src/keys/index.js';
import { createAddressPolicy } from '../src/net/address-policy.js';
import type { ResolvedTarget } from '../src/resolver/types.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabResponse } from '../src/testing/index.js';
import { fetchWellKnownServer } from '../src/well-known/fetch.js';
import type { WellKnownFetchOptions } from '../src/well-known/types.js';
import { gzipBomb } from '../support/fault-tools.js';
import type { SoakCaseResult, SoakRow } from './report.js';

/** Settings of the fault soak; the defaults keep it near two minutes. */
export interface FaultSoakSettings {
  /** Budget of the slow fetches (1 byte per second, endless headers), in ms. */
  readonly slowBudgetMs: number;
  /** Huge and compressed bodies fetched one after another. */
  readonly hugeBodies: number;
  /** TLS handshakes that stall, all at once. */
  readonly stalledHandshakes: number;
  /** Connect budget of those handshakes, in ms. */
  readonly connectBudgetMs: number;
  /** DNS questions nobody answers, all at once. */
  readonly droppedQuestions: number;
  /** Checks of a name listing one server 1 000 times. */
  readonly fanOutChecks: number;
  /** Largest accepted growth of resident memory (floor to floor, see {@link FloorSampler}), in MiB. */
  readonly maxGrowthMib: number;
}

/** The defaults. */
export const FAULT_SOAK_DEFAULTS: FaultSoakSettings = {
  slowBudgetMs: 30_000,
  hugeBodies: 200,
  stalledHandshakes: 500,
  connectBudgetMs: 5_000,
  droppedQuestions: 2_000,
  fanOutChecks: 10,
  maxGrowthMib: 64,
};

const CASE = '6. faults';
const MiB = 1024 * 1024;
const seed = generateEd25519Seed();

/** Samples this process's resident memory every 100 ms; the floor of the last third against that of the first. */
class FloorSampler {
  private readonly samples: number[] = [];
  private readonly timer = setInterval(() => this.samples.push(process.memoryUsage.rss()), 100);

  /** Stops and returns the rise of the floor (the lowest sample) from the first third to the last, in bytes. */
  stop(): { floorGrowth: number; peak: number } {
    clearInterval(this.timer);
    this.samples.push(process.memoryUsage.rss());
    const third = Math.max(1, Math.floor(this.samples.length / 3));
    const first = Math.min(...this.samples.slice(0, third));
    const last = Math.min(...this.samples.slice(-third));
    return { floorGrowth: last - first, peak: Math.max(...this.samples) - first };
  }
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; s: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, s: (performance.now() - started) / 1000 };
}

/** The lab of the soak: one web host answering per Host header, a stalled host, a hostile federation host, a fan-out name. */
async function startFaultLab(): Promise<Lab> {
  const bomb = gzipBomb(480);
  const byHost: Readonly<Record<string, LabResponse>> = {
    'good.test': { json: { 'm.server': 'matrix.good.test:443' } },
    'slow-body.test': { json: { 'm.server': 'matrix.slow-body.test:443' }, bodyBytesPerSecond: 1 },
    'endless.test': { endlessHeadersBytesPerSecond: 10 },
    'gigabyte.test': {
      json: { 'm.server': 'matrix.gigabyte.test:443' },
      padToBytes: 1024 * MiB,
      headers: { 'transfer-encoding': 'chunked' },
    },
  };
  return startLab({
    zones: {
      ...Object.fromEntries(Object.keys(byHost).map((name) => [name, { A: ['web'] }])),
      'stall.test': { A: ['stall'] },
      'drop.test': { drop: true },
      'fed.test': { A: ['fed'] },
      'victim.test': { A: Array.from({ length: 1_000 }, () => 'fed') },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': (req) => byHost[(req.host ?? '').replace(/:\d+$/, '')] ?? { status: 404 },
        },
      },
      stall: { acceptDelayMs: 60_000 },
      fed: {
        port: 'federation',
        fallback: (req) => {
          const host = req.host ?? '';
          if (req.path === '/_matrix/federation/v1/version') return { json: { server: { name: 'Lab', version: '1' } } };
          if (host.startsWith('bomb.'))
            return { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb };
          return {
            json: buildSignedKeyResponse({
              serverName: host,
              keyId: 'ed25519:a',
              seed,
              validUntilTs: Date.now() + 86_400_000,
            }),
          };
        },
      },
    },
  });
}

function fetchOptions(lab: Lab, overrides: Partial<WellKnownFetchOptions> = {}): WellKnownFetchOptions {
  const client = lab.clientOptions();
  return {
    dns: createDnsClient({ servers: client.dnsServers, timeoutMs: 2_000 }),
    policy: createAddressPolicy({ allowNetworks: client.allowNetworks }),
    port: lab.ports.https,
    ca: client.ca,
    ...overrides,
  };
}

/** Fetches good.test in a loop until `until` settles: how many fetches, how many failed, the slowest. */
async function goodLoop(
  lab: Lab,
  until: Promise<unknown>,
): Promise<{ count: number; failed: number; slowestMs: number }> {
  let done = false;
  void until.finally(() => (done = true));
  const options = fetchOptions(lab, { timeoutMs: 5_000 });
  let count = 0;
  let failed = 0;
  let slowestMs = 0;
  while (!done) {
    const started = performance.now();
    const r = await fetchWellKnownServer('good.test', options);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    count++;
    if (r.status !== 'delegated') failed++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { count, failed, slowestMs };
}

/**
 * Runs the long fault variants against one lab: a 30 s body at one byte per second and 30 s of endless headers
 * (beside a good client fetching all along), a thousand 1 GiB chunked well-knowns and key-response gzip bombs
 * (memory floor checked), 500 TLS handshakes stalling at once, 5 000 DNS questions nobody answers, and checks of
 * a name listing one server 1 000 times (connections counted). Never throws for a failed check: that is a failing row.
 *
 * @example
 * ```ts
 * const result = await runFaultSoak(console.log);
 * for (const row of result.rows) console.log(row.sent, row.outcome, row.pass);
 * ```
 */
export async function runFaultSoak(
  log: (line: string) => void = () => undefined,
  settings: FaultSoakSettings = FAULT_SOAK_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const row = (sent: string, count: string, s: number, outcome: string, pass: boolean): void => {
    rows.push({ case: CASE, sent, count, durationS: s, outcome, pass });
    log(`${pass ? 'pass' : 'FAIL'}  ${sent}: ${outcome}`);
  };
  const lab = await startFaultLab();
  try {
    // 1-2. Slow answers for the whole budget, beside a good client.
    log(`slow body and endless headers for ${settings.slowBudgetMs / 1000} s ...`);
    const budget = settings.slowBudgetMs;
    const slow = Promise.all([
      timed(() => fetchWellKnownServer('slow-body.test', fetchOptions(lab, { timeoutMs: budget }))),
      timed(() => fetchWellKnownServer('endless.test', fetchOptions(lab, { timeoutMs: budget }))),
    ]);
    const [good, [body, head]] = await Promise.all([goodLoop(lab, slow), slow]);
    for (const [what, r] of [
      ['a well-known body at 1 byte per second', body],
      ['well-known headers that never end (10 bytes per second)', head],
    ] as const) {
      const ok = r.value.code === 'TIMEOUT' && r.s * 1000 >= budget - 100 && r.s * 1000 < budget + 1_000;
      row(
        what,
        '1 fetch',
        r.s,
        `${r.value.status} ${String(r.value.code)} after ${r.s.toFixed(1)} s (budget ${budget / 1000} s)`,
        ok,
      );
    }
    row(
      'good well-known fetches meanwhile',
      `${good.count} fetches`,
      Math.max(body.s, head.s),
      `${good.failed} failed, slowest ${good.slowestMs.toFixed(0)} ms`,
      // Loopback answers in milliseconds; the bound leaves room for a loaded machine, far below the 30 s of the faults.
      good.failed === 0 && good.count > 0 && good.slowestMs < 2_000,
    );

    // 3. Huge bodies one after another: reading stops at the limit every time, memory stays flat.
    log(`${settings.hugeBodies} chunked 1 GiB well-knowns and ${settings.hugeBodies} key gzip bombs ...`);
    {
      const sampler = new FloorSampler();
      const options = fetchOptions(lab, { timeoutMs: 10_000 });
      const r = await timed(async () => {
        let wrong = 0;
        for (let i = 0; i < settings.hugeBodies; i++) {
          const result = await fetchWellKnownServer('gigabyte.test', options);
          if (result.code !== 'WELL_KNOWN_TOO_LARGE') wrong++;
        }
        return wrong;
      });
      const memory = sampler.stop();
      row(
        'a 1 GiB chunked well-known',
        `${settings.hugeBodies} fetches`,
        r.s,
        `${settings.hugeBodies - r.value} WELL_KNOWN_TOO_LARGE, ${r.value} other; memory floor ${mib(memory.floorGrowth)}, peak +${mib(memory.peak)}`,
        r.value === 0 && memory.floorGrowth < settings.maxGrowthMib * MiB,
      );
    }
    {
      const options = lab.clientOptions();
      const client = createCheckClient({
        dnsServers: options.dnsServers,
        allowNetworks: options.allowNetworks,
        ca: options.ca,
        connectTimeoutMs: 5_000,
        requestTimeoutMs: 5_000,
      });
      const target: ResolvedTarget = {
        step: '2',
        ip: lab.address('fed'),
        port: lab.ports.federation,
        hostHeader: 'bomb.fed.test',
        tlsServerName: 'fed.test',
        sni: 'fed.test',
        addressOf: 'fed.test',
        srv: null,
      };
      const sampler = new FloorSampler();
      const r = await timed(async () => {
        let wrong = 0;
        for (let i = 0; i < settings.hugeBodies; i++) {
          const report = await checkAddress(target, {
            serverName: 'bomb.fed.test',
            client,
            ca: options.ca,
            operationTimeoutMs: 5_000,
            now: Date.now,
          });
          if (report.keys?.problems[0]?.code !== 'KEYS_INVALID_RESPONSE') wrong++;
        }
        return wrong;
      });
      await client.close();
      const memory = sampler.stop();
      row(
        'a key response that is a gzip bomb (480 MiB in 490 KB)',
        `${settings.hugeBodies} checks`,
        r.s,
        `${settings.hugeBodies - r.value} KEYS_INVALID_RESPONSE, ${r.value} other; memory floor ${mib(memory.floorGrowth)}, peak +${mib(memory.peak)}`,
        r.value === 0 && memory.floorGrowth < settings.maxGrowthMib * MiB,
      );
    }

    // 4. Many stalled TLS handshakes at once: each ends at its connect budget, none waits for another.
    log(`${settings.stalledHandshakes} stalled TLS handshakes at once ...`);
    {
      // The address is given, so that only the handshakes are measured: hundreds of DNS questions sent in one burst
      // overflow the lab DNS server's UDP receive buffer, and the lost ones end DNS_TIMEOUT instead (see the notes).
      const options = fetchOptions(lab, {
        timeoutMs: settings.connectBudgetMs * 2,
        connectTimeoutMs: settings.connectBudgetMs,
        addresses: [lab.address('stall')],
      });
      const r = await timed(() =>
        Promise.all(
          Array.from({ length: settings.stalledHandshakes }, () =>
            timed(() => fetchWellKnownServer('stall.test', options)),
          ),
        ),
      );
      const timeouts = r.value.filter((x) => x.value.code === 'TIMEOUT').length;
      const slowest = Math.max(...r.value.map((x) => x.s));
      row(
        'TLS handshakes that never start',
        `${settings.stalledHandshakes} at once`,
        r.s,
        `${timeouts} TIMEOUT, the slowest after ${slowest.toFixed(1)} s (connect budget ${settings.connectBudgetMs / 1000} s)`,
        timeouts === settings.stalledHandshakes && slowest * 1000 < settings.connectBudgetMs + 1_000,
      );
    }

    // 5. DNS questions nobody answers, all at once.
    log(`${settings.droppedQuestions} DNS questions nobody answers ...`);
    {
      const dns = createDnsClient({ servers: [lab.dns.server], timeoutMs: 2_000, attempts: 1 });
      const sampler = new FloorSampler();
      const r = await timed(() =>
        Promise.all(Array.from({ length: settings.droppedQuestions }, () => dns.resolve4('drop.test'))),
      );
      const memory = sampler.stop();
      const timeouts = r.value.filter((a) => !a.ok && a.code === 'DNS_TIMEOUT').length;
      row(
        'DNS questions that are never answered',
        `${settings.droppedQuestions} at once`,
        r.s,
        `${timeouts} DNS_TIMEOUT in ${r.s.toFixed(1)} s (budget 2 s); memory peak +${mib(memory.peak)}`,
        timeouts === settings.droppedQuestions && r.s < 3,
      );
    }

    // 6. A name listing one server 1 000 times: each check contacts it a bounded number of times.
    log(`${settings.fanOutChecks} checks of a name listing one server 1 000 times ...`);
    {
      const fed = lab.hosts['fed']!;
      const options = lab.clientOptions();
      let worst = 0;
      const r = await timed(async () => {
        for (let i = 0; i < settings.fanOutChecks; i++) {
          fed.resetCounters();
          await checkServer(`victim.test:${lab.ports.federation}`, {
            ...options,
            operationTimeoutMs: 5_000,
            checkDocuments: false,
          });
          worst = Math.max(worst, fed.connectionCount);
        }
      });
      row(
        'checks of a name whose 1 000 A records all point at one server',
        `${settings.fanOutChecks} checks`,
        r.s,
        `at most ${worst} connections to that server per check (32 addresses checked of 1 000)`,
        worst <= 40,
      );
    }
    notes.push(
      'Every socket is on loopback: the lab DNS server and HTTPS hosts (src/testing). The fast subset of the same faults runs in ' +
        '`npm test` (test/hardening/faults-*.test.ts); soak/faults-table.md lists its cases.',
      'DNS questions sent in one burst of several hundred are partly lost before the lab DNS server reads them (its ' +
        'UDP receive buffer holds about a hundred queries): they end DNS_TIMEOUT. A resolver that asks 2 000 questions ' +
        'at once for a 1 000-record SRV set meets the same loss (see test/hardening/faults-dns.test.ts).',
      `Memory is this process's resident set (the client side of every fault), sampled every 100 ms; "floor" compares the lowest ` +
        `sample of the last third with that of the first third (bound ${settings.maxGrowthMib} MiB).`,
    );
  } catch (error) {
    row(
      'the fault soak itself',
      '-',
      (performance.now() - started) / 1000,
      `error: ${(error as Error).message}`,
      false,
    );
  } finally {
    await lab.close();
  }
  return { name: CASE, rows, notes, durationS: (performance.now() - started) / 1000 };
}
