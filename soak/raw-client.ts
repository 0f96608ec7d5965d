// Raw TCP exchanges with the server: send exact bytes, read every response until the server closes, parse and judge them.

import { connect } from 'node:net';
import type { MalformedCase, MalformedFamily } from './malformed-requests.js';

/** What came back from one raw exchange. */
export interface RawOutcome {
  /** Every byte the server sent. */
  readonly bytes: Buffer;
  /** Who ended the connection: the server (close or reset), the client on purpose, or the client's timeout. */
  readonly endedBy: 'server' | 'client' | 'timeout';
  /** A socket error seen on the way (ECONNRESET after the answer is normal), or null. */
  readonly error: string | null;
  /** Milliseconds from connect to the end. */
  readonly durationMs: number;
}

/** Options of {@link rawExchange}. */
export interface RawExchangeOptions {
  readonly host: string;
  readonly port: number;
  /** Source address (another 127.x address is another client). */
  readonly localAddress?: string;
  /** `end` half-closes after writing and waits for the server to close; `reset` destroys at once after writing. */
  readonly after: 'end' | 'reset';
  /** Give up (and count a timeout) after this long [5 s]. */
  readonly timeoutMs?: number;
}

/**
 * Writes `pieces` one after the other on a fresh connection, then half-closes (or resets) and collects the
 * answer. Never rejects: a refused connection is an outcome with `error` set.
 */
export function rawExchange(pieces: readonly Buffer[], options: RawExchangeOptions): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({
      host: options.host,
      port: options.port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    const chunks: Buffer[] = [];
    let endedBy: RawOutcome['endedBy'] = 'server';
    let error: string | null = null;
    const timer = setTimeout(() => {
      endedBy = 'timeout';
      socket.destroy();
    }, options.timeoutMs ?? 5000);
    socket.on('connect', () => {
      for (const piece of pieces) socket.write(piece);
      if (options.after === 'reset') {
        endedBy = 'client';
        // Give the bytes a moment to leave, as a client that gives up would; then drop the connection.
        setImmediate(() => socket.resetAndDestroy());
      } else socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), endedBy, error, durationMs: performance.now() - started });
    });
  });
}

/** One HTTP response read from raw bytes. */
export interface ParsedResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/**
 * Splits raw bytes into HTTP/1.1 responses (bodies delimited by Content-Length, which this server always sends;
 * a response without one takes the rest). Stops at the first thing that is not a response.
 */
export function parseResponses(bytes: Buffer): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (headEnd === -1) break;
    const lines = bytes.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (status === null) break;
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const lengthText = headers.get('content-length');
    const bodyStart = headEnd + 4;
    const bodyEnd = lengthText === undefined ? bytes.length : Math.min(bytes.length, bodyStart + Number(lengthText));
    responses.push({ status: Number(status[1]), headers, body: bytes.subarray(bodyStart, bodyEnd) });
    offset = bodyEnd;
  }
  return responses;
}

/** The verdict on one malformed exchange. */
export interface MalformedVerdict {
  readonly ok: boolean;
  /** What happened, e.g. `400`, `200+400`, `closed`, `timeout`, `400 (body not JSON)`. */
  readonly got: string;
}

/** True when an error answer has the documented JSON body (`errcode` and `error` strings) and `Cache-Control: no-store`. */
function isJsonError(response: ParsedResponse): boolean {
  if (response.headers.get('cache-control') !== 'no-store') return false;
  try {
    const body = JSON.parse(response.body.toString('utf8')) as { errcode?: unknown; error?: unknown };
    return typeof body.errcode === 'string' && body.errcode.startsWith('M_') && typeof body.error === 'string';
  } catch {
    return false;
  }
}

/**
 * Judges an exchange against the case's expectation: the statuses of all responses on the connection must be
 * one of the expected sequences exactly (no extra, smuggled answer), every error must be the documented JSON,
 * a silent close is right only where the case allows it, and a client timeout is always wrong (the server must
 * end bad requests itself).
 */
export function judgeMalformed(testCase: MalformedCase, outcome: RawOutcome): MalformedVerdict {
  if (outcome.endedBy === 'timeout') return { ok: false, got: 'timeout (the server kept the connection open)' };
  const responses = parseResponses(outcome.bytes);
  if (responses.length === 0) {
    const got = outcome.bytes.length === 0 ? 'closed' : `unparseable answer (${outcome.bytes.length} bytes)`;
    return { ok: outcome.bytes.length === 0 && testCase.expect.mayCloseSilently === true, got };
  }
  const statuses = responses.map((r) => r.status);
  const got = statuses.join('+');
  const expected = testCase.expect.sequences.some(
    (sequence) => sequence.length === statuses.length && sequence.every((s, i) => s === statuses[i]),
  );
  if (!expected) return { ok: false, got };
  const badBody = responses.find((r) => r.status >= 400 && !isJsonError(r));
  if (badBody !== undefined)
    return { ok: false, got: `${got} (the ${badBody.status} body is not the documented JSON error)` };
  return { ok: true, got };
}

/** Tallies of a malformed run, per family. */
export interface MalformedTally {
  readonly family: MalformedFamily;
  sent: number;
  wrong: number;
  /** How often each outcome (`400`, `closed`, ...) occurred. */
  readonly outcomes: Map<string, number>;
  /** A few wrong outcomes, for the report: `case-name: got`. */
  readonly examples: string[];
}

/** Options of {@link runMalformed}. */
export interface RunMalformedOptions {
  readonly host: string;
  readonly port: number;
  readonly cases: readonly MalformedCase[];
  /** Requests to send in all, cycling through the cases. */
  readonly count: number;
  /** Connections open at once. */
  readonly concurrency: number;
  readonly timeoutMs?: number;
}

/**
 * Sends `count` malformed requests, cycling through `cases`, `concurrency` connections at a time, and tallies
 * the verdicts by family. Resolves when every exchange has ended.
 */
export async function runMalformed(options: RunMalformedOptions): Promise<Map<MalformedFamily, MalformedTally>> {
  const tallies = new Map<MalformedFamily, MalformedTally>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const i = next++;
      const testCase = options.cases[i % options.cases.length]!;
      const outcome = await rawExchange(testCase.build(i), {
        host: options.host,
        port: options.port,
        after: testCase.after,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      });
      const verdict = judgeMalformed(testCase, outcome);
      let tally = tallies.get(testCase.family);
      if (tally === undefined) {
        tally = { family: testCase.family, sent: 0, wrong: 0, outcomes: new Map(), examples: [] };
        tallies.set(testCase.family, tally);
      }
      tally.sent++;
      tally.outcomes.set(verdict.got, (tally.outcomes.get(verdict.got) ?? 0) + 1);
      if (!verdict.ok) {
        tally.wrong++;
        if (tally.examples.length < 5) tally.examples.push(`${testCase.name}: ${verdict.got}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return tallies;
}

/** Renders an outcome histogram as `400 x120, closed x3`, most frequent first. */
export function formatOutcomes(outcomes: ReadonlyMap<string, number>): string {
  return [...outcomes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} x${n}`)
    .join(', ');
}
