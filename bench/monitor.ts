// Benchmark: the monitor watching 1,000 names on one instance at a 5-minute interval; CPU and memory per watched name.

import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkServer } from '../src/checker/check.js';
import type { CheckOptions } from '../src/checker/types.js';
import type { MonitorConfig } from '../src/config/types.js';
import { CONFIG_DEFAULTS } from '../src/config/defaults.js';
import { startMonitor } from '../src/monitor/start.js';
import type { Monitor } from '../src/monitor/monitor.js';
import type { MonitorLogger, NameState } from '../src/monitor/types.js';
import { openFileStateStore } from '../src/monitor/file-state-store.js';
import { cpuModel, numberOption, runAsScript } from './_shared.js';
import { MONITOR_LAB_ZONE, monitorLabName } from './_monitor-lab.js';
import type { MonitorLabMessage, MonitorLabRequest } from './_monitor-lab.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** Options of {@link runMonitorBenchmark}; defaults in brackets. */
export interface MonitorBenchmarkOptions {
  /** Watched names [1000]. */
  readonly names?: number;
  /** Lab HTTPS hosts the names are spread over [4]. */
  readonly hosts?: number;
  /** `monitor.interval_seconds` [300]. */
  readonly intervalSeconds?: number;
  /** The measured window, seconds [one interval]. */
  readonly windowSeconds?: number;
  /** `monitor.max_in_flight` [8, the default], also the concurrency of the bare checks. */
  readonly maxInFlight?: number;
  /** Sizes of state file (names) at which one save is measured on its own [1000, 10000]. */
  readonly saveSizes?: readonly number[];
  /** Bare `checkServer` calls before the monitor, `max_in_flight` at a time (the machine's pace) [200]. */
  readonly bareChecks?: number;
  /** Seconds of bare checks at the monitor's pace (names / interval a second), before and after it [60 each]. */
  readonly pacedSeconds?: number;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

/** The event-loop delay's sampling period, ms: every sample holds it, and it is taken off. */
const DELAY_RESOLUTION_MS = 10;

/** Untimed checks before anything is measured: JIT, module compilation and TLS contexts are start-up costs. */
const WARM_UP = 32;

/** The garbage collector, exposed at run time (bench/run.ts starts Node without --expose-gc). */
function collector(): () => Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return async () => {
    gc();
    // Let finalisers and sockets closing in the background settle, then collect again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    gc();
  };
}

/** The lab process: started, asked for its CPU time, closed. */
interface LabProcess {
  readonly clientOptions: Extract<MonitorLabMessage, { type: 'ready' }>['clientOptions'];
  readonly hostNetworks: readonly string[];
  usage(): Promise<Extract<MonitorLabMessage, { type: 'usage' }>>;
  close(): Promise<void>;
}

let labChild: ChildProcess | null = null;

