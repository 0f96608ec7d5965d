// Slowloris: many connections that trickle header bytes and never finish, which the server must cut off on time.

import { connect } from 'node:net';

/** Options of {@link runSlowloris}. */
export interface SlowlorisOptions {
  readonly host: string;
  readonly port: number;
  /** Connections held open at once. */
  readonly connections: number;
  /** A header line is sent on every connection this often. */
  readonly trickleIntervalMs: number;
  /** Connections still open after this long are closed by the client and counted as `stillOpen` (a failure). */
  readonly giveUpAfterMs: number;
}

/** What happened to the slow connections. */
export interface SlowlorisResult {
  readonly connections: number;
  /** Connections the server closed. */
  readonly closedByServer: number;
  /** Of those, the ones answered `408` first (the documented answer to slow headers). */
  readonly answered408: number;
  /** Connections still open when the client gave up. */
  readonly stillOpen: number;
  /** Connections that could not be opened or failed otherwise. */
  readonly failed: number;
  /** Time from connect to the server's close, in milliseconds. */
  readonly lifetimeMs: { readonly min: number; readonly max: number };
  /** Header bytes trickled in all. */
  readonly bytesTrickled: number;
}

/**
 * Opens `connections` connections, sends a request line and a Host header on each, then one more header line
 * every `trickleIntervalMs`, never the blank line that ends the headers. Resolves once every connection has
 * ended (the server's headers timeout should end them all).
 */
export async function runSlowloris(options: SlowlorisOptions): Promise<SlowlorisResult> {
  let closedByServer = 0;
  let answered408 = 0;
  let stillOpen = 0;
  let failed = 0;
  let bytesTrickled = 0;
  const lifetimes: number[] = [];
  const one = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const socket = connect({ host: options.host, port: options.port });
      let first = '';
      let gaveUp = false;
      let connected = false;
      let header = 0;
      const ticker = setInterval(() => {
        if (!connected || socket.destroyed || !socket.writable) return;
        const line = `X-Slow-${n}-${header++}: a\r\n`;
        bytesTrickled += line.length;
        socket.write(line);
      }, options.trickleIntervalMs);
      const giveUp = setTimeout(() => {
        gaveUp = true;
        socket.destroy();
      }, options.giveUpAfterMs);
      socket.on('connect', () => {
        connected = true;
        socket.write(`GET /.well-known/matrix/server HTTP/1.1\r\nHost: slow.example\r\n`);
      });
      socket.on('data', (chunk: Buffer) => {
        if (first.length < 64) first += chunk.toString('latin1');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(ticker);
        clearTimeout(giveUp);
        if (gaveUp) stillOpen++;
        else if (!connected) failed++;
        else {
          closedByServer++;
          lifetimes.push(performance.now() - started);
          if (first.startsWith('HTTP/1.1 408 ')) answered408++;
        }
        resolve();
      });
    });
  await Promise.all(Array.from({ length: options.connections }, (_, n) => one(n)));
  return {
    connections: options.connections,
    closedByServer,
    answered408,
    stillOpen,
    failed,
    lifetimeMs: {
      min: lifetimes.length ? Math.min(...lifetimes) : Number.NaN,
      max: lifetimes.length ? Math.max(...lifetimes) : Number.NaN,
    },
    bytesTrickled,
  };
}
