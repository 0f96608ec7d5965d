// Tools shared by the hardening tests and the soak: timing and peak memory, a stalling TCP proxy, rogue DNS servers, a gzip bomb.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';

/** The outcome of {@link measure}: the value, the elapsed time and the peak resident-memory growth seen meanwhile. */
export interface Measured<T> {
  readonly value: T;
  readonly ms: number;
  /** Largest `rss` seen while `fn` ran, minus `rss` before it, in bytes (sampled every 10 ms, and at the end). */
  readonly peakRssGrowth: number;
}

/** One mebibyte, for memory bounds. */
export const MiB = 1024 * 1024;

/**
 * Runs `fn`, timing it and sampling the process's resident memory, so a test can assert both the time budget
 * and that a hostile body was never held in memory. Loose bounds only: RSS moves with the garbage collector.
 */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, ms, peakRssGrowth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

/** A loopback TCP server started by a test; `close()` destroys every connection it holds. */
export interface TestServer {
  readonly address: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

function listen(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : 0);
    });
  });
}

function tracked(server: Server, address: string, port: number, sockets: Set<Socket>, count: () => number): TestServer {
  return {
    address,
    port,
    get connections() {
      return count();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy to `target` that forwards everything the client sends but only the first `serverBytes` bytes of the
 * answer, then goes silent without closing: with a TLS server behind it, a handshake that starts (ServerHello and
 * part of the certificate arrive) and then stalls, which neither `acceptDelayMs` nor `plain-tcp` produce.
 */
export async function startStallingProxy(
  target: { readonly address: string; readonly port: number },
  serverBytes: number,
  address = '127.0.0.1',
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = connect({ host: target.address, port: target.port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      const room = serverBytes - forwarded;
      if (room <= 0) return;
      const part = chunk.subarray(0, room);
      forwarded += part.length;
      client.write(part);
    });
    client.on('close', () => upstream.destroy());
  });
  const port = await listen(server, address);
  return tracked(server, address, port, sockets, () => connections);
}

/** What a rogue DNS server does with one query: the bytes to send back (null: nothing). */
export type RogueDnsAnswer = (query: DecodedPacket, raw: Buffer) => Buffer | null;

/** A hostile DNS server on loopback: UDP answers from `udp`, TCP connections handed to `tcp`. */
export interface RogueDns {
  /** `127.0.0.1:PORT`, for `createDnsClient({ servers })`. */
  readonly server: string;
  readonly udpQueries: number;
  readonly tcpConnections: number;
  close(): Promise<void>;
}

/**
 * Starts a DNS server that answers however the test likes, on one UDP and TCP port: for answers no honest
 * server (the lab's included) sends, such as a 60 KB UDP datagram without TC, or a TCP length prefix whose
 * message never comes.
 */
export async function startRogueDns(behaviour: {
  readonly udp?: RogueDnsAnswer;
  readonly tcp?: (socket: Socket, query: DecodedPacket) => void;
}): Promise<RogueDns> {
  const sockets = new Set<Socket>();
  let udpQueries = 0;
  let tcpConnections = 0;
  const tcp = createServer((socket) => {
    tcpConnections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 2 || pending.length < 2 + pending.readUInt16BE(0)) return;
      const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
      pending = Buffer.alloc(0);
      if (behaviour.tcp !== undefined) behaviour.tcp(socket, dnsPacket.decode(message));
    });
  });
  const tcpPort = await listen(tcp, '127.0.0.1');
  const udp: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(tcpPort, '127.0.0.1', () => {
      udp.off('error', reject);
      resolve();
    });
  });
  udp.on('error', () => {});
  udp.on('message', (message, remote) => {
    udpQueries++;
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const answer = behaviour.udp?.(query, message) ?? null;
    if (answer !== null) udp.send(answer, remote.port, remote.address);
  });
  return {
    server: `127.0.0.1:${tcpPort}`,
    get udpQueries() {
      return udpQueries;
    },
    get tcpConnections() {
      return tcpConnections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => udp.close(() => resolve())),
      ]);
    },
  };
}

/** A DNS response to `query` with the given answers (flags: response, RD copied, RA set, as a recursive server). */
export function dnsResponse(
  query: DecodedPacket,
  answers: dnsPacket.Answer[],
  extra: { flags?: number; rcode?: string } = {},
): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: (extra.flags ?? 0) | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: query.questions ?? [],
    answers,
    ...(extra.rcode === undefined ? {} : { rcode: extra.rcode }),
  } as dnsPacket.Packet);
}

/**
 * A gzip bomb: `members` gzip members, each the compression of 1 MiB of zeros (about 1 KiB), concatenated (a valid
 * multi-member gzip stream, RFC 1952 §2.2). Expands to `members` MiB while staying about 1/1000 of that on the wire.
 */
export function gzipBomb(members: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
