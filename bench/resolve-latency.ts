// Benchmark: cold resolution latency per delegation kind in the lab, sequential and overlapping, with injected DNS and connection delays, next to the spec's round-trip bounds; in-process or as whole CLI processes.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveServerName } from '../src/resolver/resolve.js';
import type { ResolutionStep, WellKnownStatus } from '../src/resolver/types.js';
import { startLab } from '../src/testing/index.js';
import type { Lab, LabNameSpec, LabZones } from '../src/testing/index.js';
import { claimRandomLoopbackAddress, releaseLoopbackAddresses } from '../src/testing/loopback.js';
import { cpuModel, median, numberOption, percentile, runAsScript } from './_shared.js';

/** Options of {@link runResolveLatency}; defaults in brackets. */
export interface ResolveLatencyOptions {
  /** Cold resolutions per scenario and configuration [30]. */
  readonly runs?: number;
  /** Delay of every DNS answer, in ms: one DNS round trip [20]. */
  readonly dnsDelayMs?: number;
  /** Delay of every accepted TCP connection before TLS starts, in ms: one connection round trip [20]. */
  readonly connectDelayMs?: number;
  /** Also measure with both delays at 0 (the machinery's own cost) [true]. */
  readonly baseline?: boolean;
  /** Only these scenario ids (e.g. `['3.3', '4-refused']`) [all]. */
  readonly scenarios?: readonly string[];
  /**
   * Measure whole command-line processes instead of in-process calls [false]: `node dist/cli/main.js resolve NAME
   * --json` (with `--sequential` for the plain sequence) next to a process that resolves an IP literal with the same
   * flags (no network), whose time is subtracted: what remains is the resolution as a user of the CLI waits for it.
   * Only the configuration with the chosen delays is run (start-up is subtracted per pair, not by a D = C = 0 run).
   */
  readonly cli?: boolean;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

/** Round trips of a path: DNS round trips (D each) and connection round trips (C each). */
interface RoundTrips {
  readonly dns: number;
  readonly connect: number;
}

/** One delegation kind: a server name in the lab that resolves through it, and its two lower bounds. */
interface Scenario {
  readonly id: string;
  readonly kind: string;
  readonly serverName: (lab: Lab) => string;
  /** The step every target must come from, and the well-known status expected: checked on every run. */
  readonly step: ResolutionStep;
  readonly wellKnown: WellKnownStatus;
  /**
   * The spec's sequence done as written: each lookup starts when the step before it has its answer; the
   * only parallelism is AAAA with A for one name (and the targets of several SRV records).
   */
  readonly sequence: RoundTrips;
  /**
   * What data dependencies alone force: every lookup starts as soon as its question is known (speculative
   * SRV and address lookups, discarded if the spec's order does not use them). A resolver with overlapping
   * lookups could reach it; nothing can beat it.
   */
  readonly dependency: (d: number, c: number) => number;
  readonly dependencyFormula: string;
}

/** The two ways of resolving that are measured: the spec's sequence as written, and overlapping lookups. */
type Mode = 'sequential' | 'overlapping';
const MODES: readonly Mode[] = ['sequential', 'overlapping'];

/** A measured scenario in one mode. */
interface ModeMeasure {
  readonly samplesMs: readonly number[];
  /** DNS queries and well-known connections one resolution made (the same on every run, or the run throws). */
  readonly queries: number;
  readonly connections: number;
}

/** A measured scenario. */
interface Measured {
  readonly scenario: Scenario;
  readonly modes: Readonly<Record<Mode, ModeMeasure>>;
}

/** What one resolution cost and did. */
interface Sample {
  readonly elapsedMs: number;
  readonly queries: number;
  readonly connections: number;
  /** The targets and well-known status, to check that both modes give one answer. */
  readonly answer: string;
}

const DEFAULT_RUNS = 30;
/** Untimed rounds of every scenario before measuring, per configuration. */
const WARM_UP_ROUNDS = 3;
/** The whole benchmark stops itself after this long, whatever happens (the lab is loopback-only anyway). */
const WATCHDOG_MS = 300_000;
/** The SRV port in the zones: never dialled, resolution only reads it. */
const SRV_PORT = 8448;
const ZONE = 'bench.test';

/** Well-known answers by the host asked for (`null` = 404). Filled once the lab ports are known. */
type WellKnownTable = ReadonlyMap<string, (lab: Lab) => string | null>;

const WELL_KNOWN: WellKnownTable = new Map<string, (lab: Lab) => string | null>([
  [`ipdeleg.${ZONE}`, (lab) => `${lab.address('fed')}:${lab.ports.federation}`],
  [`portdeleg.${ZONE}`, (lab) => `matrix.portdeleg.${ZONE}:${lab.ports.federation}`],
  [`srvdeleg.${ZONE}`, () => `matrix.srvdeleg.${ZONE}`],
  [`legacydeleg.${ZONE}`, () => `matrix.legacydeleg.${ZONE}`],
  [`plaindeleg.${ZONE}`, () => `matrix.plaindeleg.${ZONE}`],
]);

const SCENARIOS: readonly Scenario[] = [
  {
    id: '1',
    kind: 'IP literal',
    serverName: (lab) => lab.address('fed'),
    step: '1',
    wellKnown: 'skipped',
    sequence: { dns: 0, connect: 0 },
    dependency: () => 0,
    dependencyFormula: '0',
  },
  {
    id: '2',
    kind: 'explicit port: A/AAAA',
    serverName: (lab) => `explicit.${ZONE}:${lab.ports.federation}`,
    step: '2',
    wellKnown: 'skipped',
    sequence: { dns: 1, connect: 0 },
    dependency: (d) => d,
    dependencyFormula: 'D',
  },
  {
    id: '3.1',
    kind: 'well-known -> IP literal',
    serverName: () => `ipdeleg.${ZONE}`,
    step: '3.1',
    wellKnown: 'delegated',
    sequence: { dns: 1, connect: 1 },
    dependency: (d, c) => d + c,
    dependencyFormula: 'D+C',
  },
  {
    id: '3.2',
    kind: 'well-known -> host:port, A/AAAA',
    serverName: () => `portdeleg.${ZONE}`,
    step: '3.2',
    wellKnown: 'delegated',
    sequence: { dns: 2, connect: 1 },
    dependency: (d, c) => 2 * d + c,
    dependencyFormula: '2D+C',
  },
  {
    id: '3.3',
    kind: 'well-known -> host, SRV _matrix-fed',
    serverName: () => `srvdeleg.${ZONE}`,
    step: '3.3',
    wellKnown: 'delegated',
    sequence: { dns: 3, connect: 1 },
    dependency: (d, c) => 3 * d + c,
    dependencyFormula: '3D+C',
  },
  {
    id: '3.4',
    kind: 'well-known -> host, SRV _matrix (legacy)',
    serverName: () => `legacydeleg.${ZONE}`,
    step: '3.4',
    wellKnown: 'delegated',
    // _matrix-fed (empty), then _matrix, then the target's A/AAAA.
    sequence: { dns: 4, connect: 1 },
    // Both SRV names are known once m.server is: ask them together.
    dependency: (d, c) => 3 * d + c,
    dependencyFormula: '3D+C',
  },
  {
    id: '3.5',
    kind: 'well-known -> host, no SRV, A/AAAA :8448',
    serverName: () => `plaindeleg.${ZONE}`,
    step: '3.5',
    wellKnown: 'delegated',
    sequence: { dns: 4, connect: 1 },
    // Both SRV names and the delegated host's A/AAAA, all at once.
    dependency: (d, c) => 2 * d + c,
    dependencyFormula: '2D+C',
  },
  {
    id: '4',
    kind: 'well-known 404 -> SRV _matrix-fed',
    serverName: () => `srv.${ZONE}`,
    step: '4',
    wellKnown: 'absent',
    // A/AAAA + connect for the well-known, then SRV, then the target's A/AAAA.
    sequence: { dns: 3, connect: 1 },
    // The SRV chain does not depend on the well-known answer, only the choice does: overlap them.
    dependency: (d, c) => Math.max(d + c, 2 * d),
    dependencyFormula: 'max(D+C,2D)',
  },
  {
    id: '4-refused',
    kind: 'well-known connection refused -> SRV _matrix-fed',
    serverName: () => `refused.${ZONE}`,
    step: '4',
    wellKnown: 'error',
    // The refusal is immediate in the lab (no listener, the kernel answers RST): no C is injected for it.
    sequence: { dns: 3, connect: 0 },
    dependency: (d) => 2 * d,
    dependencyFormula: '2D',
  },
  {
    id: '5',
    kind: 'well-known 404 -> SRV _matrix (legacy)',
    serverName: () => `legacy.${ZONE}`,
    step: '5',
    wellKnown: 'absent',
    sequence: { dns: 4, connect: 1 },
    dependency: (d, c) => Math.max(d + c, 2 * d),
    dependencyFormula: 'max(D+C,2D)',
  },
  {
    id: '6',
    kind: 'well-known 404 -> no SRV, A/AAAA :8448',
    serverName: () => `plain.${ZONE}`,
    step: '6',
    wellKnown: 'absent',
    sequence: { dns: 4, connect: 1 },
    // The host's A/AAAA were already asked for the well-known fetch: reuse them.
    dependency: (d, c) => Math.max(d + c, d),
    dependencyFormula: 'D+C',
  },
];

/**
 * The zones: every name carries `delayMs`. Names that must have no SRV records are present with `delayMs`
 * alone, so they answer NODATA after the delay (a name absent from the zones would answer NXDOMAIN at once,
 * undelayed); the resolver treats NODATA and NXDOMAIN alike ("no records"). That includes the SRV names only the
 * overlapping mode asks (those of a server name whose well-known delegates, the legacy name next to a
 * `_matrix-fed` one): both SRV names of every host exist, so that no answer comes faster than a round trip.
 */
function benchZones(dnsDelayMs: number, refusedAddress: string): LabZones {
  const zones: Record<string, LabNameSpec> = { ...stepZones(dnsDelayMs, refusedAddress) };
  const hosts = new Set(Object.keys(zones).map((name) => name.replace(/^_matrix(-fed)?\._tcp\./, '')));
  for (const host of hosts) {
    // The host itself too: overlapping lookups ask a delegated host's addresses along with its SRV names (step 3.5).
    for (const name of [host, `_matrix-fed._tcp.${host}`, `_matrix._tcp.${host}`])
      zones[name] ??= { delayMs: dnsDelayMs };
  }
  return zones;
}

/** The names each scenario's path needs. */
function stepZones(dnsDelayMs: number, refusedAddress: string): LabZones {
  const at = (spec: Omit<LabNameSpec, 'delayMs'> = {}): LabNameSpec => ({ ...spec, delayMs: dnsDelayMs });
  const srv = (target: string): LabNameSpec => at({ SRV: [{ priority: 0, weight: 0, port: SRV_PORT, target }] });
  return {
    [`explicit.${ZONE}`]: at({ A: ['fed'] }),
    [`ipdeleg.${ZONE}`]: at({ A: ['wk'] }),
    [`portdeleg.${ZONE}`]: at({ A: ['wk'] }),
    [`matrix.portdeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`srvdeleg.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.matrix.srvdeleg.${ZONE}`]: srv(`fed.srvdeleg.${ZONE}`),
    [`fed.srvdeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`legacydeleg.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.matrix.legacydeleg.${ZONE}`]: at(),
    [`_matrix._tcp.matrix.legacydeleg.${ZONE}`]: srv(`fed.legacydeleg.${ZONE}`),
    [`fed.legacydeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`plaindeleg.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.matrix.plaindeleg.${ZONE}`]: at(),
    [`_matrix._tcp.matrix.plaindeleg.${ZONE}`]: at(),
    [`matrix.plaindeleg.${ZONE}`]: at({ A: ['fed'] }),
    [`srv.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.srv.${ZONE}`]: srv(`fed.srv.${ZONE}`),
    [`fed.srv.${ZONE}`]: at({ A: ['fed'] }),
    [`refused.${ZONE}`]: at({ A: [refusedAddress] }),
    [`_matrix-fed._tcp.refused.${ZONE}`]: srv(`fed.refused.${ZONE}`),
    [`fed.refused.${ZONE}`]: at({ A: ['fed'] }),
    [`legacy.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.legacy.${ZONE}`]: at(),
    [`_matrix._tcp.legacy.${ZONE}`]: srv(`fed.legacy.${ZONE}`),
    [`fed.legacy.${ZONE}`]: at({ A: ['fed'] }),
    [`plain.${ZONE}`]: at({ A: ['wk'] }),
    [`_matrix-fed._tcp.plain.${ZONE}`]: at(),
    [`_matrix._tcp.plain.${ZONE}`]: at(),
  };
}

async function startBenchLab(zones: LabZones, connectDelayMs: number): Promise<Lab> {
  const lab: Lab = await startLab({
    zones,
    hosts: {
      wk: {
        acceptDelayMs: connectDelayMs,
        routes: {
          'GET /.well-known/matrix/server': (request) => {
            const host = (request.host ?? '').replace(/:\d+$/, '').toLowerCase();
            const mServer = WELL_KNOWN.get(host)?.(lab) ?? null;
            return mServer === null
              ? { status: 404, json: { errcode: 'M_NOT_FOUND' } }
              : { json: { 'm.server': mServer } };
          },
        },
      },
      // The targets: resolution never dials them, but they exist as a real deployment's would.
      fed: { port: 'federation', acceptDelayMs: connectDelayMs },
    },
  });
  return lab;
}

/** Resolves that `address:port` refuses connections at once (nothing listens), or rejects. */
function expectRefused(address: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = connect({ host: address, port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      reject(new Error(`${address}:${port} neither accepted nor refused a connection within 2 s`));
    });
    socket.on('connect', () => {
      socket.destroy();
      reject(new Error(`${address}:${port} accepts connections; the refused scenario needs a closed port`));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED'
        ? resolve()
        : reject(new Error(`${address}:${port}: expected ECONNREFUSED, got ${error.code ?? error.message}`)),
    );
  });
}

/**
 * One cold resolution: a fresh resolver call (a fresh DNS client; no cache), in the plain sequence or with
 * overlapping lookups. Checks the path taken, and that every DNS query was for a name of the zones (so it was
 * delayed: a name outside them would get an undelayed NXDOMAIN) over UDP, and that no target was dialled.
 */
async function resolveOnce(lab: Lab, scenario: Scenario, zoneNames: ReadonlySet<string>, mode: Mode): Promise<Sample> {
  const name = scenario.serverName(lab);
  const queriesBefore = lab.dns.queries.length;
  const wk = lab.hosts.wk!;
  const fed = lab.hosts.fed!;
  const connectionsBefore = wk.connectionCount;
  const t0 = performance.now();
  const result = await resolveServerName(name, { ...lab.clientOptions(), overlap: mode === 'overlapping' });
  const elapsedMs = performance.now() - t0;
  const steps = [...new Set(result.targets.map((t) => t.step))];
  if (
    result.error !== null ||
    steps.length !== 1 ||
    steps[0] !== scenario.step ||
    result.wellKnown.status !== scenario.wellKnown
  ) {
    const got = `steps [${steps.join(', ')}], well-known ${result.wellKnown.status}, error ${result.error?.code ?? 'none'}`;
    throw new Error(
      `scenario ${scenario.id} (${name}) took the wrong path: expected step ${scenario.step} and well-known ${scenario.wellKnown}, got ${got}`,
    );
  }
  const queries = lab.dns.queries.slice(queriesBefore);
  const stray = queries.find((q) => !zoneNames.has(q.name) || q.transport !== 'udp');
  if (stray !== undefined) {
    throw new Error(
      `scenario ${scenario.id}: DNS query ${stray.type} ${stray.name} over ${stray.transport} is outside the delayed zones`,
    );
  }
  if (fed.connectionCount !== 0)
    throw new Error(`scenario ${scenario.id}: a target was dialled; resolution should not connect to targets`);
  const answer = JSON.stringify({ targets: result.targets, wellKnown: result.wellKnown });
  return { elapsedMs, queries: queries.length, connections: wk.connectionCount - connectionsBefore, answer };
}

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** One CLI process: wall time, exit code and what it printed. */
interface CliProcess {
  readonly elapsedMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli/main.js ...args` to its end and times it from spawn to exit. */
function runCliProcess(args: readonly string[]): Promise<CliProcess> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ elapsedMs: performance.now() - started, code, stdout, stderr }));
  });
}

