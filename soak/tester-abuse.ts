// Abuse of the tester: a flooding client, many clients at once against the cap, and names that lead to private addresses.

import { randomInt } from 'node:crypto';
import { checkServer } from '../src/checker/check.js';
import type { CheckOptions } from '../src/checker/types.js';
import { generateEd25519Seed } from '../src/keys/index.js';
import { parseConfigOrThrow } from '../src/config/index.js';
import type { ServeConfig } from '../src/config/index.js';
import { createServerLogger } from '../src/server/logger.js';
import { startServer } from '../src/server/serve.js';
import type { RunningServer } from '../src/server/serve.js';
import type { CheckFunction } from '../src/server/tester/runner.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabHostSpec, LabRequest, LabZones } from '../src/testing/index.js';
import { requestOnce } from './good-client.js';
import type { GoodAnswer } from './good-client.js';
import { labHomeserverRoutes } from '../support/lab-homeserver.js';

/** Sizes of the tester lab. */
export interface TesterLabSettings {
  /** Names `cap-N.example.org` served by the slow homeserver (one per request of the cap scenario). */
  readonly capNames: number;
  /** How long the slow homeserver takes to answer its version endpoint. */
  readonly slowMs: number;
  /** Names `ok-N.example.org` served by the working homeserver [0]. */
  readonly goodNames?: number;
  /** Names `trap-N.example.org` whose address is the trap address [0]. */
  readonly trapNames?: number;
}

/** The names that lead to the trap addresses, each a different way of getting there. */
export const PRIVATE_NAME_KINDS = [
  'A record',
  'CNAME',
  'SRV target',
  'well-known delegation to a name',
  'well-known delegation to an IP literal',
  'A records mixing allowed and trap addresses',
  'IP literal',
] as const;

/** A lab for the tester: working homeservers, a slow one, a well-known delegator, and two trap servers nothing may reach. */
export interface TesterLab {
  readonly lab: Lab;
  /** The trap address (loopback, but not in the allow-list); trap servers listen on both lab ports there. */
  readonly trapAddress: string;
  /** The names to check that must never reach the trap, by kind. */
  readonly privateNames: ReadonlyMap<(typeof PRIVATE_NAME_KINDS)[number], string>;
  /** TCP connections and requests the trap servers saw. */
  trapContacts(): { readonly connections: number; readonly requests: number };
  /** Checker options: the lab's DNS, CA and ports, and an allow-list of the non-trap hosts only. */
  checkOptions(): CheckOptions;
  close(): Promise<void>;
}

const seed = generateEd25519Seed();

function homeserver(versionDelayMs = 0): NonNullable<LabHostSpec['routes']> {
  return labHomeserverRoutes({ seed, keyId: 'ed25519:soak', versionDelayMs });
}

/**
 * Starts the lab. The trap servers listen on a loopback address of their own, on the lab's well-known and
 * federation ports, so that any connection the checker made to that address would be counted.
 */
