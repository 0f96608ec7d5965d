// Benchmark: well-known requests per second and p99 latency of `serve`, next to bare node:http and nginx, all under wrk.

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuModel, numberOption, runAsScript } from './_shared.js';
import { freePort } from '../support/free-port.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** The endpoint measured: what every remote homeserver asks a delegating domain (spec "Resolving server names", step 3). */
const PATH = '/.well-known/matrix/server';
const HOST = '127.0.0.1';
/** The whole benchmark stops itself after this long plus the wrk runs it asked for, whatever happens. */
const WATCHDOG_MS = 120_000;
/** The benchmark's targets (issue #5). */
export const TARGETS = Object.freeze({ ratioToBareNode: 0.9, p99Ms: 5 });

/** Options of {@link runServeThroughput}; defaults in brackets. */
export interface ServeThroughputOptions {
  /** Length of each measured wrk run, seconds [10]. */
  readonly durationSeconds?: number;
  /** Length of the unmeasured wrk run before it, seconds [2]. */
  readonly warmUpSeconds?: number;
  /** Measured runs per server, in rotation; each server's row is its median round [1]. */
  readonly rounds?: number;
  /** Rounds of the paired measurement (matrix-delegation and bare node:http loaded at once on one core) [0]. */
  readonly pairedRounds?: number;
  /** Open connections of wrk (one thread) [50]. */
  readonly connections?: number;
  /** The core every server is pinned to [1]. */
  readonly serverCpu?: number;
  /** The core wrk is pinned to [0]. */
  readonly loadCpu?: number;
  /** How matrix-delegation runs: `dist` (the build), `build` (src/ compiled now), `tsx`; `auto` takes dist when current, else builds [auto]. */
  readonly runtime?: Runtime;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

/** What wrk measured. */
export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** "Non-2xx or 3xx responses" (0 when wrk prints no such line). */
  readonly non2xx: number;
  /** connect + read + write + timeout socket errors. */
  readonly socketErrors: number;
}

/** A wrk duration (`812.00us`, `1.23ms`, `2.00s`, `1.00m`) in milliseconds. */
export function parseWrkDuration(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (m === null) throw new Error(`not a wrk duration: ${JSON.stringify(text)}`);
  const value = Number(m[1]);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return value * scale;
}

