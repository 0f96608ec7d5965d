// The request listener's own cost per request, without sockets: serve's listener against a bare one, in one process.
//
// serve-throughput measures whole servers under wrk, where the VM's drift is larger than the listener's share; this
// calls the two listeners directly with request and response stand-ins whose writeHead/end do nothing, so the
// difference is exactly the JavaScript serve runs per request (state, clock, fast-path lookup, counting).

import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRequestListener } from '../src/server/http/request-listener.js';
import type { AppState } from '../src/server/http/context.js';
import { createServerLogger } from '../src/server/logger.js';
import { createServerMetrics } from '../src/server/metrics.js';
import { cpuModel, median, numberOption, runAsScript } from './_shared.js';

const WATCHDOG_MS = 120_000;
const PATH = '/.well-known/matrix/server';
const PATH_BYTES = Buffer.from(PATH, 'latin1');

interface Stub {
  readonly writeHead: (status: number, headers: unknown) => void;
  readonly end: (body: unknown) => void;
  readonly setHeader: (name: string, value: string) => void;
  readonly writableEnded: boolean;
  readonly statusCode: number;
}

/** CPU nanoseconds per call of `listener` over `count` calls, each with a fresh request object and URL string. */
function perCall(listener: (req: never, res: never) => void, res: Stub, count: number): number {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    // A fresh flat string, as Node's parser gives one per request (a constant would hash once and be cached). Its
    // making costs the same in both loops; what differs is what each listener does with it.
    const url = PATH_BYTES.toString('latin1');
    listener({ method: 'GET', url, socket: {} } as never, res as never);
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / count;
}

/**
 * Runs `rounds` interleaved rounds of `count` calls of serve's listener (fast path: GET of the server document)
 * and of a bare listener (writeHead + end of the same prepared document), and prints the medians.
 */
export function runServeListener(options: { readonly count?: number; readonly rounds?: number } = {}): {
  serveNs: number;
  bareNs: number;
} {
  const count = options.count ?? 2_000_000;
  const rounds = options.rounds ?? 7;
  const doc = {
    path: PATH,
    document: {},
    body: Buffer.from('{"m.server":"matrix.example.org:443"}'),
    headers: Object.freeze({ 'content-type': 'application/json' }),
  };
  const app = {
    documents: { server: doc, client: null, support: null },
    metrics: createServerMetrics(),
    logger: createServerLogger({ level: 'warn', destination: { write: () => undefined } }),
    isShuttingDown: () => false,
  } as unknown as AppState;
  const serve = createRequestListener(() => app, { maxUrlLength: 4096 });
  const bare = (_req: unknown, res: Stub): void => {
    res.writeHead(200, doc.headers);
    res.end(doc.body);
  };
  const res: Stub = {
    writeHead: () => undefined,
    end: () => undefined,
    setHeader: () => undefined,
    writableEnded: true,
    statusCode: 200,
  };
  const serveRuns: number[] = [];
  const bareRuns: number[] = [];
  perCall(serve, res, count / 4);
  perCall(bare as never, res, count / 4);
  for (let round = 0; round < rounds; round++) {
    serveRuns.push(perCall(serve, res, count));
    bareRuns.push(perCall(bare as never, res, count));
  }
  const serveNs = median([...serveRuns].sort((a, b) => a - b));
  const bareNs = median([...bareRuns].sort((a, b) => a - b));
  process.stdout.write(
    `## serve-listener\n\n- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}\n` +
      `- ${rounds} interleaved rounds of ${count} calls each, CPU time, median round\n\n` +
      `| listener | ns per request | rounds |\n|---|--:|---|\n` +
      `| serve's request listener (fast path, counted in the metrics) | ${serveNs.toFixed(0)} | ${serveRuns.map((n) => n.toFixed(0)).join(', ')} |\n` +
      `| bare: writeHead + end of the prepared document | ${bareNs.toFixed(0)} | ${bareRuns.map((n) => n.toFixed(0)).join(', ')} |\n\n` +
      `serve's listener adds ${(serveNs - bareNs).toFixed(0)} ns per request (the stand-ins' writeHead and end do nothing).\n`,
  );
  return { serveNs, bareNs };
}

const USAGE = 'usage: serve-listener [--count N] [--rounds N]';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { count: { type: 'string' }, rounds: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  runServeListener({
    count: numberOption('count', values.count, 2_000_000, { integer: true, sign: 'positive' }),
    rounds: numberOption('rounds', values.rounds, 7, { integer: true, sign: 'positive' }),
  });
  return Promise.resolve(0);
}

runAsScript(import.meta.url, main, { name: 'serve-listener', watchdogMs: WATCHDOG_MS });
