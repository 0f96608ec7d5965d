// The federation lab's authoritative DNS server: real DNS packets over UDP and TCP on one loopback port.

import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Packet } from 'dns-packet';
import type { LabDnsQuery, LabNameSpec, LabZones } from './types.js';
import {
  answerQuestion,
  buildZoneTable,
  DNS_RCODE,
  normalizeDnsName,
  validateLabName,
  type DnsRcode,
  type HostRefResolver,
} from './dns-zone.js';

/** Options of {@link startDnsServer}. */
export interface LabDnsServerOptions {
  /** The names the server is authoritative for, with their records and behaviour. */
  zones: LabZones;
  /** Maps a non-IP string found in A/AAAA (a lab host key) to an address; throw for unknown keys. */
  resolveHostRef?: (ref: string, family: 4 | 6) => string;
  /** Address to listen on (default `'127.0.0.1'`). */
  address?: string;
  /** Port for both UDP and TCP (default 0: an ephemeral port, the same number for both). */
  port?: number;
}

/** A running lab DNS server. */
export interface LabDnsServer {
  readonly address: string;
  readonly port: number;
  /** `address:port` (IPv6 bracketed), usable as a --dns-server value or in `Resolver.setServers`. */
  readonly server: string;
  /** Every query received, in order (malformed packets are not queries and are not listed), since the last reset. */
  readonly queries: readonly LabDnsQuery[];
  /** Empties `queries` (the same array): a long benchmark reads and forgets them, so the log does not grow without bound. */
  resetQueries(): void;
  /** Replaces the records and behaviour of one name at run time; `undefined` deletes the name. */
  setName(name: string, spec: LabNameSpec | undefined): void;
  /** Stops listening, drops pending delayed answers and closes open TCP connections. */
  close(): Promise<void>;
}

/** The classic UDP payload limit when the query carries no EDNS OPT record (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
/** The UDP payload size the lab advertises in its own OPT record (the DNS flag day 2020 value). */
const LAB_EDNS_UDP_SIZE = 1232;
/** TCP connections idle this long are closed (RFC 7766 §6.2.3 leaves the value to the server). */
const TCP_IDLE_TIMEOUT_MS = 30_000;
/** How many ephemeral ports to try before giving up on finding one free for both UDP and TCP. */
const BIND_ATTEMPTS = 20;

const OPCODE_QUERY = 0;
/** RD and CD are copied from the query (RFC 1035 §4.1.1, RFC 4035 §3.1.6); RA stays clear: no recursion. */
const COPIED_QUERY_FLAGS = dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED;

type Transport = LabDnsQuery['transport'];

/** The answer and authority sections of a response. */
interface Sections {
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
}

/** Sends one encoded response back the way its query came. */
type Reply = (packet: Buffer) => void;

function isOpt(answer: Answer): answer is OptAnswer {
  return answer.type === 'OPT';
}

/**
 * Starts an authoritative DNS server for the lab's zones on UDP and TCP, both on the same port.
 *
 * Answers carry AA, copy RD and never set RA. NXDOMAIN and NODATA carry an SOA (minimum 60 s) in the
 * authority section. Per-name behaviour (`delayMs`, `servfail`, `drop`, `truncate`) comes from the
 * queried name's {@link LabNameSpec}. UDP answers larger than 512 bytes (or the query's EDNS size) are
 * truncated with the TC bit so the client retries over TCP.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for invalid zone data; socket errors (address in use).
 * @example
 * ```ts
 * const dns = await startDnsServer({
 *   zones: {
 *     '_matrix-fed._tcp.example.com': { SRV: [{ priority: 10, weight: 5, port: 8448, target: 'matrix.example.com' }] },
 *     'matrix.example.com': { A: ['127.0.0.1'] },
 *   },
 * });
 * const resolver = new (await import('node:dns')).promises.Resolver();
 * resolver.setServers([dns.server]);
 * await resolver.resolveSrv('_matrix-fed._tcp.example.com');
 * await dns.close();
 * ```
 */