/** The hidden lab flags of the CLI (the same options `lab.clientOptions()` gives an in-process call). */
function labFlags(lab: Lab, caFile: string): string[] {
  const options = lab.clientOptions();
  return [
    ...(options.dnsServers ?? []).flatMap((server) => ['--dns-server', server]),
    ...(options.allowNetworks ?? []).flatMap((network) => ['--allow-network', network]),
    '--ca-file',
    caFile,
    '--well-known-port',
    String(options.wellKnownPort),
    '--federation-port',
    String(options.defaultPort),
  ];
}

/** A CLI sample: the resolution's process, the baseline process next to it, and what the resolution did. */
interface CliSample extends Sample {
  readonly processMs: number;
  readonly baselineMs: number;
}

/**
 * One cold resolution as a CLI process, next to a baseline process resolving an IP literal with the same flags (which
 * loads the same code for start-up and asks nothing), in alternating order. `elapsedMs` is the difference: the time
 * the resolution itself added. The same checks as in-process (path taken, queries delayed, no target dialled).
 */
async function cliResolveOnce(
  lab: Lab,
  scenario: Scenario,
  zoneNames: ReadonlySet<string>,
  mode: Mode,
  flags: readonly string[],
  baselineFirst: boolean,
): Promise<CliSample> {
  const name = scenario.serverName(lab);
  const wk = lab.hosts.wk!;
  const fed = lab.hosts.fed!;
  const modeFlags = mode === 'sequential' ? ['--sequential'] : [];
  const baselineArgs = ['resolve', '1.2.3.4:8448', '--json', ...flags, ...modeFlags];
  const baselineRun = async (): Promise<CliProcess> => {
    const before = lab.dns.queries.length;
    const run = await runCliProcess(baselineArgs);
    if (run.code !== 0 || lab.dns.queries.length !== before)
      throw new Error(`the baseline process failed or asked DNS (exit ${String(run.code)}): ${run.stderr}`);
    return run;
  };
  const first = baselineFirst ? await baselineRun() : undefined;
  const queriesBefore = lab.dns.queries.length;
  const connectionsBefore = wk.connectionCount;
  const run = await runCliProcess(['resolve', name, '--json', ...flags, ...modeFlags]);
  const queries = lab.dns.queries.slice(queriesBefore);
  const connections = wk.connectionCount - connectionsBefore;
  const baseline = first ?? (await baselineRun());
  if (run.code !== 0)
    throw new Error(`scenario ${scenario.id} (${name}): the CLI exited ${String(run.code)}: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    wellKnown: { status: string };
    targets: { step: string }[];
    error: { code: string } | null;
  };
  const steps = [...new Set(result.targets.map((t) => t.step))];
  if (
    result.error !== null ||
    steps.length !== 1 ||
    steps[0] !== scenario.step ||
    result.wellKnown.status !== scenario.wellKnown
  ) {
    throw new Error(
      `scenario ${scenario.id} (${name}) took the wrong path in the CLI: steps [${steps.join(', ')}], well-known ${result.wellKnown.status}, error ${result.error?.code ?? 'none'}`,
    );
  }
  const stray = queries.find((q) => !zoneNames.has(q.name) || q.transport !== 'udp');
  if (stray !== undefined)
    throw new Error(
      `scenario ${scenario.id}: DNS query ${stray.type} ${stray.name} over ${stray.transport} is outside the delayed zones`,
    );
  if (fed.connectionCount !== 0)
    throw new Error(`scenario ${scenario.id}: a target was dialled; resolution should not connect to targets`);
  const answer = JSON.stringify({ targets: result.targets, wellKnown: result.wellKnown });
  return {
    elapsedMs: run.elapsedMs - baseline.elapsedMs,
    processMs: run.elapsedMs,
    baselineMs: baseline.elapsedMs,
    queries: queries.length,
    connections,
    answer,
  };
}

/** The CLI measurement: every scenario in both modes, `runs` pairs each, scenarios and modes interleaved. */
async function measureCli(
  lab: Lab,
  scenarios: readonly Scenario[],
  runs: number,
  zoneNames: ReadonlySet<string>,
  flags: readonly string[],
): Promise<Map<string, CliSample[]>> {
  // One untimed round: the file system cache, and the lab's own first TLS handshakes.
  for (const scenario of scenarios)
    for (const mode of MODES) await cliResolveOnce(lab, scenario, zoneNames, mode, flags, true);
  const samples = new Map<string, CliSample[]>();
  for (let run = 0; run < runs; run++) {
    for (const scenario of scenarios) {
      const order = run % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        const key = `${scenario.id} ${mode}`;
        const sample = await cliResolveOnce(
          lab,
          scenario,
          zoneNames,
          mode,
          flags,
          (run + (mode === 'sequential' ? 0 : 1)) % 2 === 0,
        );
        samples.set(key, [...(samples.get(key) ?? []), sample]);
      }
      const [seq, ovl] = MODES.map((mode) => samples.get(`${scenario.id} ${mode}`)!.at(-1)!);
      if (seq!.answer !== ovl!.answer)
        throw new Error(
          `scenario ${scenario.id}: --sequential gave another answer than the default (overlapping) in the CLI`,
        );
    }
  }
  return samples;
}

/** The markdown table of the CLI measurement: resolution time (process minus baseline) against both bounds. */
function cliTable(
  scenarios: readonly Scenario[],
  samples: ReadonlyMap<string, CliSample[]>,
  d: number,
  c: number,
): string {
  const rows = [
    '| step | delegation | `--sequential`: resolution median ms | p90 ms | sequence bound ms | seq. / seq. bound | default (overlapping): resolution median ms | p90 ms | dependency bound ms | ovl. / dep. bound | ovl. / seq. | baseline process median ms |',
    '|---|---|--:|--:|---|--:|--:|--:|---|--:|--:|--:|',
  ];
  for (const scenario of scenarios) {
    const sorted = (mode: Mode): number[] =>
      samples
        .get(`${scenario.id} ${mode}`)!
        .map((s) => s.elapsedMs)
        .sort((a, b) => a - b);
    const [seq, ovl] = [sorted('sequential'), sorted('overlapping')];
    const baseline = MODES.flatMap((mode) => samples.get(`${scenario.id} ${mode}`)!.map((s) => s.baselineMs)).sort(
      (a, b) => a - b,
    );
    const sequenceMs = scenario.sequence.dns * d + scenario.sequence.connect * c;
    const dependencyMs = scenario.dependency(d, c);
    rows.push(
      `| ${scenario.id} | ${scenario.kind} | ${ms(median(seq))} | ${ms(percentile(seq, 90))} | ${formula(scenario.sequence)} = ${ms(sequenceMs)} | ${ratio(median(seq), sequenceMs)} | ${ms(median(ovl))} | ${ms(percentile(ovl, 90))} | ${scenario.dependencyFormula} = ${ms(dependencyMs)} | ${ratio(median(ovl), dependencyMs)} | ${ratio(median(ovl), median(seq))} | ${ms(median(baseline))} |`,
    );
  }
  return rows.join('\n');
}

function formula({ dns, connect: conn }: RoundTrips): string {
  const parts = [dns === 0 ? '' : dns === 1 ? 'D' : `${dns}D`, conn === 0 ? '' : conn === 1 ? 'C' : `${conn}C`].filter(
    (p) => p !== '',
  );
  return parts.length === 0 ? '0' : parts.join('+');
}

const ms = (value: number): string => value.toFixed(1);
// Under a millisecond (an IP literal's resolution, or a process difference within noise) a ratio says nothing.
const ratio = (value: number, bound: number): string =>
  bound >= 1 && value >= 0 ? `${(value / bound).toFixed(2)}x` : '–';

/** Measures every scenario in one lab configuration, scenarios interleaved so slow phases of the machine hit all alike. */
async function measure(
  lab: Lab,
  scenarios: readonly Scenario[],
  runs: number,
  zoneNames: ReadonlySet<string>,
): Promise<Measured[]> {
  // Untimed rounds first: module compilation, JIT warm-up and the TLS context for the lab CA (kept per CA
  // list by the net layer) are process start-up costs, not resolution costs.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const scenario of scenarios) for (const mode of MODES) await resolveOnce(lab, scenario, zoneNames, mode);
  }
  const samples = scenarios.map(() => ({ sequential: [] as Sample[], overlapping: [] as Sample[] }));
  for (let run = 0; run < runs; run++) {
    for (const [i, scenario] of scenarios.entries()) {
      // Both modes back to back, in alternating order, so that a slow phase of the machine hits both alike.
      const order = run % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) samples[i]![mode].push(await resolveOnce(lab, scenario, zoneNames, mode));
      const [seq, ovl] = [samples[i]!.sequential.at(-1)!, samples[i]!.overlapping.at(-1)!];
      if (seq.answer !== ovl.answer)
        throw new Error(`scenario ${scenario.id}: overlapping lookups gave another answer than the sequence`);
    }
  }
  return scenarios.map((scenario, i) => {
    const byMode = (mode: Mode): ModeMeasure => {
      const mine = samples[i]![mode];
      const first = mine[0]!;
      if (mine.some((m) => m.queries !== first.queries || m.connections !== first.connections)) {
        throw new Error(
          `scenario ${scenario.id} (${mode}): the number of DNS queries or connections changed between runs`,
        );
      }
      const samplesMs = mine.map((m) => m.elapsedMs).sort((a, b) => a - b);
      return { samplesMs, queries: first.queries, connections: first.connections };
    };
    return { scenario, modes: { sequential: byMode('sequential'), overlapping: byMode('overlapping') } };
  });
}

/**
 * The markdown table of one configuration: the sequence next to its bound, overlapping lookups next to theirs (the
 * dependency bound). `baseline` (the medians at D = C = 0, by scenario id and mode) gives the "added" columns: the
 * time the injected delays added, which the bound should account for if the code waits for nothing else.
 */
function table(
  measured: readonly Measured[],
  d: number,
  c: number,
  baseline: ReadonlyMap<string, number> | null,
): string {
  const added = baseline !== null;
  const rows = [
    `| step | delegation | DNS queries / conns seq. ; ovl. | sequential median ms | p95 ms |${added ? ' added ms |' : ''} sequence bound ms | seq. / seq. bound | overlapping median ms | p95 ms |${added ? ' added ms |' : ''} dependency bound ms | ovl. / dep. bound | ovl. / seq. |`,
    `|---|---|--:|--:|--:|${added ? '--:|' : ''}---|--:|--:|--:|${added ? '--:|' : ''}---|--:|--:|`,
  ];
  for (const { scenario, modes } of measured) {
    const { sequential: seq, overlapping: ovl } = modes;
    const sequenceMs = scenario.sequence.dns * d + scenario.sequence.connect * c;
    const dependencyMs = scenario.dependency(d, c);
    const seqMedian = median(seq.samplesMs);
    const ovlMedian = median(ovl.samplesMs);
    const addedBy = (mode: Mode, value: number): string => {
      if (!added) return '';
      const base = baseline.get(`${scenario.id} ${mode}`);
      return ` ${base === undefined ? '–' : ms(value - base)} |`;
    };
    rows.push(
      `| ${scenario.id} | ${scenario.kind} | ${seq.queries} / ${seq.connections} ; ${ovl.queries} / ${ovl.connections} | ${ms(seqMedian)} | ${ms(percentile(seq.samplesMs, 95))} |${addedBy('sequential', seqMedian)} ${formula(scenario.sequence)} = ${ms(sequenceMs)} | ${ratio(seqMedian, sequenceMs)} | ${ms(ovlMedian)} | ${ms(percentile(ovl.samplesMs, 95))} |${addedBy('overlapping', ovlMedian)} ${scenario.dependencyFormula} = ${ms(dependencyMs)} | ${ratio(ovlMedian, dependencyMs)} | ${ratio(ovlMedian, seqMedian)} |`,
    );
  }
  return rows.join('\n');
}

/**
 * Runs the benchmark: for each configuration (D = C = 0, then the chosen D and C) a fresh lab, `runs` cold
 * resolutions of every scenario in each mode (the spec's sequence as written, and overlapping lookups), and a
 * markdown table of median and p95 next to the two lower bounds. Every run is checked to have taken the
 * scenario's path, and both modes to have given the same targets and well-known outcome; otherwise it throws.
 *
 * @example
 * ```ts
 * await runResolveLatency({ runs: 10, dnsDelayMs: 20, connectDelayMs: 20 });
 * ```
 */
export async function runResolveLatency(options: ResolveLatencyOptions = {}): Promise<void> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const d = options.dnsDelayMs ?? 20;
  const c = options.connectDelayMs ?? 20;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const wanted = options.scenarios;
  const scenarios =
    wanted === undefined || wanted.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => wanted.includes(s.id));
  if (scenarios.length === 0)
    throw new Error(`no scenario matches ${wanted?.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  if (options.cli === true) {
    await runCliLatency(scenarios, runs, d, c, write);
    return;
  }
  const configurations = [...(options.baseline === false ? [] : [{ d: 0, c: 0 }]), { d, c }];

  write(`## resolve-latency\n\n`);
  write(
    `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}\n`,
  );
  write(
    `- ${runs} cold resolutions per row and mode (after ${WARM_UP_ROUNDS} untimed warm-up rounds), scenarios and modes interleaved\n\n`,
  );

  // An address on which nothing listens, for the refused well-known. Drawn like the lab's own addresses.
  const refusedAddress = claimRandomLoopbackAddress();
  let baseline: Map<string, number> | null = null;
  try {
    for (const config of configurations) {
      const zones = benchZones(config.d, refusedAddress);
      const zoneNames = new Set(Object.keys(zones));
      const lab = await startBenchLab(zones, config.c);
      try {
        await expectRefused(refusedAddress, lab.ports.https);
        const started = performance.now();
        const measured = await measure(lab, scenarios, runs, zoneNames);
        write(`### D = ${config.d} ms per DNS query, C = ${config.c} ms per connection\n\n`);
        const isBaseline = config.d === 0 && config.c === 0;
        write(`${table(measured, config.d, config.c, isBaseline ? null : baseline)}\n\n`);
        if (isBaseline)
          baseline = new Map(
            measured.flatMap((m) =>
              MODES.map((mode) => [`${m.scenario.id} ${mode}`, median(m.modes[mode].samplesMs)] as const),
            ),
          );
        write(`(${((performance.now() - started) / 1000).toFixed(1)} s)\n\n`);
      } finally {
        await lab.close();
      }
    }
  } finally {
    releaseLoopbackAddresses([refusedAddress]);
  }
}

/** The CLI measurement: one lab with the chosen delays, whole processes, a table. */
async function runCliLatency(
  scenarios: readonly Scenario[],
  runs: number,
  d: number,
  c: number,
  write: (text: string) => void,
): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  write(`## resolve-latency --cli\n\n`);
  write(
    `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}\n`,
  );
  write(
    `- ${runs} cold CLI processes per row and mode (after 1 untimed round), each next to a baseline process (\`resolve 1.2.3.4:8448 --json\` with the same flags), order alternating; resolution = process - baseline\n\n`,
  );
  const refusedAddress = claimRandomLoopbackAddress();
  const dir = mkdtempSync(join(tmpdir(), 'md-resolve-latency-'));
  try {
    const zones = benchZones(d, refusedAddress);
    const lab = await startBenchLab(zones, c);
    try {
      await expectRefused(refusedAddress, lab.ports.https);
      const caFile = join(dir, 'lab-ca.pem');
      writeFileSync(caFile, lab.caCertPem);
      const started = performance.now();
      const samples = await measureCli(lab, scenarios, runs, new Set(Object.keys(zones)), labFlags(lab, caFile));
      write(
        `### D = ${d} ms per DNS query, C = ${c} ms per connection, whole CLI processes\n\n${cliTable(scenarios, samples, d, c)}\n\n`,
      );
      write(`(${((performance.now() - started) / 1000).toFixed(1)} s)\n\n`);
    } finally {
      await lab.close();
    }
  } finally {
    releaseLoopbackAddresses([refusedAddress]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: resolve-latency [--runs N] [--dns-delay-ms D] [--connect-delay-ms C] [--no-baseline] [--cli] [--scenario ID]...
  --cli   whole \`matrix-delegation resolve\` processes (dist/, so build first), start-up subtracted per pair
  scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}`;

/** Command-line entry: parses the flags, runs, and exits (a watchdog ends a stuck run). */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string' },
      'dns-delay-ms': { type: 'string' },
      'connect-delay-ms': { type: 'string' },
      'no-baseline': { type: 'boolean' },
      cli: { type: 'boolean' },
      scenario: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const runs = numberOption('runs', values.runs, DEFAULT_RUNS, { integer: true, sign: 'non-negative' });
  if (runs < 1) throw new Error('--runs must be at least 1');
  await runResolveLatency({
    runs,
    dnsDelayMs: numberOption('dns-delay-ms', values['dns-delay-ms'], 20, { integer: false, sign: 'non-negative' }),
    connectDelayMs: numberOption('connect-delay-ms', values['connect-delay-ms'], 20, {
      integer: false,
      sign: 'non-negative',
    }),
    baseline: values['no-baseline'] !== true,
    cli: values.cli === true,
    ...(values.scenario === undefined ? {} : { scenarios: values.scenario }),
  });
  return 0;
}

runAsScript(import.meta.url, main, { name: 'resolve-latency', watchdogMs: WATCHDOG_MS });