/** Reads the numbers out of `wrk --latency` output; throws when a line it needs is missing. */
export function parseWrkOutput(output: string): WrkResult {
  const need = (re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(output);
    if (m === null) throw new Error(`wrk output has no ${what}:\n${output}`);
    return m;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const latency = need(/^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)/m, 'latency line');
  return {
    requestsPerSecond: Number(need(/^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec')[1]),
    requests: Number(need(/^\s*(\d+) requests in /m, 'request count')[1]),
    p50Ms: parseWrkDuration(need(/^\s*50%\s+(\S+)/m, '50% latency (run wrk with --latency)')[1]!),
    p99Ms: parseWrkDuration(need(/^\s*99%\s+(\S+)/m, '99% latency (run wrk with --latency)')[1]!),
    maxMs: parseWrkDuration(latency[3]!),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: errors === null ? 0 : errors.slice(1, 5).reduce((sum, n) => sum + Number(n), 0),
  };
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${HOST}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One GET of the measured path: status, headers (lowercase) and body. */
function get(port: number): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path: PATH, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers[name] = value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every child still running, so that the watchdog can end them too. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Starts `command` pinned to `cpu`; its output is kept for error messages. */
function startPinned(
  cpu: number,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; output: () => string } {
  const child = track(
    spawn('taskset', ['-c', String(cpu), command, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return { child, output: () => output };
}

/** Stops a child and waits for it (SIGTERM, then SIGKILL after 5 s). */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs wrk pinned to `cpu` against the measured path; resolves with its parsed output. */
function runWrk(cpu: number, port: number, connections: number, seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const args = [
      '-c',
      String(cpu),
      'wrk',
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--latency',
      `http://${HOST}:${port}${PATH}`,
    ];
    const child = track(spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else {
        try {
          resolve(parseWrkOutput(output));
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
function clockTicksPerSecond(): number {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(out.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
}

/** Parent pid and user + system CPU ticks of a process, from /proc/<pid>/stat; null when it is gone. */
function procStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after the last ")" start at "state".
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) used so far by `pid` and its descendants (nginx's worker is a child of its
 * master). Measured around each run, it gives the CPU cost per request, which other load on the machine
 * does not change the way it changes requests per second.
 */
export function treeCpuSeconds(pid: number, ticksPerSecond: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== null) stats.set(Number(entry), stat);
  }
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    ticks += stats.get(current)?.ticks ?? 0;
    for (const [child, stat] of stats) if (stat.ppid === current) queue.push(child);
  }
  return ticks / ticksPerSecond;
}

/** Newest modification time of the files under `dir` with `suffix`. */
function newestMtime(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(suffix)) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** How matrix-delegation runs: the build in dist/, a fresh build of src/ in .tmp/, or the sources through tsx. */
export type Runtime = 'auto' | 'dist' | 'build' | 'tsx';

/** Where `--runtime build` compiles src/ (inside the checkout, so that node_modules resolves; git ignores .tmp/). */
const BUILD_DIR = join(ROOT, '.tmp', 'serve-throughput-build');

/** Compiles src/ with the project's build settings (no declarations or maps) into {@link BUILD_DIR}. */
function buildSources(): void {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    tsc,
    '-p',
    join(ROOT, 'tsconfig.build.json'),
    '--outDir',
    BUILD_DIR,
    '--declaration',
    'false',
    '--declarationMap',
    'false',
    '--sourceMap',
    'false',
  ];
  // tsc emits despite type errors elsewhere in a tree being worked on; only a missing entry point is fatal.
  spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(join(BUILD_DIR, 'cli', 'main.js')))
    throw new Error('tsc did not produce a build of src/; try --runtime tsx');
}

/**
 * How to start matrix-delegation, and why that way. `auto` takes dist/ when it is newer than every source
 * file, else builds src/ afresh: production runs compiled JavaScript, and tsx adds a `__name()` call to every
 * function it creates (esbuild's keepNames), a cost per request that no build has.
 */
function chooseRuntime(wanted: Runtime): { args: string[]; description: string } {
  const distMain = join(ROOT, 'dist', 'cli', 'main.js');
  if (wanted === 'tsx')
    return {
      args: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')],
      description: '`node --import tsx src/cli/main.ts` (the sources through tsx)',
    };
  if (wanted === 'dist') {
    if (!existsSync(distMain))
      throw new Error('dist/cli/main.js is missing: run `npm run build` first, or use --runtime build');
    return { args: [distMain], description: '`node dist/cli/main.js` (the build in dist/)' };
  }
  if (
    wanted === 'auto' &&
    existsSync(distMain) &&
    newestMtime(join(ROOT, 'src'), '.ts') <= statSync(distMain).mtimeMs
  ) {
    return {
      args: [distMain],
      description: '`node dist/cli/main.js` (the build in dist/, newer than every source file)',
    };
  }
  const started = Date.now();
  buildSources();
  const why = wanted === 'auto' ? (existsSync(distMain) ? 'dist/ is older than src/, so ' : 'no dist/, so ') : '';
  return {
    args: [join(BUILD_DIR, 'cli', 'main.js')],
    description: `\`node .tmp/serve-throughput-build/cli/main.js\` (${why}src/ built with tsconfig.build.json for this run, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  };
}

/** The bare node:http server: the same body and headers from memory, nothing else (the runtime's limit). */
const BARE_NODE_SCRIPT = `
const http = require('node:http');
const { body, headers, port } = JSON.parse(process.env.BENCH_RESPONSE);
const buffer = Buffer.from(body);
http.createServer((req, res) => { res.writeHead(200, headers); res.end(buffer); }).listen(port, '127.0.0.1');
`;

/** nginx with one worker answering the path with the same body and headers via \`return 200\`. */
function nginxConfig(dir: string, port: number, body: string, headers: Record<string, string>): string {
  const quote = (text: string): string => `"${text.replace(/["\\$]/g, (c) => `\\${c}`)}"`;
  const addHeaders = Object.entries(headers)
    .filter(([name]) => name !== 'content-type' && name !== 'content-length')
    .map(([name, value]) => `      add_header ${name} ${quote(value)} always;`)
    .join('\n');
  return `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 1000000;
  server {
    listen ${HOST}:${port};
    location = ${PATH} {
      default_type ${headers['content-type'] ?? 'application/json'};
${addHeaders}
      return 200 ${quote(body)};
    }
  }
}
`;
}

/** One measured server. */
interface Row {
  readonly name: string;
  readonly result: WrkResult;
  /** The server's CPU time (user + system, all its processes) per request of the measured run, microseconds. */
  readonly cpuMicrosPerRequest: number;
  /** The server's CPU use during the measured run, in cores (1.00: one core fully busy). */
  readonly cpuCores: number;
}

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** A server started for the benchmark. */
interface StartedServer {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
}

/** The median of some numbers (the lower middle one for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/**
 * Runs the benchmark: matrix-delegation, a bare node:http server and nginx, all pinned to `serverCpu` and each
 * checked to send the same body and headers; then, `rounds` times, for each server in turn a warm-up (first
 * round only) and a measured `wrk -t1 -cN --latency` pinned to `loadCpu`. Idle servers cost nothing, so all
 * three stay up. With several rounds each server's row is its median round (by requests/s), which keeps a
 * burst of other load on the machine from deciding the comparison. Prints a markdown section.
 *
 * @example
 * ```ts
 * await runServeThroughput({ durationSeconds: 5, rounds: 3 });
 * ```
 */
export async function runServeThroughput(options: ServeThroughputOptions = {}): Promise<Row[]> {
  const duration = options.durationSeconds ?? 10;
  const warmUp = options.warmUpSeconds ?? 2;
  const connections = options.connections ?? 50;
  const rounds = options.rounds ?? 1;
  const serverCpu = options.serverCpu ?? 1;
  const loadCpu = options.loadCpu ?? 0;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const missing = ['wrk', 'nginx', 'taskset'].filter((tool) => !which(tool));
  if (missing.length > 0)
    throw new Error(`missing ${missing.join(', ')}: run \`bash scripts/setup-system.sh --bench\` (as root)`);
  if (Math.max(serverCpu, loadCpu) >= cpus().length)
    throw new Error(`cores ${serverCpu} and ${loadCpu} do not exist (${cpus().length} cores)`);
  const runtime = chooseRuntime(options.runtime ?? 'auto');
  const dir = mkdtempSync(join(tmpdir(), 'serve-throughput-'));
  const started = Date.now();
  const load = loadavg()[0]!.toFixed(1);
  const ticksPerSecond = clockTicksPerSecond();
  const servers: StartedServer[] = [];
  const measured = new Map<string, Row[]>();
  const pairedRounds = options.pairedRounds ?? 0;
  const paired: { readonly md: WrkResult; readonly bare: WrkResult }[] = [];

  const measure = async ({ name, child, port }: StartedServer, round: number): Promise<void> => {
    if (round === 0) await runWrk(loadCpu, port, connections, warmUp);
    // taskset execs the command, so the child's pid is the server's (nginx: its master).
    const pid = child.pid!;
    const cpuBefore = treeCpuSeconds(pid, ticksPerSecond);
    const wallBefore = performance.now();
    const result = await runWrk(loadCpu, port, connections, duration);
    const cpu = treeCpuSeconds(pid, ticksPerSecond) - cpuBefore;
    const wall = (performance.now() - wallBefore) / 1000;
    if (child.exitCode !== null) throw new Error(`${name} exited during the run`);
    const list = measured.get(name) ?? [];
    list.push({ name, result, cpuMicrosPerRequest: (cpu / result.requests) * 1e6, cpuCores: cpu / wall });
    measured.set(name, list);
  };

  try {
    // matrix-delegation first: its answer is what the other two must send too.
    const mdPort = await freePort();
    const configPath = join(dir, 'serve.yaml');
    writeFileSync(
      configPath,
      `server_name: example.org\ndelegation_target: matrix.example.org:443\nlisteners:\n  - port: ${mdPort}\n    bind_addresses: ['${HOST}']\nlogging:\n  level: warn\n`,
    );
    const md = startPinned(serverCpu, process.execPath, [...runtime.args, 'serve', '--config', configPath]);
    servers.push({ name: 'matrix-delegation `serve`', child: md.child, port: mdPort });
    await waitForPort(mdPort, md.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${md.output()}`);
    });
    const reference = await get(mdPort);
    if (reference.status !== 200 || reference.body !== '{"m.server":"matrix.example.org:443"}') {
      throw new Error(`matrix-delegation answered ${reference.status} ${reference.body}`);
    }
    // The headers a server chooses (not Date, Connection, Keep-Alive: those each server adds by itself).
    const headers = Object.fromEntries(
      Object.entries(reference.headers).filter(
        ([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name),
      ),
    );

    const barePort = await freePort();
    const bare = startPinned(serverCpu, process.execPath, ['-e', BARE_NODE_SCRIPT], {
      ...process.env,
      BENCH_RESPONSE: JSON.stringify({ body: reference.body, headers, port: barePort }),
    });
    servers.push({ name: 'bare `node:http`', child: bare.child, port: barePort });
    await waitForPort(barePort, bare.child);

    const nginxPort = await freePort();
    writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, nginxPort, reference.body, headers));
    const nginx = startPinned(serverCpu, 'nginx', [
      '-p',
      dir,
      '-c',
      join(dir, 'nginx.conf'),
      '-e',
      join(dir, 'nginx-error.log'),
    ]);
    servers.push({ name: 'nginx, 1 worker, `return 200`', child: nginx.child, port: nginxPort });
    await waitForPort(nginxPort, nginx.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${nginx.output()}`);
    });

    for (const server of servers.slice(1)) {
      const answer = await get(server.port);
      const differs = Object.entries(headers).filter(([name, value]) => answer.headers[name] !== value);
      if (answer.status !== 200 || answer.body !== reference.body || differs.length > 0) {
        throw new Error(
          `${server.name} answered differently: ${answer.status} ${answer.body} ${JSON.stringify(differs)}`,
        );
      }
    }
    for (let round = 0; round < rounds; round++) for (const server of servers) await measure(server, round);
    // Paired: matrix-delegation and bare node:http loaded at the same time, sharing core serverCpu (and each with
    // its own wrk on loadCpu). Both get the same share of the same core under the same conditions, so the ratio of
    // their requests/s is the ratio of their cost per request, whatever the machine's speed does meanwhile (on a
    // shared VM it drifts by 20 % within seconds, more than the difference measured).
    for (let round = 0; round < pairedRounds; round++) {
      const [mdRun, bareRun] = await Promise.all([
        runWrk(loadCpu, servers[0]!.port, connections, duration),
        runWrk(loadCpu, servers[1]!.port, connections, duration),
      ]);
      paired.push({ md: mdRun, bare: bareRun });
    }
  } finally {
    await Promise.all(servers.map((server) => stop(server.child)));
    rmSync(dir, { recursive: true, force: true });
  }

  // Each server's median round by requests/s.
  const rows: Row[] = servers.map(({ name }) => {
    const list = measured.get(name) ?? [];
    const middle = median(list.map((r) => r.result.requestsPerSecond));
    return list.find((r) => r.result.requestsPerSecond === middle)!;
  });
  const [mdRow, bareRow, nginxRow] = rows as [Row, Row, Row];
  const ms = (value: number): string => value.toFixed(2);
  write(`## serve-throughput\n\n`);
  write(
    `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}; load average ${load} at the start\n`,
  );
  write(`- matrix-delegation ran as ${runtime.description}, logging at warn\n`);
  write(
    `- each server pinned to core ${serverCpu}, wrk to core ${loadCpu}: \`wrk -t1 -c${connections} -d${duration}s --latency http://${HOST}:PORT${PATH}\` after a ${warmUp} s warm-up`,
  );
  write(
    rounds === 1
      ? '\n\n'
      : `; ${rounds} rounds (matrix-delegation, bare node:http, nginx in turn), each row the server's median round\n\n`,
  );
  write(
    `| server | requests/s | vs bare node:http | vs nginx | p50 ms | p99 ms | max ms | non-2xx | socket errors | server CPU µs/request | server CPU use |${rounds === 1 ? '' : ' requests/s of each round |'}\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|${rounds === 1 ? '' : '---|'}\n`,
  );
  for (const { name, result, cpuMicrosPerRequest, cpuCores } of rows) {
    const all =
      rounds === 1
        ? ''
        : ` ${(measured.get(name) ?? []).map((r) => Math.round(r.result.requestsPerSecond)).join(', ')} |`;
    write(
      `| ${name} | ${Math.round(result.requestsPerSecond)} | ${(result.requestsPerSecond / bareRow.result.requestsPerSecond).toFixed(2)}x | ${(result.requestsPerSecond / nginxRow.result.requestsPerSecond).toFixed(2)}x | ${ms(result.p50Ms)} | ${ms(result.p99Ms)} | ${ms(result.maxMs)} | ${result.non2xx} | ${result.socketErrors} | ${cpuMicrosPerRequest.toFixed(1)} | ${cpuCores.toFixed(2)} cores |${all}\n`,
    );
  }
  const md = mdRow.result;
  const ratio = md.requestsPerSecond / bareRow.result.requestsPerSecond;
  const errors = [...measured.values()].flat().reduce((sum, r) => sum + r.result.non2xx + r.result.socketErrors, 0);
  const met = (ok: boolean): string => (ok ? 'met' : '**missed**');
  write(
    `\nTargets for matrix-delegation: at least ${TARGETS.ratioToBareNode}x bare node:http: ${ratio.toFixed(2)}x, ${met(ratio >= TARGETS.ratioToBareNode)}; `,
  );
  write(`no errors: ${errors} non-2xx and socket errors over all runs, ${met(errors === 0)}; `);
  write(`p99 under ${TARGETS.p99Ms} ms: ${ms(md.p99Ms)} ms, ${met(md.p99Ms < TARGETS.p99Ms)}. `);
  write(
    `CPU per request against bare node:http: ${(bareRow.cpuMicrosPerRequest / mdRow.cpuMicrosPerRequest).toFixed(2)}x as efficient.\n`,
  );
  if (paired.length > 0) {
    const ratios = paired.map((p) => p.md.requestsPerSecond / p.bare.requestsPerSecond);
    const pairedErrors = paired.reduce(
      (sum, p) => sum + p.md.non2xx + p.md.socketErrors + p.bare.non2xx + p.bare.socketErrors,
      0,
    );
    const middle = median(ratios);
    write(
      `\nPaired rounds (matrix-delegation and bare node:http loaded at the same time, sharing core ${serverCpu}; one \`wrk -t1 -c${connections} -d${duration}s\` each on core ${loadCpu}):\n\n`,
    );
    write(`| round | matrix-delegation requests/s | bare node:http requests/s | ratio |\n|--:|--:|--:|--:|\n`);
    paired.forEach((p, i) =>
      write(
        `| ${i + 1} | ${Math.round(p.md.requestsPerSecond)} | ${Math.round(p.bare.requestsPerSecond)} | ${(ratios[i] as number).toFixed(3)} |\n`,
      ),
    );
    write(
      `\nMedian paired ratio ${middle.toFixed(3)}x (at least ${TARGETS.ratioToBareNode}x: ${met(middle >= TARGETS.ratioToBareNode)}); ${pairedErrors} non-2xx and socket errors.\n`,
    );
  }
  write(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return rows;
}

const USAGE = `usage: serve-throughput [--duration S] [--warm-up S] [--connections N] [--rounds N] [--paired N] [--server-cpu N] [--load-cpu N] [--runtime auto|dist|build|tsx]
  needs wrk, nginx and taskset: bash scripts/setup-system.sh --bench`;

/** Command-line entry: parses the flags and runs. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      'warm-up': { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      paired: { type: 'string' },
      'server-cpu': { type: 'string' },
      'load-cpu': { type: 'string' },
      runtime: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const runtime = values.runtime ?? 'auto';
  if (runtime !== 'auto' && runtime !== 'dist' && runtime !== 'build' && runtime !== 'tsx')
    throw new Error(`--runtime must be auto, dist, build or tsx, got ${runtime}`);
  const duration = numberOption('duration', values.duration, 10, { integer: true, sign: 'non-negative' });
  if (duration < 1 || duration > 30) throw new Error('--duration must be from 1 to 30 seconds');
  const rounds = Math.min(
    Math.max(1, numberOption('rounds', values.rounds, 1, { integer: true, sign: 'non-negative' })),
    5,
  );
  const warmUp = Math.min(numberOption('warm-up', values['warm-up'], 2, { integer: true, sign: 'non-negative' }), 10);
  const budgetMs = WATCHDOG_MS + 3 * (rounds * duration + warmUp) * 1000 + 2 * 15 * duration * 1000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`serve-throughput: still running after ${budgetMs / 1000} s; giving up\n`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, budgetMs);
  watchdog.unref();
  await runServeThroughput({
    durationSeconds: duration,
    warmUpSeconds: warmUp,
    connections: Math.max(
      1,
      numberOption('connections', values.connections, 50, { integer: true, sign: 'non-negative' }),
    ),
    rounds,
    pairedRounds: Math.min(numberOption('paired', values.paired, 5, { integer: true, sign: 'non-negative' }), 15),
    serverCpu: numberOption('server-cpu', values['server-cpu'], 1, { integer: true, sign: 'non-negative' }),
    loadCpu: numberOption('load-cpu', values['load-cpu'], 0, { integer: true, sign: 'non-negative' }),
    runtime,
  });
  return 0;
}

// The watchdog is set in main (its budget depends on the options); a failure must not leave servers running.
runAsScript(import.meta.url, main, {
  name: 'serve-throughput',
  watchdogMs: 0,
  cleanUp: () => children.forEach((child) => child.kill('SIGKILL')),
});
