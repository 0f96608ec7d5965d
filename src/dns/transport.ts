// One DNS query to one server over real sockets: UDP first, TCP when the UDP answer is truncated.

import { createRequire } from 'node:module';
import { DNS_ERROR_EN as SAY } from './dns-error-texts.js';
import type * as DnsPacket from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import type { DnsServerAddress } from './server-address.js';

let dnsPacketModule: typeof DnsPacket | undefined;

/**
 * dns-packet, loaded by the first query: resolutions that ask no DNS question (IP literals) and programs that only
 * import the resolver do not pay for it. Required rather than imported (it is CommonJS), which spares Node's
 * CommonJS-to-ESM translation: a lexer pass and a second parse of the package, about 4 ms per process.
 */
function dnsPacket(): typeof DnsPacket {
  return (dnsPacketModule ??= createRequire(import.meta.url)('dns-packet') as typeof DnsPacket);
}

/** The record types the client asks for. */
export type QueryType = 'A' | 'AAAA' | 'SRV';

/** A response as decoded by dns-packet; its runtime object also carries the rcode, which the types omit. */
export type DnsResponse = DecodedPacket & { readonly rcode?: string };

/** What one exchange with one server produced. */
export type ExchangeOutcome =
  | { readonly kind: 'response'; readonly packet: DnsResponse; readonly transport: 'udp' | 'tcp' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  /** A network error, or a response carrying our id that could not be decoded. */
  | { readonly kind: 'error'; readonly message: string };

/** One query to send. */
export interface ExchangeRequest {
  readonly server: DnsServerAddress;
  /** The 16-bit query id (random: it is, with the source port, the only defence against spoofed answers). */
  readonly id: number;
  /** Lowercase, no trailing dot, already validated. */
  readonly name: string;
  readonly type: QueryType;
  /** How long to wait for the answer, UDP and a TCP retry together. */
  readonly timeoutMs: number;
  /** Ends the exchange (its outcome is then `aborted`): the question was settled by another try, or given up. */
  readonly stop?: ExchangeStop;
}

/**
 * What ends the exchanges of one question: a list of callbacks rather than an AbortSignal, because an `'abort'` listener
 * on a fresh signal costs 3.5 to 12 µs on Node 20 (EventTarget), and every question of a check made one.
 */
export interface ExchangeStop {
  /** True once {@link ExchangeStopper.stop} has run. */
  readonly stopped: boolean;
  /** Runs `listener` once when stopped (never when already stopped); returns the function that unregisters it. */
  onStop(listener: () => void): () => void;
}

/** An {@link ExchangeStop} and the function that stops it. */
export interface ExchangeStopper extends ExchangeStop {
  /** Runs every registered listener once; later calls do nothing. */
  stop(): void;
}

/**
 * Creates the stop of one question's exchanges.
 *
 * @example
 * ```ts
 * const stopper = createExchangeStop();
 * void exchange({ server, id, name, type, timeoutMs, stop: stopper });
 * stopper.stop(); // the exchange ends with `aborted`
 * ```
 */
export function createExchangeStop(): ExchangeStopper {
  let listeners: Set<() => void> | null = new Set();
  return {
    get stopped() {
      return listeners === null;
    },
    onStop(listener) {
      const set = listeners;
      if (set === null) return () => undefined;
      set.add(listener);
      return () => void set.delete(listener);
    },
    stop() {
      const due = listeners;
      listeners = null;
      if (due !== null) for (const listener of due) listener();
    },
  };
}

/** Largest DNS message: TCP's 16-bit length prefix, and larger UDP datagrams cannot be DNS (RFC 1035 4.2). */
const MAX_MESSAGE_BYTES = 65_535;
/** The fixed DNS header (RFC 1035 4.1.1); anything shorter cannot carry our id. */
const HEADER_BYTES = 12;

/**
 * Sends one query (RD set, one question, class IN) to one server and waits for the matching response.
 * Datagrams that do not carry our id and question are strays and are ignored, so a late answer to an
 * earlier query, or a spoofing attempt, does not end the wait. A UDP answer with TC set is retried over
 * TCP (RFC 7766 section 5) within the same time budget. Never rejects.
 */
export async function exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
  const deadline = Date.now() + request.timeoutMs;
  const query = encodeQuery(request.id, request.name, request.type);
  const udp = await exchangeUdp(request, query, request.timeoutMs);
  if (udp.kind !== 'response' || !udp.packet.flag_tc) return udp;
  const remaining = deadline - Date.now();
  if (remaining <= 0) return { kind: 'timeout' };
  return exchangeTcp(request, query, remaining);
}

