// Soak case: two `serve` instances behind HAProxy with one Redis (issue 19): one check per name, one limit, a Redis restart under load.

import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519Seed } from '../src/keys/index.js';
import { REDIS_OUTAGE_MESSAGE, REDIS_RECOVERY_MESSAGE } from '../src/server/tester/redis-outage.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabHostSpec } from '../src/testing/index.js';
import { startHaproxyBalancer } from '../support/haproxy-balancer.js';
import type { HaproxyBalancer } from '../support/haproxy-balancer.js';
import { startRedisServer } from '../support/redis-server.js';
import type { TestRedisServer } from '../support/redis-server.js';
import { freePort, spawnServe } from './processes.js';
import type { ServeChild } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { labHomeserverRoutes } from '../support/lab-homeserver.js';

/** Settings of the case. */
export interface InstancesSettings {
  /** Names never checked, asked by every client at once (the cold start). */
  readonly coldNames: number;
  /** Clients (source addresses) of the cold start; each asks every cold name once. */
  readonly coldClients: number;
  /** Requests in flight at once during the cold start. */
  readonly coldConcurrency: number;
  /** How long the slow homeserver takes to answer its version (so that checks overlap). */
  readonly slowMs: number;
  /** The per-client limit (checks a minute) of both instances. */
  readonly rateLimitPerMinute: number;
  /** Client loops of the restart run, each asking a random name, one request at a time with a pause. */
  readonly restartClients: number;
  /** New names the restart run may ask, besides the cold ones (cached by then). */
  readonly restartNames: number;
  /** Pause of each loop between two requests, ms. */
  readonly restartPauseMs: number;
  /** Length of the restart run, when Redis is killed, and when it is started again, ms from its start. */
  readonly restartRunMs: number;
  readonly killAtMs: number;
  readonly restartAtMs: number;
  /** Requests of the one client that goes over its limit, `concurrency` at a time. */
  readonly overLimitRequests: number;
  readonly overLimitConcurrency: number;
}

/** The soak's settings: about a minute in all on two cores. */
export const INSTANCES_DEFAULTS: InstancesSettings = {
  coldNames: 24,
  coldClients: 24,
  coldConcurrency: 48,
  slowMs: 500,
  rateLimitPerMinute: 30,
  restartClients: 16,
  restartNames: 60,
  restartPauseMs: 50,
  restartRunMs: 20_000,
  killAtMs: 6_000,
  restartAtMs: 12_000,
  overLimitRequests: 1000,
  overLimitConcurrency: 25,
};

const NAME = '9. instances';
const seed = generateEd25519Seed();

function homeserver(versionDelayMs: number): NonNullable<LabHostSpec['routes']> {
  return labHomeserverRoutes({ seed, keyId: 'ed25519:soak', versionDelayMs });
}

/** One answer through the balancer: the status (0: no answer) and the instance that gave it. */
interface Answer {
  readonly status: number;
  readonly servedBy: string;
  readonly ms: number;
}

/** One GET through the balancer from `client`, optionally to one instance; never rejects. */
function ask(lb: HaproxyBalancer, path: string, client: string, to?: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, servedBy = ''): void =>
      resolve({ status, servedBy, ms: performance.now() - started });
    const req = httpRequest(
      new URL(path, lb.url),
      {
        agent: false,
        localAddress: client,
        timeout: 60_000,
        headers: to === undefined ? {} : { [lb.pickHeader]: to },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0, String(res.headers['x-served-by'] ?? '')));
        res.on('error', () => done(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', () => done(0));
    req.end();
  });
}