async function startLabProcess(names: number, hosts: number): Promise<LabProcess> {
  const child = fork(join(BENCH_DIR, '_monitor-lab.ts'), [String(names), String(hosts)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  labChild = child;
  const next = <K extends MonitorLabMessage['type']>(type: K): Promise<Extract<MonitorLabMessage, { type: K }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: MonitorLabMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<MonitorLabMessage, { type: K }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`the lab process ended (code ${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = (request: MonitorLabRequest): void => void child.send(request);
  const ready = await next('ready');
  return {
    clientOptions: ready.clientOptions,
    hostNetworks: ready.hostNetworks,
    usage() {
      const answer = next('usage');
      ask({ type: 'usage' });
      return answer;
    },
    async close() {
      const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      ask({ type: 'close' });
      await ended;
      labChild = null;
    },
  };
}

/** What a run of bare `checkServer` calls cost. */
interface BarePhase {
  readonly checks: number;
  readonly failures: number;
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** `count` checks of names `offset`, `offset + 1`, ..., `concurrency` at a time; CPU and wall time. */
async function bareChecks(
  count: number,
  offset: number,
  names: number,
  concurrency: number,
  options: CheckOptions,
): Promise<BarePhase> {
  let next = 0;
  let failures = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const report = await checkServer(monitorLabName((offset + i) % names), options);
      if (!report.federationOk) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { checks: count, failures, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

/**
 * Checks of names `offset`, `offset + 1`, ... started at `rate` a second (at most `concurrency` at once) for `seconds`,
 * the last ones awaited: the CPU a check costs at the monitor's own pace, without the monitor.
 */
async function pacedChecks(
  rate: number,
  seconds: number,
  offset: number,
  names: number,
  concurrency: number,
  options: CheckOptions,
): Promise<BarePhase> {
  let started = 0;
  let running = 0;
  let failures = 0;
  const all: Promise<void>[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    if (running < concurrency) {
      const i = started++;
      running += 1;
      all.push(
        checkServer(monitorLabName((offset + i) % names), options).then((report) => {
          running -= 1;
          if (!report.federationOk) failures += 1;
        }),
      );
    }
    // The next start on the schedule (not after the last one ended: the pace is the monitor's).
    const next = t0 + (started * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(all);
  const cpu = process.cpuUsage(cpu0);
  return { checks: started, failures, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

/** Memory of the process after a full collection. */
interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  /** Memory outside the heap (Buffers and the like). */
  readonly external: number;
}

async function memory(gc: () => Promise<void>): Promise<MemorySample> {
  await gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/** Saves measured per file size. */
const SAVES = 200;

/** What one save into the state file cost, at a number of names. */
interface SaveCost {
  readonly names: number;
  readonly fileBytes: number;
  readonly userMs: number;
  readonly systemMs: number;
  readonly wallMs: number;
}

/**
 * The file state store on its own: a file of `size` names (each `template`, renamed), then {@link SAVES} saves one
 * after another, each waiting until the file is durable (written, flushed, renamed), as the monitor's do.
 */
async function fileStoreSaves(path: string, size: number, template: NameState): Promise<SaveCost> {
  const store = await openFileStateStore({ path });
  const put = async (i: number, checkedAt: number): Promise<void> => {
    const serverName = `t${i}.${MONITOR_LAB_ZONE}`;
    const token = await store.acquire(serverName, 60_000);
    if (token === null) throw new Error(`lease of ${serverName} taken`);
    const last = template.last === null ? null : { ...template.last, checkedAt };
    await store.save({ ...template, serverName, last }, token);
    await store.release(serverName, token);
  };
  try {
    // Filled 500 at a time: saves made while a write is under way share the next one, so this takes seconds.
    for (let i = 0; i < size; i += 500)
      await Promise.all(Array.from({ length: Math.min(500, size - i) }, (_, k) => put(i + k, Date.now())));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < SAVES; k++) await put(k % size, Date.now());
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      names: size,
      fileBytes: statSync(path).size,
      userMs: cpu.user / 1000 / SAVES,
      systemMs: cpu.system / 1000 / SAVES,
      wallMs: wallMs / SAVES,
    };
  } finally {
    await store.close();
  }
}

/** One check made by the monitor. */
interface CheckEvent {
  readonly at: number;
  readonly ok: boolean;
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);
const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/**
 * Runs the benchmark. The lab (1,000 names over 4 HTTPS hosts, as check-throughput builds it) runs in a child process,
 * so that only the monitor's own CPU is counted here. After a warm-up, reference phases of bare `checkServer` calls
 * (`max_in_flight` at a time, then at the monitor's pace) and a memory sample (after GC) without any watched name, the real monitor starts (`startMonitor`: the scheduler, the
 * file state store in a temporary directory, no channel) on every name at the real interval. Its first round (every
 * name is first checked within a minute, `max_in_flight` at a time) is timed on its own; then one whole interval is
 * measured: the monitor process's CPU time and the checks it made (each name is checked once per interval on average,
 * 90 % to 110 % of it), their verdicts, the event loop's delay; then memory after GC with every name watched. The
 * monitor is closed and the paced reference phase runs again. CPU per watched name per interval is the window's CPU divided
 * by the checks made in it (idle time included), next to the CPU of bare checks started at the monitor's own pace
 * (names / interval a second) before and after it: their ratio is the monitor's bookkeeping, and what the machine's
 * load moves least. Last, the file state store on its own: the cost of one save into files of 1,000 and 10,000 names
 * (every save rewrites the whole file), with a state the monitor saved.
 *
 * @example
 * ```ts
 * await runMonitorBenchmark({ names: 1000, intervalSeconds: 300 });
 * ```
 */
export async function runMonitorBenchmark(options: MonitorBenchmarkOptions = {}): Promise<void> {
  const names = options.names ?? 1000;
  const hostCount = options.hosts ?? 4;
  const intervalSeconds = options.intervalSeconds ?? CONFIG_DEFAULTS.monitor.intervalSeconds;
  const windowSeconds = options.windowSeconds ?? intervalSeconds;
  const maxInFlight = options.maxInFlight ?? CONFIG_DEFAULTS.monitor.maxInFlight;
  const bareCount = options.bareChecks ?? 200;
  const pacedSeconds = options.pacedSeconds ?? 60;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const progress = (text: string): void => void process.stderr.write(`monitor bench: ${text}\n`);
  const gc = collector();
  const startedAt = new Date();
  const loadBefore = loadavg();

  const lab = await startLabProcess(names, hostCount);
  const dir = mkdtempSync(join(tmpdir(), 'md-bench-monitor-'));
  let monitor: Monitor | null = null;
  try {
    // The tester's check options in serve: the lab's DNS, ports and CA, its hosts allowed, the default 30 s budget.
    const checkOptions: CheckOptions = {
      ...lab.clientOptions,
      allowNetworks: [...lab.hostNetworks],
      timeoutMs: CONFIG_DEFAULTS.tester.timeoutMs,
    };
    progress(`lab of ${names} names ready; warming up`);
    await bareChecks(WARM_UP, 0, names, maxInFlight, checkOptions);
    progress(`reference: ${bareCount} bare checks`);
    const bareBefore = await bareChecks(bareCount, WARM_UP, names, maxInFlight, checkOptions);
    const rate = names / intervalSeconds;
    progress(`reference: bare checks at ${fmt(rate, 2)} a second for ${pacedSeconds} s`);
    const pacedBefore = await pacedChecks(rate, pacedSeconds, WARM_UP + bareCount, names, maxInFlight, checkOptions);
    const without = await memory(gc);

    const events: CheckEvent[] = [];
    const seen = new Set<string>();
    let errors = 0;
    let warnings = 0;
    const logger: MonitorLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => void (warnings += 1),
      error: (detail, message) => {
        errors += 1;
        if (errors <= 3) progress(`monitor error: ${message} ${JSON.stringify(detail)}`);
      },
    };
    const statePath = join(dir, 'monitor-state.json');
    const settings: MonitorConfig = {
      servers: Array.from({ length: names }, (_, i) => monitorLabName(i)),
      intervalSeconds,
      failuresBeforeAlert: CONFIG_DEFAULTS.monitor.failuresBeforeAlert,
      certificateWarningDays: CONFIG_DEFAULTS.monitor.certificateWarningDays,
      maxInFlight,
      statePath,
      pageUrl: null,
      notify: { webhook: null, email: null, matrix: null },
    };
    let firstRoundDone: () => void = () => undefined;
    const firstRound = new Promise<void>((resolve) => (firstRoundDone = resolve));
    const cpuStart = process.cpuUsage();
    const t0 = performance.now();
    monitor = await startMonitor(settings, {
      store: { kind: 'file', path: statePath },
      checkOptions,
      logger,
      onCheck: (event) => {
        events.push({ at: performance.now(), ok: event.observation.ok });
        seen.add(event.serverName);
        if (seen.size === names) firstRoundDone();
      },
    });
    progress(`watching ${names} names every ${intervalSeconds} s; waiting for the first round`);
    await firstRound;
    const firstRoundMs = performance.now() - t0;
    const firstRoundCpu = process.cpuUsage(cpuStart);
    const firstRoundChecks = events.length;

    progress(`first round done in ${fmt(firstRoundMs / 1000)} s; measuring ${windowSeconds} s`);
    const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
    const labBefore = await lab.usage();
    const errorsBefore = errors;
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    delay.enable();
    await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
    delay.disable();
    const windowMs = performance.now() - w0;
    const cpu = process.cpuUsage(cpu0);
    const labAfter = await lab.usage();
    const inWindow = events.filter((e) => e.at >= w0 && e.at < w0 + windowMs);
    const windowCpuMs = (cpu.user + cpu.system) / 1000;

    const watched = monitor.names();
    const template = watched.find((w) => w.state !== null)?.state ?? null;
    const reportBytes = watched.reduce((sum, w) => sum + (w.reportJson?.length ?? 0), 0);
    const stateFileBytes = statSync(statePath).size;
    const withNames = await memory(gc);
    const loadAfter = loadavg();
    await monitor.close();
    monitor = null;
    progress(`reference: bare checks at ${fmt(rate, 2)} a second for ${pacedSeconds} s, again`);
    const pacedAfter = await pacedChecks(rate, pacedSeconds, 0, names, maxInFlight, checkOptions);
    if (template === null) throw new Error('no state to measure the file store with');
    const saves: SaveCost[] = [];
    for (const size of options.saveSizes ?? [1000, 10_000]) {
      progress(`file store: ${SAVES} saves at ${size} names`);
      saves.push(await fileStoreSaves(join(dir, `saves-${size}.json`), size, template));
    }

    const perCheckMs = windowCpuMs / inWindow.length;
    const pacedMs = (pacedBefore.cpuMs + pacedAfter.cpuMs) / (pacedBefore.checks + pacedAfter.checks);
    const failedInWindow = inWindow.filter((e) => !e.ok).length;
    const failedAll = events.filter((e) => !e.ok).length;
    const labCheckMs = (labAfter.cpuMs - labBefore.cpuMs) / inWindow.length;
    const lag = (ns: number): number => Math.max(0, ns / 1e6 - DELAY_RESOLUTION_MS);

    write(`## monitor: ${names} watched names on one instance (issue 20)\n\n`);
    write(
      `- date: ${startedAt.toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}; ` +
        `load average (1, 5, 15 min) ${loadBefore.map((l) => fmt(l, 2)).join(', ')} at the start, ${loadAfter.map((l) => fmt(l, 2)).join(', ')} at the end\n`,
    );
    write(
      `- lab (a child process, not counted): ${names} names \`s<i>.${MONITOR_LAB_ZONE}\` over ${hostCount} HTTPS hosts, one A record each, ` +
        `no well-known (refused), no SRV: every check takes step 6 (as check-throughput)\n`,
    );
    write(
      `- monitor: \`startMonitor\` with the file state store, interval ${intervalSeconds} s, max_in_flight ${maxInFlight}, ` +
        `the default 30 s check budget, no notification channel (every name works: nothing to send)\n\n`,
    );
    write(`| figure | value |\n|---|--:|\n`);
    const row = (label: string, value: string): void => write(`| ${label} | ${value} |\n`);
    row('first round: every name checked once (s)', fmt(firstRoundMs / 1000));
    row(
      'first round: checks / CPU s',
      `${firstRoundChecks} / ${fmt((firstRoundCpu.user + firstRoundCpu.system) / 1e6)}`,
    );
    row('measured window (s)', fmt(windowMs / 1000));
    row('checks in the window', String(inWindow.length));
    row('failed checks in the window / over the whole run', `${failedInWindow} / ${failedAll}`);
    row('checks that threw; warnings logged', `${errors - errorsBefore} (window), ${errors} (run); ${warnings}`);
    row('monitor process CPU in the window (s)', fmt(windowCpuMs / 1000, 2));
    row('**CPU s per watched name per interval** (window CPU / checks)', `**${fmt(perCheckMs / 1000, 4)}**`);
    row(
      `**CPU % of one core at ${names} names** (that x ${names} / ${intervalSeconds} s)`,
      `**${fmt(((perCheckMs * names) / (intervalSeconds * 1000)) * 100, 2)}**`,
    );
    row('CPU % of one core measured over the window', fmt((windowCpuMs / windowMs) * 100, 2));
    row(
      `bare checkServer CPU s per check at the monitor's pace, ${fmt(rate, 2)}/s (before / after)`,
      `${fmt(pacedBefore.cpuMs / pacedBefore.checks / 1000, 4)} / ${fmt(pacedAfter.cpuMs / pacedAfter.checks / 1000, 4)}`,
    );
    row('**ratio: monitor CPU per check / bare check at the same pace**', `**${fmt(perCheckMs / pacedMs, 3)}**`);
    row(
      `bare checkServer CPU s per check, ${maxInFlight} at a time (the machine's pace)`,
      fmt(bareBefore.cpuMs / bareBefore.checks / 1000, 4),
    );
    row('lab process CPU s per check (the servers, for scale)', fmt(labCheckMs / 1000, 4));
    row(
      'bare checks that failed (paced before / after; 8 at a time)',
      `${pacedBefore.failures} / ${pacedAfter.failures}; ${bareBefore.failures}`,
    );
    row(
      'event-loop delay in the window, p50 / p99 / max (ms)',
      `${fmt(lag(delay.percentile(50)))} / ${fmt(lag(delay.percentile(99)))} / ${fmt(lag(delay.max))}`,
    );
    row('heap after GC without / with the names (MiB)', `${mib(without.heapUsed)} / ${mib(withNames.heapUsed)}`);
    row('**heap per watched name** (KiB)', `**${kib((withNames.heapUsed - without.heapUsed) / names)}**`);
    row('RSS after GC without / with the names (MiB)', `${mib(without.rss)} / ${mib(withNames.rss)}`);
    row('**RSS per watched name** (KiB)', `**${kib((withNames.rss - without.rss) / names)}**`);
    row('external memory per watched name (KiB)', kib((withNames.external - without.external) / names));
    row('last report kept per name, native JSON (KiB, mean)', kib(reportBytes / names));
    row('state file per name (KiB)', kib(stateFileBytes / names));
    write('\n');
    write(
      `The file store alone: ${SAVES} saves one after another (the worst case: saves made while a write is under way ` +
        `share the next write) of a name's state as the monitor saved it, into a file holding that many names:\n\n`,
    );
    write(
      `| names in the file | file (MiB) | CPU ms per save, user + system | wall ms per save |\n|--:|--:|--:|--:|\n`,
    );
    for (const c of saves)
      write(
        `| ${c.names} | ${mib(c.fileBytes)} | ${fmt(c.userMs, 2)} + ${fmt(c.systemMs, 2)} | ${fmt(c.wallMs, 2)} |\n`,
      );
    write('\n');
  } finally {
    await monitor?.close();
    await lab.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: monitor [--names N (default 1000)] [--hosts H (4)] [--interval S (300)] [--window S (the interval)]
               [--max-in-flight C (8)] [--bare-checks N (200)] [--paced-seconds S (60)] [--save-sizes N,N... (1000,10000)]`;

/** Command-line entry: parses the flags, runs, and exits (a watchdog ends a stuck run). */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      names: { type: 'string' },
      hosts: { type: 'string' },
      interval: { type: 'string' },
      window: { type: 'string' },
      'max-in-flight': { type: 'string' },
      'bare-checks': { type: 'string' },
      'paced-seconds': { type: 'string' },
      'save-sizes': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interval = numberOption('interval', values.interval, 300, { integer: true, sign: 'positive' });
  const window = numberOption('window', values.window, interval, { integer: false, sign: 'positive' });
  // The first round, the window and the reference phases take about two intervals; give up after twice that.
  const watchdog = setTimeout(
    () => {
      process.stderr.write('monitor: still running long after the measured window; giving up\n');
      labChild?.kill('SIGKILL');
      process.exit(1);
    },
    (2 * interval + window) * 2_000 + 300_000,
  );
  watchdog.unref();
  await runMonitorBenchmark({
    names: numberOption('names', values.names, 1000, { integer: true, sign: 'positive' }),
    hosts: numberOption('hosts', values.hosts, 4, { integer: true, sign: 'positive' }),
    intervalSeconds: interval,
    windowSeconds: window,
    maxInFlight: numberOption('max-in-flight', values['max-in-flight'], 8, { integer: true, sign: 'positive' }),
    bareChecks: numberOption('bare-checks', values['bare-checks'], 200, { integer: true, sign: 'positive' }),
    pacedSeconds: numberOption('paced-seconds', values['paced-seconds'], 60, { integer: false, sign: 'positive' }),
    saveSizes: (values['save-sizes'] ?? '1000,10000')
      .split(',')
      .map((n) => numberOption('save-sizes', n, 0, { integer: true, sign: 'positive' })),
  });
  return 0;
}

// The watchdog depends on the interval: main sets it.
runAsScript(import.meta.url, main, { name: 'monitor', watchdogMs: 0, cleanUp: () => labChild?.kill('SIGKILL') });
