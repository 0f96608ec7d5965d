// Runs wrk (the HTTP benchmarking tool) against the server and reads its summary: requests, errors, latency.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinned } from './processes.js';

/** True when wrk is installed. */
export const HAS_WRK = spawnSync('wrk', ['--version']).error === undefined;

/** What wrk reported. */
export interface WrkResult {
  /** Completed requests. */
  readonly requests: number;
  readonly durationS: number;
  readonly requestsPerSecond: number;
  /** wrk's "Non-2xx or 3xx responses" (it counts status >= 400). */
  readonly non2xx: number;
  /** wrk's "Socket errors": connect, read, write, timeout (0 when the line is absent). */
  readonly socketErrors: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    readonly timeout: number;
  };
  /** Latency percentiles from `--latency`, in milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** wrk's whole output, for the log. */
  readonly output: string;
}

/** Options of {@link runWrk}. */
export interface WrkOptions {
  readonly url: string;
  /** Paths requested in turn (through a Lua script); the URL's path alone when omitted. */
  readonly paths?: readonly string[];
  readonly connections: number;
  readonly threads?: number;
  readonly durationS: number;
  /** Extra request headers, e.g. `Connection: close` to open a new connection for every request. */
  readonly headers?: readonly string[];
  /** Run on this CPU (taskset), when possible. */
  readonly cpu?: number;
}

/** wrk's duration text (`12.5ms`, `1.2s`, `800us`, `2m`) in milliseconds. */
export function wrkTimeMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us'
    ? value / 1000
    : match[2] === 'ms'
      ? value
      : match[2] === 's'
        ? value * 1000
        : value * 60_000;
}

/** Reads wrk's summary text. */
export function parseWrkOutput(output: string): Omit<WrkResult, 'output'> {
  const done = /(\d+) requests in ([\d.]+)(m|s|ms),/.exec(output);
  const durationS = done === null ? 0 : Number(done[2]) * (done[3] === 'm' ? 60 : done[3] === 'ms' ? 0.001 : 1);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const percentile = (p: string): number => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output);
    return match === null ? Number.NaN : wrkTimeMs(match[1]!);
  };
  const latencyLine = /^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(output);
  return {
    requests: done === null ? 0 : Number(done[1]),
    durationS,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    latencyMs: {
      p50: percentile('50'),
      p99: percentile('99'),
      max: latencyLine === null ? Number.NaN : wrkTimeMs(latencyLine[3]!),
    },
  };
}

/** The sum of wrk's socket errors. */
export function socketErrorCount(result: Pick<WrkResult, 'socketErrors'>): number {
  const s = result.socketErrors;
  return s.connect + s.read + s.write + s.timeout;
}

/** A Lua script that requests `paths` in turn on every connection. */
function rotationScript(paths: readonly string[]): string {
  return `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end
`;
}

/** Runs wrk once and resolves with its summary; rejects when wrk cannot run or prints no summary. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-wrk-'));
  try {
    const args = [
      '--latency',
      '-t',
      String(options.threads ?? 1),
      '-c',
      String(options.connections),
      '-d',
      `${options.durationS}s`,
      '--timeout',
      '10s',
    ];
    for (const header of options.headers ?? []) args.push('-H', header);
    if (options.paths !== undefined && options.paths.length > 0) {
      const script = join(dir, 'rotate.lua');
      writeFileSync(script, rotationScript(options.paths));
      args.push('-s', script);
    }
    args.push(options.url);
    const [command, argv] = pinned(options.cpu, 'wrk', args);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`))));
    });
    const parsed = parseWrkOutput(output);
    if (parsed.requests === 0 && !/requests in/.test(output)) throw new Error(`wrk printed no summary:\n${output}`);
    return { ...parsed, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