/** Runs `tasks` with at most `concurrency` at a time. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

function tally(answers: readonly Answer[]): Map<number, number> {
  const statuses = new Map<number, number>();
  for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  return statuses;
}

function statusList(statuses: ReadonlyMap<number, number>): string {
  return [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status === 0 ? 'no answer' : status} x${formatCount(n)}`)
    .join(', ');
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The sum of every series of `name` in an instance's `/metrics` whose labels contain `labels`. */
async function metricSum(instance: ServeChild, name: string, labels = ''): Promise<number> {
  const answer = await new Promise<string>((resolve, reject) => {
    const req = httpRequest(new URL('metrics', instance.urls[0]!), { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
  let sum = 0;
  for (const line of answer.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels !== '' && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Runs the case: two `serve` children (`cache_store: redis`, one redis-server, `x_forwarded` listeners) behind a
 * real HAProxy balancing round robin. (1) Cold start: every client asks every new name at once, spread over both
 * instances: each name must be checked once in all (the instances' check counters and the lab's connections say
 * so), every answer 200. (2) Load for 20 s while Redis is killed and started again: every request answered (200,
 * or 429 from a limit), one warning and one recovery line per instance. (3) After the restart, one client asks a
 * cached report over and over through both instances: exactly its one budget is answered, whichever instance asks.
 */
export async function runInstancesCase(
  log: (line: string) => void,
  settings: InstancesSettings = INSTANCES_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-instances-'));
  const coldNames = Array.from({ length: settings.coldNames }, (_, i) => `cold-${i}.example.org`);
  const restartNames = Array.from({ length: settings.restartNames }, (_, i) => `restart-${i}.example.org`);
  const baseline = 'baseline.example.org';
  let lab: Lab | null = null;
  let redis: TestRedisServer | null = null;
  const instances: ServeChild[] = [];
  let lb: HaproxyBalancer | null = null;
  try {
    const slowNames = [baseline, ...coldNames, ...restartNames];
    lab = await startLab({
      zones: Object.fromEntries(slowNames.map((name) => [name, { A: ['slow'] }])),
      hosts: {
        slow: { port: 'federation', certificates: [{ dnsNames: slowNames }], routes: homeserver(settings.slowMs) },
      },
    });
    writeFileSync(join(dir, 'ca.pem'), lab.caCertPem);
    redis = await startRedisServer();
    const options = lab.clientOptions();
    const args = [
      '--dns-server',
      lab.dns.server,
      ...(options.allowNetworks ?? []).flatMap((cidr) => ['--allow-network', cidr]),
      '--ca-file',
      join(dir, 'ca.pem'),
      '--well-known-port',
      String(lab.ports.https),
      '--federation-port',
      String(lab.ports.federation),
    ];
    for (const name of ['a', 'b']) {
      const port = await freePort();
      const configPath = join(dir, `${name}.yaml`);
      writeFileSync(
        configPath,
        `server_name: tester.example.org
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
    x_forwarded: true
metrics:
  enabled: true
tester:
  enabled: true
  rate_limit_per_minute: ${settings.rateLimitPerMinute}
  max_in_flight: 64
  cache_seconds: 600
  timeout_ms: 30000
cache_store:
  kind: redis
  url: ${redis.url}
  key_prefix: "soak-instances:"
logging:
  level: info
`,
      );
      instances.push(await spawnServe(configPath, { args }));
    }
    const [a, b] = instances as [ServeChild, ServeChild];
    lb = await startHaproxyBalancer({
      backends: instances.map((child, i) => ({
        name: i === 0 ? 'a' : 'b',
        port: Number(new URL(child.urls[0]!).port),
      })),
      port: await freePort(),
      dir,
    });
    const balancer = lb;

    // What one check costs the lab, asked once on one instance.
    const connectionsBefore = lab.hosts['slow']!.connectionCount;
    const first = await ask(balancer, `api/federation-ok?server_name=${baseline}`, '127.0.3.2', 'a');
    const perCheck = lab.hosts['slow']!.connectionCount - connectionsBefore;
    if (first.status !== 200 || perCheck <= 0) throw new Error(`the baseline check failed (${first.status})`);

    // (1) Cold start: every client asks every new name, all at once through the balancer.
    const checksBefore =
      (await metricSum(a, 'matrix_delegation_checks_total')) + (await metricSum(b, 'matrix_delegation_checks_total'));
    const coldConnectionsBefore = lab.hosts['slow']!.connectionCount;
    const coldTasks = coldNames.flatMap((name) =>
      Array.from(
        { length: settings.coldClients },
        (_, c) => () => ask(balancer, `api/report?server_name=${name}`, `127.0.3.${10 + c}`),
      ),
    );
    // Interleaved by client, so that every name is asked on both instances at about the same moment.
    const interleaved = coldTasks.map(
      (_, i) => coldTasks[(i % coldNames.length) * settings.coldClients + Math.floor(i / coldNames.length)]!,
    );
    log(
      `cold start: ${formatCount(interleaved.length)} requests for ${coldNames.length} new names from ${settings.coldClients} clients`,
    );
    const coldStarted = performance.now();
    const cold = await pool(interleaved, settings.coldConcurrency);
    const coldS = (performance.now() - coldStarted) / 1000;
    const checksRun =
      (await metricSum(a, 'matrix_delegation_checks_total')) +
      (await metricSum(b, 'matrix_delegation_checks_total')) -
      checksBefore;
    const coldConnections = lab.hosts['slow']!.connectionCount - coldConnectionsBefore;
    const joined =
      (await metricSum(a, 'matrix_delegation_tester_requests_total', 'outcome="joined"')) +
      (await metricSum(b, 'matrix_delegation_tester_requests_total', 'outcome="joined"'));
    const coldStatuses = tally(cold);
    const servedBy = new Set(cold.map((x) => x.servedBy));
    rows.push({
      case: NAME,
      sent: `cold start through HAProxy (round robin over 2 instances, one Redis): ${settings.coldClients} clients each ask /api/report for the same ${coldNames.length} new names (lab homeserver answering its version after ${settings.slowMs} ms), ${settings.coldConcurrency} at a time`,
      count: `${formatCount(cold.length)} requests`,
      durationS: coldS,
      outcome: `${statusList(coldStatuses)}; checks run: ${checksRun} for ${coldNames.length} names (lab connections ${coldConnections} = ${(coldConnections / perCheck).toFixed(1)} checks' worth); ${formatCount(joined)} answers joined a running check; p99 ${percentile(
        cold.map((x) => x.ms),
        99,
      ).toFixed(0)} ms`,
      pass:
        coldStatuses.get(200) === cold.length &&
        checksRun === coldNames.length &&
        coldConnections === coldNames.length * perCheck &&
        servedBy.has('a') &&
        servedBy.has('b'),
    });

    // (2) Load while Redis is killed and started again.
    const checksNow = async (): Promise<number> =>
      (await metricSum(a, 'matrix_delegation_checks_total')) + (await metricSum(b, 'matrix_delegation_checks_total'));
    const restartChecksBefore = await checksNow();
    // The new names come in three thirds: the first asked from the start, the second from the kill on, the last
    // from the restart on, so that each phase has names no instance has checked yet.
    const third = Math.ceil(restartNames.length / 3);
    let phase = 1;
    const names = (): readonly string[] => [...coldNames, ...restartNames.slice(0, third * phase)];
    const asked = new Set<string>();
    /** Every name asked after the restart: the new Redis is empty, so each is checked again. */
    const askedAfter = new Set<string>();
    const answers: Answer[] = [];
    let stop = false;
    const loops = Array.from({ length: settings.restartClients }, async (_, c) => {
      const client = `127.0.4.${10 + c}`;
      let i = c * 7;
      while (!stop) {
        const now = names();
        const name = now[(i * 31 + c) % now.length]!;
        i += 1;
        if (restartNames.includes(name)) asked.add(name);
        if (phase === 3) askedAfter.add(name);
        answers.push(await ask(balancer, `api/federation-ok?server_name=${name}`, client));
        await new Promise((resolve) => setTimeout(resolve, settings.restartPauseMs));
      }
    });
    log(
      `load for ${settings.restartRunMs / 1000} s from ${settings.restartClients} clients; Redis killed at ${settings.killAtMs / 1000} s, started again at ${settings.restartAtMs / 1000} s`,
    );
    const loadStarted = performance.now();
    const port = redis.port;
    await new Promise((resolve) => setTimeout(resolve, settings.killAtMs));
    // Checks finished before the kill, and the new names asked by then (a check still running is not counted).
    const checksBeforeKill = (await checksNow()) - restartChecksBefore;
    const askedBeforeKill = asked.size;
    phase = 2;
    await redis.kill();
    log('Redis killed');
    await new Promise((resolve) => setTimeout(resolve, settings.restartAtMs - settings.killAtMs));
    const checksWhileDown = (await checksNow()) - restartChecksBefore - checksBeforeKill;
    redis = await startRedisServer({ port });
    phase = 3;
    log('Redis started again (empty)');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, settings.restartRunMs - settings.restartAtMs)));
    stop = true;
    await Promise.all(loops);
    const loadS = (performance.now() - loadStarted) / 1000;
    const recovered = await until(
      () => a.count(REDIS_RECOVERY_MESSAGE) >= 1 && b.count(REDIS_RECOVERY_MESSAGE) >= 1,
      10_000,
    );
    const restartChecks = (await checksNow()) - restartChecksBefore;
    const loadStatuses = tally(answers);
    const warnings = [a.count(REDIS_OUTAGE_MESSAGE), b.count(REDIS_OUTAGE_MESSAGE)];
    const recoveries = [a.count(REDIS_RECOVERY_MESSAGE), b.count(REDIS_RECOVERY_MESSAGE)];
    const errorsLogged = [a, b].map((x) => x.count('"level":"error"') + x.count('"level":"fatal"'));
    const bad = answers.filter((x) => x.status !== 200 && x.status !== 429).length;
    rows.push({
      case: NAME,
      sent: `load through HAProxy for ${settings.restartRunMs / 1000} s: ${settings.restartClients} clients ask /api/federation-ok for cached and new names (one at a time, ${settings.restartPauseMs} ms apart); Redis SIGKILLed at ${settings.killAtMs / 1000} s, started again (empty) at ${settings.restartAtMs / 1000} s`,
      count: `${formatCount(answers.length)} requests`,
      durationS: loadS,
      outcome: `${statusList(loadStatuses)} (${formatCount(bad)} other than 200/429); warnings per instance ${warnings.join(' and ')}, recovery lines ${recoveries.join(' and ')}, error lines ${errorsLogged.join(' and ')}; checks run ${restartChecks} for ${asked.size} new names asked: ${checksBeforeKill} finished before the kill (${askedBeforeKill} names asked by then), ${checksWhileDown} while Redis was down (each instance checks on its own), ${restartChecks - checksBeforeKill - checksWhileDown} after, for ${askedAfter.size} names asked then (the new Redis is empty; the instances' connections come back up to 2 s apart, and a name asked meanwhile may be checked by both); p99 ${percentile(
        answers.map((x) => x.ms),
        99,
      ).toFixed(0)} ms`,
      pass:
        bad === 0 &&
        checksBeforeKill <= askedBeforeKill &&
        recovered &&
        warnings.every((n) => n === 1) &&
        recoveries.every((n) => n === 1) &&
        errorsLogged.every((n) => n === 0),
    });

    // (3) After the restart: one client asks a cached report again and again, through both instances.
    const budget = settings.rateLimitPerMinute * 20;
    // The new Redis is empty: the report is checked again once (by another client), so that every request of the
    // flood is a cached answer.
    const warm = await ask(balancer, `api/federation-ok?server_name=${coldNames[0]!}`, '127.0.3.98');
    if (warm.status !== 200) throw new Error(`the report to flood could not be had again (${warm.status})`);
    log(
      `one client: ${settings.overLimitRequests} requests for a cached report, ${settings.overLimitConcurrency} at a time, round robin`,
    );
    const overStarted = performance.now();
    const over = await pool(
      Array.from(
        { length: settings.overLimitRequests },
        () => () => ask(balancer, `api/federation-ok?server_name=${coldNames[0]!}`, '127.0.3.99'),
      ),
      settings.overLimitConcurrency,
    );
    const overS = (performance.now() - overStarted) / 1000;
    const overStatuses = tally(over);
    const byInstance = ['a', 'b'].map((name) => over.filter((x) => x.servedBy === name && x.status === 200).length);
    const expected200 = Math.min(budget, settings.overLimitRequests);
    rows.push({
      case: NAME,
      sent: `after the restart, one client asks /api/federation-ok for a cached report through HAProxy (round robin), ${settings.overLimitConcurrency} at a time; limit ${settings.rateLimitPerMinute} checks/min (= ${budget} cached answers), kept in Redis`,
      count: `${formatCount(over.length)} requests`,
      durationS: overS,
      outcome: `${statusList(overStatuses)}; 200s from A ${byInstance[0]}, from B ${byInstance[1]} (one budget for both; per instance it would be ${Math.min(2 * budget, settings.overLimitRequests)})`,
      pass:
        overStatuses.get(200) === expected200 &&
        (overStatuses.get(429) ?? 0) === settings.overLimitRequests - expected200 &&
        byInstance.every((n) => n > 0),
    });
    notes.push(
      `Several instances (issue 19): two \`serve\` children (tsx), \`cache_store: redis\` on one redis-server (no persistence), behind HAProxy (round robin, \`option forwardfor\`, instances on \`x_forwarded\` listeners); the lab homeserver answers its version after ${settings.slowMs} ms so that checks of one name overlap. Checks are counted by the instances' \`matrix_delegation_checks_total\` and by the lab host's connections (one check: ${perCheck}).`,
      `While Redis is down, each instance limits its clients on its own and checks names on its own (a name asked on both is checked twice), answering from its local copy of the results; the restarted Redis is empty, so names are checked once more afterwards. Pass: no answer other than 200 or 429, no more checks finished before the kill than new names asked by then (one check per name while Redis is there), one warning and one recovery line per instance, and afterwards one budget per client across both instances.`,
    );
  } catch (error) {
    rows.push({
      case: NAME,
      sent: 'the case itself',
      count: '-',
      durationS: (performance.now() - started) / 1000,
      outcome: `error: ${(error as Error).message}`,
      pass: false,
    });
  } finally {
    await lb?.stop();
    await Promise.all(instances.map((child) => child.stop(5000)));
    await redis?.kill();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