export async function startDnsServer(options: LabDnsServerOptions): Promise<LabDnsServer> {
  const table = buildZoneTable(options.zones);
  const resolveHostRef: HostRefResolver | undefined = options.resolveHostRef;
  const address = options.address ?? '127.0.0.1';
  const queries: LabDnsQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const connections = new Set<Socket>();
  let closed = false;

  /** Encodes the response to `query`; `truncated` sends the question alone with the TC bit. */
  function encodeResponse(query: DecodedPacket, rcode: DnsRcode, sections: Sections, truncated: boolean): Buffer {
    const opcode = (query.flags ?? 0) & 0x7800;
    let flags = dnsPacket.AUTHORITATIVE_ANSWER | opcode | ((query.flags ?? 0) & COPIED_QUERY_FLAGS) | rcode;
    if (truncated) flags |= dnsPacket.TRUNCATED_RESPONSE;
    const additionals: Answer[] = [];
    // RFC 6891 §7: answer an EDNS query with an OPT record of our own.
    if ((query.additionals ?? []).some(isOpt)) {
      additionals.push({
        type: 'OPT',
        name: '.',
        udpPayloadSize: LAB_EDNS_UDP_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      });
    }
    const packet: Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags,
      questions: (query.questions ?? []).map((q) => ({ ...q })),
      answers: truncated ? [] : [...sections.answers],
      authorities: truncated ? [] : [...sections.authorities],
      additionals,
    };
    return dnsPacket.encode(packet);
  }

  /** The UDP payload size the client accepts: 512, or its EDNS OPT size (never below 512). */
  function udpLimit(query: DecodedPacket): number {
    const opt = (query.additionals ?? []).find(isOpt);
    return opt === undefined ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, opt.udpPayloadSize);
  }

  /** Builds the answer bytes for a well-formed query, applying `servfail` and truncation; may throw. */
  function buildResponse(query: DecodedPacket, transport: Transport): Buffer | undefined {
    const question = query.questions?.[0];
    if (question === undefined) return undefined;
    const spec = table.get(normalizeDnsName(question.name));
    const empty = { answers: [], authorities: [] };
    let response: Buffer;
    if (spec?.servfail === true) {
      response = encodeResponse(query, DNS_RCODE.SERVFAIL, empty, false);
    } else if (transport === 'udp' && spec?.truncate === true) {
      response = encodeResponse(query, DNS_RCODE.NOERROR, empty, true);
    } else {
      const result = answerQuestion(table, question.name, question.type, resolveHostRef);
      response = encodeResponse(query, result.rcode, result, false);
      if (transport === 'udp' && response.length > udpLimit(query)) {
        // RFC 2181 §9: too big for UDP, send what fits (the question) with TC so the client uses TCP.
        response = encodeResponse(query, result.rcode, empty, true);
      } else if (response.length > 0xffff) {
        response = encodeResponse(query, DNS_RCODE.SERVFAIL, empty, false);
      }
    }
    return response;
  }

  /** Answers a well-formed query; runs from timers too, so it must never throw. */
  function respond(query: DecodedPacket, transport: Transport, reply: Reply): void {
    if (closed) return;
    let response: Buffer | undefined;
    try {
      response = buildResponse(query, transport);
    } catch {
      // dns-packet could not encode what the query or zone held: no answer, as from a broken server.
      return;
    }
    if (response !== undefined) reply(response);
  }

  /** Sends an error rcode (FORMERR, NOTIMP) with no records; never throws. */
  function replyError(query: DecodedPacket, rcode: DnsRcode, reply: Reply): void {
    try {
      reply(encodeResponse(query, rcode, { answers: [], authorities: [] }, false));
    } catch {
      // Not even an error answer can be encoded from this query: ignore it.
    }
  }

  /**
   * Handles one DNS message. Returns false when it is not a usable query (the caller drops it over UDP
   * and closes the connection over TCP); otherwise answers now, later (`delayMs`) or never (`drop`).
   */
  function handleMessage(message: Buffer, transport: Transport, reply: Reply): boolean {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return false;
    }
    // Never answer a response: two servers pointed at each other would loop forever.
    if (query.type !== 'query') return false;
    const questions = query.questions ?? [];
    if (((query.flags ?? 0) & 0x7800) >> 11 !== OPCODE_QUERY) {
      replyError(query, DNS_RCODE.NOTIMP, reply);
      return true;
    }
    const question = questions[0];
    if (question === undefined || questions.length !== 1) {
      // RFC 9619: a query has exactly one question.
      replyError(query, DNS_RCODE.FORMERR, reply);
      return true;
    }
    queries.push({ name: question.name.toLowerCase(), type: question.type, transport, at: Date.now() });
    const spec = table.get(normalizeDnsName(question.name));
    if (spec?.drop === true) return true;
    const delayMs = spec?.delayMs ?? 0;
    if (delayMs > 0) {
      // A timer per query: a slow name never holds up the answers to other names.
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond(query, transport, reply);
      }, delayMs);
      timers.add(timer);
    } else {
      respond(query, transport, reply);
    }
    return true;
  }

  function onUdpMessage(socket: UdpSocket, message: Buffer, remote: RemoteInfo): void {
    if (closed) return;
    handleMessage(message, 'udp', (response) => {
      if (closed) return;
      socket.send(response, remote.port, remote.address, () => {
        // A send error (client gone, ICMP unreachable) only loses this answer, as on a real network.
      });
    });
  }

  /** TCP: each message is preceded by its length in two bytes (RFC 1035 §4.2.2, RFC 7766 §8). */
  function onTcpConnection(socket: Socket): void {
    if (closed) {
      socket.destroy();
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => {
      // Resets by the client are normal; 'close' follows.
    });
    socket.setNoDelay(true);
    socket.setTimeout(TCP_IDLE_TIMEOUT_MS, () => socket.destroy());
    const send: Reply = (response) => {
      if (closed || socket.destroyed || !socket.writable) return;
      const frame = Buffer.allocUnsafe(2 + response.length);
      frame.writeUInt16BE(response.length, 0);
      response.copy(frame, 2);
      socket.write(frame);
    };
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      // Several queries may arrive in one chunk and one query may span several chunks.
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        if (!handleMessage(message, 'tcp', send)) {
          socket.destroy();
          return;
        }
      }
    });
  }

  const { udp, tcp } = await bindBoth(address, options.port ?? 0);
  udp.on('error', () => {
    // Errors on a bound UDP socket concern one datagram; the server keeps serving.
  });
  udp.on('message', (message, remote) => onUdpMessage(udp, message, remote));
  tcp.on('error', () => {
    // Accept errors (EMFILE, ...) must not crash the test process.
  });
  tcp.on('connection', onTcpConnection);

  const port = udp.address().port;
  const server = isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    address,
    port,
    server,
    queries,
    resetQueries() {
      queries.length = 0;
    },
    setName(name: string, spec: LabNameSpec | undefined): void {
      if (spec === undefined) {
        table.delete(normalizeDnsName(name));
        return;
      }
      validateLabName(name, spec);
      table.set(normalizeDnsName(name), spec);
    },
    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of connections) socket.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ]);
      })();
      return closing;
    },
  };
}

function bindUdp(address: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function listenTcp(address: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/**
 * Binds UDP and TCP on the same port number. For port 0, UDP picks an ephemeral port and TCP takes the
 * same number; when that TCP port is taken, both are retried on a new one.
 */
async function bindBoth(address: string, port: number): Promise<{ udp: UdpSocket; tcp: Server }> {
  if (port !== 0) {
    const udp = await bindUdp(address, port);
    try {
      return { udp, tcp: await listenTcp(address, port) };
    } catch (error) {
      udp.close();
      throw error;
    }
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    const udp = await bindUdp(address, 0);
    try {
      return { udp, tcp: await listenTcp(address, udp.address().port) };
    } catch (error) {
      udp.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      lastError = error;
    }
  }
  throw lastError;
}
