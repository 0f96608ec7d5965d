// Soak case 4: abuse of the tester (a flooding client, the global cap, names that lead to private addresses).

import type { RunningServer } from '../src/server/serve.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import {
  PRIVATE_NAME_KINDS,
  capScenario,
  floodScenario,
  privateScenario,
  startTesterLab,
  startTesterServer,
  trackChecks,
} from './tester-abuse.js';

/** Settings of the tester case. */
export interface TesterSettings {
  readonly floodRequests: number;
  readonly floodConcurrency: number;
  readonly rateLimitPerMinute: number;
  readonly capClients: number;
  readonly capWaves: number;
  readonly maxInFlight: number;
  readonly slowMs: number;
  readonly privateRounds: number;
}

/** The soak's settings. */
export const TESTER_DEFAULTS: TesterSettings = {
  floodRequests: 2000,
  floodConcurrency: 25,
  rateLimitPerMinute: 10,
  capClients: 60,
  capWaves: 3,
  maxInFlight: 4,
  slowMs: 500,
  privateRounds: 20,
};

const NAME = '4. tester';

function statusList(statuses: ReadonlyMap<number, number>): string {
  return [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status === 0 ? 'no answer' : status} x${formatCount(n)}`)
    .join(', ');
}

/** Runs the case (in-process: the tester, the lab DNS server and the lab homeservers, all on loopback). */
export async function runTesterCase(
  log: (line: string) => void,
  settings: TesterSettings = TESTER_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const testerLab = await startTesterLab({
    capNames: settings.capClients * settings.capWaves,
    slowMs: settings.slowMs,
  });
  const servers: RunningServer[] = [];
  try {
    // Flood: the per-client budget (10/min) is below the cap (16), so the flood can never take every slot.
    const floodTracker = trackChecks();
    const floodServer = await startTesterServer(
      testerLab,
      `  rate_limit_per_minute: ${settings.rateLimitPerMinute}\n  max_in_flight: 16\n  cache_seconds: 60\n`,
      floodTracker,
    );
    servers.push(floodServer);
    log(`flood: ${settings.floodRequests} requests from 127.0.0.1 while 127.0.0.2 asks every 100 ms`);
    const flood = await floodScenario(floodServer, floodTracker, {
      requests: settings.floodRequests,
      concurrency: settings.floodConcurrency,
      floodAddress: '127.0.0.1',
      otherAddress: '127.0.0.2',
      otherIntervalMs: 100,
      otherNames: 5,
    });
    const expected429 = settings.floodRequests - settings.rateLimitPerMinute;
    rows.push({
      case: NAME,
      sent: `one client (127.0.0.1) floods /api/report with a new name per request, ${settings.floodConcurrency} at a time; limit ${settings.rateLimitPerMinute} checks/min per client`,
      count: `${formatCount(flood.floodRequests)} requests`,
      durationS: flood.durationS,
      outcome: `${statusList(flood.floodStatuses)}; ${flood.floodRuns} checks run for it; ${formatCount(flood.well429)} of the 429s with a Retry-After of 1-60 s matching retry_after_ms`,
      pass:
        flood.floodRuns === settings.rateLimitPerMinute &&
        flood.well429 === expected429 &&
        flood.floodStatuses.get(200) === settings.rateLimitPerMinute,
    });
    rows.push({
      case: NAME,
      sent: 'meanwhile another client (127.0.0.2): /api/federation-ok every 100 ms, good.example.org and 5 new names',
      count: `${formatCount(flood.otherRequests)} requests`,
      durationS: flood.durationS,
      outcome: `${flood.otherRight} right answers (GOOD/BAD as expected), ${flood.otherRequests - flood.otherRight} other${flood.otherProblems.length ? ` (${flood.otherProblems.join('; ')})` : ''}`,
      pass: flood.otherRight === flood.otherRequests && flood.otherRequests > 0,
    });

    // Cap: no rate limit, so only the cap stands between 60 simultaneous clients and the network.
    const capTracker = trackChecks();
    const capServer = await startTesterServer(
      testerLab,
      `  rate_limit_per_minute: 0\n  max_in_flight: ${settings.maxInFlight}\n  cache_seconds: 0\n`,
      capTracker,
    );
    servers.push(capServer);
    log(
      `cap: ${settings.capWaves} waves of ${settings.capClients} clients at once, max_in_flight ${settings.maxInFlight}`,
    );
    const cap = await capScenario(capServer, capTracker, {
      clients: settings.capClients,
      waves: settings.capWaves,
      firstName: 0,
    });
    const ran = cap.statuses.get(200) ?? 0;
    rows.push({
      case: NAME,
      sent: `${settings.capClients} clients (127.0.1.10-${9 + settings.capClients}) ask at once for a slow check each (${settings.slowMs} ms), ${settings.capWaves} waves; max_in_flight ${settings.maxInFlight}, no rate limit`,
      count: `${formatCount(cap.requests)} requests`,
      durationS: cap.durationS,
      outcome: `${statusList(cap.statuses)}; at most ${cap.maxRunning} checks running at once (checks_in_flight gauge peak ${cap.maxGauge}); ${cap.well503} of the 503s with Retry-After: 5`,
      pass:
        cap.maxRunning === settings.maxInFlight &&
        cap.maxGauge <= settings.maxInFlight &&
        ran + cap.well503 === cap.requests &&
        ran >= settings.maxInFlight * settings.capWaves &&
        capTracker.runs() === ran,
    });

    // Private names: the allow-list holds the lab's good hosts only; the trap address is loopback, not allowed.
    const privateTracker = trackChecks();
    const privateServer = await startTesterServer(
      testerLab,
      '  rate_limit_per_minute: 0\n  max_in_flight: 8\n  cache_seconds: 0\n',
      privateTracker,
    );
    servers.push(privateServer);
    log(`private names: ${PRIVATE_NAME_KINDS.length} kinds x ${settings.privateRounds} rounds`);
    const denied = await privateScenario(privateServer, testerLab, settings.privateRounds);
    rows.push({
      case: NAME,
      sent: `names that lead to a loopback address not in the allow-list: ${PRIVATE_NAME_KINDS.join(', ')}`,
      count: `${formatCount(denied.checks)} checks`,
      durationS: denied.durationS,
      outcome: `${denied.answered} answered 200, ${denied.denied} reports naming ADDRESS_DENIED; trap servers saw ${denied.trapConnections} connections, ${denied.trapRequests} requests`,
      pass:
        denied.trapConnections === 0 &&
        denied.trapRequests === 0 &&
        denied.answered === denied.checks &&
        denied.denied === denied.checks,
    });
    // The control: the same names with the trap's address allowed must reach the traps, or the counters prove nothing.
    const controlServer = await startTesterServer(
      testerLab,
      '  rate_limit_per_minute: 0\n  max_in_flight: 8\n  cache_seconds: 0\n',
      trackChecks(),
      {
        ...testerLab.checkOptions(),
        allowNetworks: ['127.0.0.0/8'],
      },
    );
    servers.push(controlServer);
    const control = await privateScenario(controlServer, testerLab, 1);
    rows.push({
      case: NAME,
      sent: 'control: the same names once, with 127.0.0.0/8 allowed',
      count: `${control.checks} checks`,
      durationS: control.durationS,
      outcome: `trap servers saw ${control.trapConnections} connections, ${control.trapRequests} requests (they must: this shows the counters above can count)`,
      pass: control.trapConnections > 0,
    });
    notes.push(
      'In-process: the tester runs `startServer` with the lab as its network (lab DNS server, lab CA, lab ports); every check is the real `checkServer`, wrapped only to count runs and how many run at once.',
      `The trap servers listen on ${testerLab.trapAddress} on both lab ports (443 and 8448 when the soak runs as root, otherwise ephemeral ports shared by the lab), so any connection to that address would be counted.`,
      'Every report of a private name names ADDRESS_DENIED: the address was seen in resolution and refused before any connection. The mixed name still federates through its allowed address.',
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
    await Promise.all(servers.map((s) => s.close({ timeoutMs: 2000 })));
    await testerLab.close();
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