/** Encodes a recursive query for one question of class IN. */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  const packets = dnsPacket();
  return packets.encode({
    type: 'query',
    id,
    flags: packets.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

type Match = { readonly kind: 'stray' } | ExchangeOutcome;

/** Decides whether a received message answers our query. */
function matchResponse(message: Buffer, request: ExchangeRequest, transport: 'udp' | 'tcp'): Match {
  if (message.length < HEADER_BYTES || message.readUInt16BE(0) !== request.id) return { kind: 'stray' };
  let packet: DnsResponse;
  try {
    packet = dnsPacket().decode(message) as DnsResponse;
  } catch (error) {
    return { kind: 'error', message: SAY.malformedResponse({ system: errorMessage(error) }) };
  }
  if (!packet.flag_qr) return { kind: 'stray' };
  const questions = packet.questions ?? [];
  // RFC 1035 lets a server omit the question in some error responses (FORMERR, REFUSED, NOTIMP).
  if (
    questions.length === 0 &&
    packet.rcode !== undefined &&
    packet.rcode !== 'NOERROR' &&
    packet.rcode !== 'NXDOMAIN'
  ) {
    return { kind: 'response', packet, transport };
  }
  const [question] = questions;
  const sameQuestion =
    questions.length === 1 &&
    question !== undefined &&
    normalizeDnsName(question.name) === request.name &&
    question.type === request.type &&
    (question.class ?? 'IN') === 'IN';
  return sameQuestion ? { kind: 'response', packet, transport } : { kind: 'stray' };
}

/** Lowercase, without the trailing dot; the root stays ".". */
export function normalizeDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Runs `start` until it calls `finish`, the time is up or `stop` stops it, then runs its cleanup once.
 * `start` returns the cleanup (closing its socket).
 */
function waitFor(
  timeoutMs: number,
  stop: ExchangeStop | undefined,
  start: (finish: (outcome: ExchangeOutcome) => void) => () => void,
): Promise<ExchangeOutcome> {
  if (stop?.stopped === true) return Promise.resolve({ kind: 'aborted' });
  return new Promise((resolve) => {
    let done = false;
    let cleanup: (() => void) | undefined;
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    function finish(outcome: ExchangeOutcome): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stopAbort?.();
      cleanup?.();
      resolve(outcome);
    }
    const stopAbort = stop?.onStop(() => finish({ kind: 'aborted' }));
    try {
      const dispose = start(finish);
      if (done) dispose();
      else cleanup = dispose;
    } catch (error) {
      finish({ kind: 'error', message: errorMessage(error) });
    }
  });
}

/**
 * One UDP question on a socket of its own. A socket per question (rather than one shared by a client) gives every
 * question its own random source port as well as its random ID (RFC 5452 section 9.2): a spoofed answer has to
 * guess both. It costs a socket set-up (tens of microseconds) per question, small next to the round trip.
 */
function exchangeUdp(request: ExchangeRequest, query: Buffer, timeoutMs: number): Promise<ExchangeOutcome> {
  return waitFor(timeoutMs, request.stop, (finish) => {
    const socket = process.getBuiltinModule('node:dgram').createSocket(request.server.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (error) => finish({ kind: 'error', message: SAY.udp({ system: errorMessage(error) }) }));
    socket.on('message', (message) => {
      if (message.length > MAX_MESSAGE_BYTES) return;
      const match = matchResponse(message, request, 'udp');
      if (match.kind !== 'stray') finish(match);
    });
    // A connected socket only receives datagrams from the server, and reports ICMP "port unreachable"
    // as an error instead of letting us wait for the whole timeout.
    socket.connect(request.server.port, request.server.host, () => {
      socket.send(query, (error) => {
        if (error) finish({ kind: 'error', message: SAY.udpSend({ system: errorMessage(error) }) });
      });
    });
    return () => {
      try {
        socket.close();
      } catch {
        // already closed after an error
      }
    };
  });
}

function exchangeTcp(request: ExchangeRequest, query: Buffer, timeoutMs: number): Promise<ExchangeOutcome> {
  return waitFor(timeoutMs, request.stop, (finish) => {
    const socket = process
      .getBuiltinModule('node:net')
      .connect({ host: request.server.host, port: request.server.port });
    let buffered = Buffer.alloc(0);
    socket.on('connect', () => {
      // RFC 1035 4.2.2: each message is preceded by its length as a 16-bit big-endian number.
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length, 0);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) return;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        const match = matchResponse(message, request, 'tcp');
        if (match.kind !== 'stray') {
          finish(match);
          return;
        }
      }
    });
    socket.on('error', (error) => finish({ kind: 'error', message: SAY.tcp({ system: errorMessage(error) }) }));
    socket.on('close', () => finish({ kind: 'error', message: 'TCP: connection closed before the answer' }));
    return () => socket.destroy();
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
