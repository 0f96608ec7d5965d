// A well-behaved client that keeps asking while the server is under load or abuse, and checks every answer.

import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';

/** One answer as the good client saw it. */
export interface GoodAnswer {
  readonly path: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** SHA-256 fingerprint of the server certificate (HTTPS), or null. */
  readonly peerFingerprint: string | null;
  /** `performance.now()` when the request was sent. */
  readonly startedAt: number;
  /** Whether the request went over a fresh connection. */
  readonly freshConnection: boolean;
}

/** Options of {@link startGoodClient}. */
export interface GoodClientOptions {
  /** `http://127.0.0.1:PORT/` or `https://...`. */
  readonly baseUrl: string;
  /** Paths asked in turn (without the leading slash of the base). */
  readonly paths: readonly string[];
  /** Time from the start of one request to the start of the next (they never overlap). */
  readonly intervalMs: number;
  /** Says what is wrong with an answer, or null when it is right. */
  readonly verify: (answer: GoodAnswer) => string | null;
  /** CA to trust for HTTPS (the certificate is verified, name included). */
  readonly ca?: string;
  /** Every Nth request goes over a fresh connection (1: always), the others over one keep-alive connection [10]. */
  readonly freshConnectionEvery?: number;
  /** Source address. */
  readonly localAddress?: string;
  /** A request not answered within this long is a failure [5 s]. */
  readonly timeoutMs?: number;
}

/** What the good client saw. */
export interface GoodClientStats {
  readonly requests: number;
  /** Answers that `verify` accepted. */
  readonly correct: number;
  /** Answers that `verify` refused. */
  readonly wrong: number;
  /** Requests that got no answer (connection refused or reset, timeout). */
  readonly failed: number;
  /** A few wrong or failed requests, for the report. */
  readonly examples: readonly string[];
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** A running good client. */
export interface GoodClient {
  /** Stops after the request in progress and returns the totals. */
  stop(): Promise<GoodClientStats>;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Options of {@link requestOnce}. */
export interface RequestOnceOptions {
  /** A keep-alive agent, or false for a new connection [false]. */
  readonly agent?: HttpAgent | false;
  /** CA to trust for HTTPS (on a new connection; an agent has its own). */
  readonly ca?: string;
  readonly localAddress?: string;
  /** No answer within this long rejects [5 s]. */
  readonly timeoutMs?: number;
}

/**
 * One GET, read whole. Rejects when there is no complete answer (refused, reset, timeout).
 *
 * @example
 * ```ts
 * const answer = await requestOnce(new URL('https://127.0.0.1:8443/.well-known/matrix/server'), { ca });
 * answer.peerFingerprint; // the certificate a new connection gets now
 * ```
 */
export function requestOnce(url: URL, options: RequestOnceOptions = {}): Promise<GoodAnswer> {
  const https = url.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const send = https ? httpsRequest : httpRequest;
    const agent = options.agent ?? false;
    const req = send(
      url,
      {
        agent,
        ...(agent === false && options.ca ? { ca: options.ca } : {}),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const peerFingerprint = https ? ((res.socket as TLSSocket).getPeerCertificate().fingerprint256 ?? null) : null;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            path: url.pathname.slice(1) + url.search,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            peerFingerprint,
            startedAt,
            freshConnection: !req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts the loop: one request every `intervalMs` (sequential, never two at once), mostly over a keep-alive
 * connection and every `freshConnectionEvery`-th over a new one, each answer checked by `verify`.
 *
 * @example
 * ```ts
 * const client = startGoodClient({ baseUrl, paths: ['.well-known/matrix/server'], intervalMs: 10,
 *   verify: (a) => (a.status === 200 && a.body === expected ? null : `got ${a.status}`) });
 * await abuse();
 * const stats = await client.stop(); // stats.wrong === 0 && stats.failed === 0
 * ```
 */
export function startGoodClient(options: GoodClientOptions): GoodClient {
  const https = options.baseUrl.startsWith('https:');
  const agentOptions = { keepAlive: true, maxSockets: 1, ...(options.ca ? { ca: options.ca } : {}) };
  const keepAlive = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const freshEvery = Math.max(1, options.freshConnectionEvery ?? 10);
  const timeoutMs = options.timeoutMs ?? 5000;
  let requests = 0;
  let correct = 0;
  let wrong = 0;
  let failed = 0;
  const examples: string[] = [];
  const latencies: number[] = [];
  let stopping = false;

  const one = (path: string, fresh: boolean): Promise<GoodAnswer> =>
    requestOnce(new URL(path, options.baseUrl), {
      agent: fresh ? false : keepAlive,
      timeoutMs,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });

  const loop = (async () => {
    let i = 0;
    while (!stopping) {
      const started = performance.now();
      const path = options.paths[i % options.paths.length]!;
      const fresh = i % freshEvery === freshEvery - 1;
      i++;
      requests++;
      try {
        const answer = await one(path, fresh);
        latencies.push(performance.now() - started);
        const problem = options.verify(answer);
        if (problem === null) correct++;
        else {
          wrong++;
          if (examples.length < 5) examples.push(`${path}: ${problem}`);
        }
      } catch (error) {
        failed++;
        if (examples.length < 5)
          examples.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const wait = options.intervalMs - (performance.now() - started);
      if (wait > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();

  return {
    async stop() {
      stopping = true;
      await loop;
      keepAlive.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        requests,
        correct,
        wrong,
        failed,
        examples,
        latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN },
      };
    },
  };
}