export async function startTesterLab(settings: TesterLabSettings): Promise<TesterLab> {
  const trapAddress = `127.${randomInt(100, 200)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const zones: Record<string, LabZones[string]> = {
    'good.example.org': { A: ['good'] },
    'direct.trap.example.org': { A: [trapAddress] },
    'cname.trap.example.org': { CNAME: 'direct.trap.example.org' },
    'srv.trap.example.org': { TXT: ['exists'] },
    'wk.trap.example.org': { A: ['delegator'] },
    'wkip.trap.example.org': { A: ['delegator'] },
    'mixed.trap.example.org': { A: ['good', trapAddress] },
  };
  for (let n = 0; n < settings.capNames; n++) zones[`cap-${n}.example.org`] = { A: ['slow'] };
  for (let n = 0; n < (settings.goodNames ?? 0); n++) zones[`ok-${n}.example.org`] = { A: ['good'] };
  for (let n = 0; n < (settings.trapNames ?? 0); n++) zones[`trap-${n}.example.org`] = { A: [trapAddress] };
  // The lab's ports are known only once it runs: the SRV record is set afterwards, and the delegator's
  // well-known answer is computed per request from the port found then.
  let federation = 0;
  const delegations = (host: string): string | undefined =>
    ({
      'wk.trap.example.org': `direct.trap.example.org:${federation}`,
      'wkip.trap.example.org': `${trapAddress}:${federation}`,
    })[host];
  const lab = await startLab({
    zones,
    hosts: {
      good: { port: 'federation', routes: homeserver() },
      slow: { port: 'federation', routes: homeserver(settings.slowMs) },
      delegator: {
        port: 'https',
        routes: {
          'GET /.well-known/matrix/server': (req: LabRequest) => {
            const target = delegations((req.host ?? '').replace(/:\d+$/, ''));
            return target === undefined ? { status: 404 } : { json: { 'm.server': target } };
          },
        },
      },
      trapWellKnown: { address: trapAddress, port: 'https', certificates: [{ dnsNames: ['direct.trap.example.org'] }] },
      trapFederation: {
        address: trapAddress,
        port: 'federation',
        certificates: [{ dnsNames: ['direct.trap.example.org'] }],
        routes: homeserver(),
      },
    },
  });
  federation = lab.ports.federation;
  lab.dns.setName('_matrix-fed._tcp.srv.trap.example.org', {
    SRV: [{ priority: 10, weight: 5, port: federation, target: 'direct.trap.example.org' }],
  });
  const privateNames = new Map<(typeof PRIVATE_NAME_KINDS)[number], string>([
    ['A record', 'direct.trap.example.org'],
    ['CNAME', 'cname.trap.example.org'],
    ['SRV target', 'srv.trap.example.org'],
    ['well-known delegation to a name', 'wk.trap.example.org'],
    ['well-known delegation to an IP literal', 'wkip.trap.example.org'],
    ['A records mixing allowed and trap addresses', 'mixed.trap.example.org'],
    ['IP literal', `${trapAddress}:${federation}`],
  ]);
  const allowed = ['good', 'slow', 'delegator'].map((key) => `${lab.address(key)}/32`);
  return {
    lab,
    trapAddress,
    privateNames,
    trapContacts() {
      const hosts = [lab.hosts.trapWellKnown!, lab.hosts.trapFederation!];
      return {
        connections: hosts.reduce((n, h) => n + h.connectionCount, 0),
        requests: hosts.reduce((n, h) => n + h.requestCount, 0),
      };
    },
    checkOptions() {
      return { ...lab.clientOptions(), allowNetworks: allowed, operationTimeoutMs: 5000 };
    },
    close: () => lab.close(),
  };
}

/** A check function that counts runs and the most checks ever running at once (the cap's real measure). */
export interface CheckTracker {
  readonly check: CheckFunction;
  /** Checks run in all, or of the names starting with `prefix`. */
  readonly runs: (prefix?: string) => number;
  readonly running: () => number;
  readonly maxRunning: () => number;
}

/** Wraps `checkServer` to count what the tester actually runs. */
export function trackChecks(inner: CheckFunction = checkServer): CheckTracker {
  const names: string[] = [];
  let running = 0;
  let maxRunning = 0;
  return {
    check: async (name, options) => {
      names.push(name);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await inner(name, options);
      } finally {
        running--;
      }
    },
    runs: (prefix = '') => names.filter((name) => name.startsWith(prefix)).length,
    running: () => running,
    maxRunning: () => maxRunning,
  };
}

/** Starts a tester server on 127.0.0.1 (ephemeral port) with the given tester settings, against the lab. */
export async function startTesterServer(
  testerLab: TesterLab,
  testerYaml: string,
  tracker: CheckTracker,
  checkOptions: CheckOptions = testerLab.checkOptions(),
): Promise<RunningServer> {
  const parsed = parseConfigOrThrow(
    `server_name: tester.example.org\nmetrics:\n  enabled: true\ntester:\n  enabled: true\n${testerYaml}`,
    { sourceName: 'soak-tester.yaml' },
  ).config;
  // The config refuses port 0; an ephemeral port never collides with a parallel run.
  const config: ServeConfig = { ...parsed, listeners: [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false }] };
  return startServer(config, {
    logger: createServerLogger({ level: 'error', destination: { write: () => undefined } }),
    checkOptions,
    check: tracker.check,
  });
}

/** What the flood scenario saw. */
export interface FloodResult {
  readonly floodRequests: number;
  /** Flood answers by status. */
  readonly floodStatuses: ReadonlyMap<number, number>;
  /** 429 answers whose Retry-After is a whole number of seconds in [1, 60] matching `retry_after_ms`. */
  readonly well429: number;
  /** Checks the flooding client got run (its budget). */
  readonly floodRuns: number;
  readonly otherRequests: number;
  /** The other client's answers that were 200 with the right verdict. */
  readonly otherRight: number;
  /** What went wrong for the other client, a few examples. */
  readonly otherProblems: readonly string[];
  readonly durationS: number;
}

/** Options of {@link floodScenario}. */
export interface FloodOptions {
  /** Requests the flooding client sends, each for a new name (so each would need a check). */
  readonly requests: number;
  /** Of them, in flight at once. */
  readonly concurrency: number;
  /** The flooding client's source address. */
  readonly floodAddress: string;
  /** The well-behaved client's source address. */
  readonly otherAddress: string;
  /** Time between two requests of the well-behaved client. */
  readonly otherIntervalMs: number;
  /** How many new names (each a check) the well-behaved client asks about, besides good.example.org. */
  readonly otherNames: number;
}

function isRight429(a: GoodAnswer): boolean {
  const retryAfter = Number(a.headers['retry-after']);
  if (a.status !== 429 || !Number.isInteger(retryAfter) || retryAfter < 1 || retryAfter > 60) return false;
  try {
    const body = JSON.parse(a.body) as { errcode?: string; retry_after_ms?: number };
    return body.errcode === 'M_LIMIT_EXCEEDED' && body.retry_after_ms === retryAfter * 1000;
  } catch {
    return false;
  }
}

/**
 * One client floods `/api/report` with new names while another client, on another address, keeps asking
 * `/api/federation-ok`. The server must have a per-client limit below its cap (so the flood cannot take every slot).
 */
export async function floodScenario(
  server: RunningServer,
  tracker: CheckTracker,
  options: FloodOptions,
): Promise<FloodResult> {
  const started = performance.now();
  const base = server.urls[0]!;
  const runsBefore = tracker.runs('flood-');
  const floodStatuses = new Map<number, number>();
  let well429 = 0;
  let next = 0;
  let flooding = true;
  const otherProblems: string[] = [];
  let otherRequests = 0;
  let otherRight = 0;
  const other = (async () => {
    let i = 0;
    while (flooding || i < 2 * options.otherNames) {
      const t = performance.now();
      // good.example.org (GOOD; a check, then cache hits) in turn with a few names that do not exist (BAD).
      const newName = i % 2 === 1 && Math.floor(i / 2) < options.otherNames;
      const name = newName ? `other-${Math.floor(i / 2)}.example.org` : 'good.example.org';
      const expected = newName ? 'BAD' : 'GOOD';
      i++;
      otherRequests++;
      try {
        const a = await requestOnce(new URL(`api/federation-ok?server_name=${name}`, base), {
          localAddress: options.otherAddress,
          timeoutMs: 30_000,
        });
        if (a.status === 200 && a.body === expected) otherRight++;
        else if (otherProblems.length < 5) otherProblems.push(`${name}: ${a.status} ${a.body.slice(0, 60)}`);
      } catch (error) {
        if (otherProblems.length < 5) otherProblems.push(`${name}: ${(error as Error).message}`);
      }
      const wait = options.otherIntervalMs - (performance.now() - t);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  const flooder = async (): Promise<void> => {
    while (next < options.requests) {
      const n = next++;
      try {
        const a = await requestOnce(new URL(`api/report?server_name=flood-${n}.example.org`, base), {
          localAddress: options.floodAddress,
          timeoutMs: 30_000,
        });
        floodStatuses.set(a.status, (floodStatuses.get(a.status) ?? 0) + 1);
        if (isRight429(a)) well429++;
      } catch {
        floodStatuses.set(0, (floodStatuses.get(0) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, flooder));
  flooding = false;
  await other;
  const floodRuns = tracker.runs('flood-') - runsBefore;
  return {
    floodRequests: options.requests,
    floodStatuses,
    well429,
    floodRuns,
    otherRequests,
    otherRight,
    otherProblems,
    durationS: (performance.now() - started) / 1000,
  };
}

/** What the cap scenario saw. */
export interface CapResult {
  readonly requests: number;
  readonly statuses: ReadonlyMap<number, number>;
  /** 503 answers with `Retry-After: 5` and `M_LIMIT_EXCEEDED`. */
  readonly well503: number;
  /** Most checks running at once, as the wrapped check function saw it. */
  readonly maxRunning: number;
  /** Most checks running at once, as the `matrix_delegation_checks_in_flight` gauge showed it (sampled every 2 ms). */
  readonly maxGauge: number;
  readonly durationS: number;
}

/**
 * `clients` clients (one source address each: no rate limit applies between them) ask at the same moment for
 * a slow check each, in `waves` waves. The global cap must hold: at most `max_in_flight` checks run, the rest
 * get 503 with Retry-After.
 */
export async function capScenario(
  server: RunningServer,
  tracker: CheckTracker,
  options: { readonly clients: number; readonly waves: number; readonly firstName: number },
): Promise<CapResult> {
  const started = performance.now();
  const base = server.urls[0]!;
  const statuses = new Map<number, number>();
  let well503 = 0;
  let maxGauge = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxGauge = Math.max(maxGauge, (await server.metrics.checksInFlight.get()).values[0]?.value ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  let name = options.firstName;
  for (let wave = 0; wave < options.waves; wave++) {
    await Promise.all(
      Array.from({ length: options.clients }, async (_, c) => {
        const n = name + c;
        // 127.0.1.x: addresses of their own, apart from the flood scenario's.
        const localAddress = `127.0.1.${10 + c}`;
        try {
          const a = await requestOnce(new URL(`api/federation-ok?server_name=cap-${n}.example.org`, base), {
            localAddress,
            timeoutMs: 30_000,
          });
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
          if (a.status === 503 && a.headers['retry-after'] === '5' && a.body.includes('"M_LIMIT_EXCEEDED"')) well503++;
        } catch {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        }
      }),
    );
    name += options.clients;
  }
  sampling = false;
  await sampler;
  return {
    requests: options.clients * options.waves,
    statuses,
    well503,
    maxRunning: tracker.maxRunning(),
    maxGauge,
    durationS: (performance.now() - started) / 1000,
  };
}

/** What the private-names scenario saw. */
export interface PrivateResult {
  readonly checks: number;
  /** Answers that were 200 with a report (a denied address is a result, not an error). */
  readonly answered: number;
  /** Reports that name `ADDRESS_DENIED` (the checker saw the address and refused it). */
  readonly denied: number;
  readonly trapConnections: number;
  readonly trapRequests: number;
  readonly durationS: number;
}

/** Checks every private name `rounds` times through `/api/check` and counts what reached the traps. */
export async function privateScenario(
  server: RunningServer,
  testerLab: TesterLab,
  rounds: number,
): Promise<PrivateResult> {
  const started = performance.now();
  const base = server.urls[0]!;
  const before = testerLab.trapContacts();
  let checks = 0;
  let answered = 0;
  let denied = 0;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      [...testerLab.privateNames.values()].map(async (name) => {
        checks++;
        const a = await requestOnce(new URL(`api/check?server_name=${encodeURIComponent(name)}`, base), {
          timeoutMs: 30_000,
        }).catch(() => null);
        if (a?.status === 200) answered++;
        if (a?.body.includes('"ADDRESS_DENIED"')) denied++;
      }),
    );
  }
  const after = testerLab.trapContacts();
  return {
    checks,
    answered,
    denied,
    trapConnections: after.connections - before.connections,
    trapRequests: after.requests - before.requests,
    durationS: (performance.now() - started) / 1000,
  };
}
