// The packet client against a tiny DNS responder on loopback: real UDP and TCP packets, no internet.

import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Server, Socket as NetSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { createDnsClient } from '../../src/dns/packet-client.js';
import { createLazyDnsClient } from '../../src/dns/lazy-client.js';
import { isSrvUnavailable } from '../../src/dns/srv-order.js';
import { isMatrixDelegationError } from '../../src/errors.js';

// --- a tiny scripted DNS responder --------------------------------------------------------------------

type Transport = 'udp' | 'tcp';
interface SeenQuery {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly flags: number;
  readonly questionCount: number;
  readonly transport: Transport;
}
/** One message to send back, optionally after a delay. */
type Outgoing = Packet | Buffer | { readonly delayMs: number; readonly message: Packet | Buffer };
/** What to send back for one query, in order; an empty list means "stay silent". */
type Handler = (query: DecodedPacket, transport: Transport) => Outgoing[];

interface Responder {
  /** "127.0.0.1:PORT" (or "[::1]:PORT"). */
  readonly server: string;
  readonly queries: SeenQuery[];
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** A response to `query` echoing its id and question. */
function reply(
  query: DecodedPacket,
  init: {
    rcode?: keyof typeof RCODES;
    answers?: Answer[];
    authorities?: Answer[];
    truncated?: boolean;
    id?: number;
  } = {},
): Packet {
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | RCODES[init.rcode ?? 'NOERROR'];
  if (init.truncated === true) flags |= dnsPacket.TRUNCATED_RESPONSE;
  return {
    type: 'response',
    id: init.id ?? query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: init.answers ?? [],
    authorities: init.authorities ?? [],
  };
}

const a = (name: string, data: string, ttl = 300): Answer => ({ type: 'A', name, ttl, class: 'IN', data });
const aaaa = (name: string, data: string, ttl = 300): Answer => ({ type: 'AAAA', name, ttl, class: 'IN', data });
const cname = (name: string, data: string, ttl = 300): Answer => ({ type: 'CNAME', name, ttl, class: 'IN', data });
const soa = (name: string, ttl: number, minimum: number): Answer => ({
  type: 'SOA',
  name,
  ttl,
  class: 'IN',
  data: {
    mname: 'ns1.example.org',
    rname: 'hostmaster.example.org',
    serial: 1,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    minimum,
  },
});
const srv = (name: string, priority: number, weight: number, port: number, target: string, ttl = 300): Answer => ({
  type: 'SRV',
  name,
  ttl,
  class: 'IN',
  data: { priority, weight, port, target },
});

const responders: Responder[] = [];
afterEach(async () => {
  await Promise.all(responders.splice(0).map((r) => r.close()));
});

async function startResponder(handler: Handler, host = '127.0.0.1'): Promise<Responder> {
  const queries: SeenQuery[] = [];
  const tcpSockets = new Set<NetSocket>();
  const pendingTimers: NodeJS.Timeout[] = [];
  const onQuery = (message: Buffer, transport: Transport, send: (out: Buffer) => void): void => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    queries.push({
      id: query.id ?? -1,
      name: question?.name ?? '',
      type: question?.type ?? '',
      flags: query.flags ?? 0,
      questionCount: query.questions?.length ?? 0,
      transport,
    });
    const timers: NodeJS.Timeout[] = [];
    for (const out of handler(query, transport)) {
      const encode = (m: Packet | Buffer): Buffer => (Buffer.isBuffer(m) ? m : dnsPacket.encode(m));
      if (!Buffer.isBuffer(out) && 'delayMs' in out)
        timers.push(setTimeout(() => send(encode(out.message)), out.delayMs));
      else send(encode(out));
    }
    pendingTimers.push(...timers);
  };

  // Same port for UDP and TCP, as a real server: bind UDP on port 0, then try TCP on that port.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const udp: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (message: Buffer, peer: RemoteInfo) => {
      onQuery(message, 'udp', (out) => udp.send(out, peer.port, peer.address));
    });
    await new Promise<void>((resolve) => udp.bind(0, host, resolve));
    const port = udp.address().port;
    const tcp: Server = createServer((socket) => {
      tcpSockets.add(socket);
      socket.on('close', () => tcpSockets.delete(socket));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const length = buffered.readUInt16BE(0);
          const message = buffered.subarray(2, 2 + length);
          buffered = buffered.subarray(2 + length);
          onQuery(message, 'tcp', (out) => {
            const prefix = Buffer.alloc(2);
            prefix.writeUInt16BE(out.length, 0);
            if (!socket.destroyed) socket.write(Buffer.concat([prefix, out]));
          });
        }
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    let closed = false;
    const responder: Responder = {
      server: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
      queries,
      close: async () => {
        if (closed) return;
        closed = true;
        for (const timer of pendingTimers) clearTimeout(timer);
        for (const socket of tcpSockets) socket.destroy();
        udp.close();
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
      },
    };
    responders.push(responder);
    return responder;
  }
  throw new Error('could not bind a UDP and TCP port pair on loopback');
}

/** A responder with a fixed table: "name TYPE" -> answers; unknown names NXDOMAIN with an SOA. */
function tableHandler(table: Record<string, Answer[]>): Handler {
  return (query) => {
    const q = query.questions?.[0];
    const answers = q === undefined ? undefined : table[`${q.name.toLowerCase()} ${q.type}`];
    if (answers === undefined)
      return [reply(query, { rcode: 'NXDOMAIN', authorities: [soa('example.org', 3600, 60)] })];
    return [reply(query, { answers })];
  };
}

const silent: Handler = () => [];

// --- tests --------------------------------------------------------------------------------------------

describe('createDnsClient: query format', () => {
  it('sends one question with RD set and a fresh id per query', async () => {
    const dns = await startResponder(tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1')] }));
    const client = createDnsClient({ servers: [dns.server] });
    for (let i = 0; i < 4; i += 1) expect((await client.resolve4('host.example.org')).ok).toBe(true);
    expect(dns.queries).toHaveLength(4);
    for (const q of dns.queries) {
      expect(q.flags & dnsPacket.RECURSION_DESIRED).toBe(dnsPacket.RECURSION_DESIRED);
      expect(q.questionCount).toBe(1);
      expect(q).toMatchObject({ name: 'host.example.org', type: 'A', transport: 'udp' });
    }
    // Four identical 16-bit random ids would happen once in 2^48 runs.
    expect(new Set(dns.queries.map((q) => q.id)).size).toBeGreaterThan(1);
  });

  it('asks names lowercase without the trailing dot', async () => {
    const dns = await startResponder(tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1')] }));
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('Host.Example.ORG.');
    expect(answer.ok).toBe(true);
    expect(dns.queries[0]?.name).toBe('host.example.org');
  });
});

describe('createDnsClient: answers', () => {
  it('returns A records with the smallest TTL, ignoring records of other owners', async () => {
    const dns = await startResponder(
      tableHandler({
        'host.example.org A': [
          a('host.example.org', '192.0.2.1', 300),
          a('host.example.org', '192.0.2.2', 60),
          a('evil.example', '203.0.113.9', 5),
        ],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('host.example.org');
    expect(answer).toEqual({ ok: true, records: ['192.0.2.1', '192.0.2.2'], cnameChain: [], ttlSeconds: 60 });
  });

  it('returns AAAA records in compressed form', async () => {
    const dns = await startResponder(
      tableHandler({ 'host.example.org AAAA': [aaaa('host.example.org', '2001:0db8:0:0:0:0:0:0001', 120)] }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve6('host.example.org');
    expect(answer).toEqual({ ok: true, records: ['2001:db8::1'], cnameChain: [], ttlSeconds: 120 });
  });

  it('returns SRV records with lowercase targets and their TTL', async () => {
    const name = '_matrix-fed._tcp.example.org';
    const dns = await startResponder(
      tableHandler({
        [`${name} SRV`]: [
          srv(name, 10, 5, 8448, 'Matrix.Example.ORG', 900),
          srv(name, 20, 0, 443, 'backup.example.org', 600),
        ],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolveSrv(name);
    expect(answer).toEqual({
      ok: true,
      records: [
        { priority: 10, weight: 5, port: 8448, target: 'matrix.example.org' },
        { priority: 20, weight: 0, port: 443, target: 'backup.example.org' },
      ],
      cnameChain: [],
      ttlSeconds: 600,
    });
  });

  it('returns an SRV root target as "."', async () => {
    const name = '_matrix-fed._tcp.example.org';
    const dns = await startResponder(tableHandler({ [`${name} SRV`]: [srv(name, 0, 0, 0, '.')] }));
    const answer = await createDnsClient({ servers: [dns.server] }).resolveSrv(name);
    expect(answer.ok && answer.records).toEqual([{ priority: 0, weight: 0, port: 0, target: '.' }]);
    expect(answer.ok && isSrvUnavailable(answer.records)).toBe(true);
  });

  it('treats a TTL with the top bit set as 0 (RFC 2181 section 8)', async () => {
    const dns = await startResponder(
      tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1', 0x8000_0000)] }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('host.example.org');
    expect(answer.ok && answer.ttlSeconds).toBe(0);
  });
});

describe('createDnsClient: negative answers and errors', () => {
  it('reports NXDOMAIN with the SOA negative TTL min(SOA TTL, minimum)', async () => {
    const dns = await startResponder((q) => [
      reply(q, { rcode: 'NXDOMAIN', authorities: [soa('example.org', 3600, 300)] }),
    ]);
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('missing.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_NXDOMAIN', ttlSeconds: 300, cnameChain: [] });
    // A definitive answer: not retried.
    expect(dns.queries).toHaveLength(1);
  });

  it('reports NODATA (NOERROR without records of the type) with the SOA TTL', async () => {
    const dns = await startResponder((q) => [reply(q, { authorities: [soa('example.org', 120, 900)] })]);
    const answer = await createDnsClient({ servers: [dns.server] }).resolveSrv('_matrix-fed._tcp.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_NODATA', ttlSeconds: 120 });
  });

  it('reports NODATA when only other record types are present, without a TTL when there is no SOA', async () => {
    const dns = await startResponder((q) => [reply(q, { answers: [aaaa('host.example.org', '2001:db8::1')] })]);
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('host.example.org');
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.code).toBe('DNS_NODATA');
    expect(!answer.ok && answer.ttlSeconds).toBeUndefined();
  });

  it('reports SERVFAIL, after asking once per attempt', async () => {
    const dns = await startResponder((q) => [reply(q, { rcode: 'SERVFAIL' })]);
    const answer = await createDnsClient({ servers: [dns.server], attempts: 2 }).resolve4('broken.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_SERVFAIL' });
    expect(dns.queries).toHaveLength(2);
  });

  it('reports REFUSED as DNS_ERROR', async () => {
    const dns = await startResponder((q) => [reply(q, { rcode: 'REFUSED' })]);
    const answer = await createDnsClient({ servers: [dns.server], attempts: 1 }).resolve4('host.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_ERROR' });
    expect(!answer.ok && answer.message).toMatch(/REFUSED/);
  });

  it('reports a referral from a non-recursive server as DNS_ERROR, not NODATA', async () => {
    const ns: Answer = { type: 'NS', name: 'org', ttl: 172800, class: 'IN', data: 'a0.org.afilias-nst.info' };
    const dns = await startResponder((q) => [reply(q, { authorities: [ns] })]);
    const answer = await createDnsClient({ servers: [dns.server], attempts: 1 }).resolve4('host.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_ERROR' });
  });

  it('reports an undecodable response carrying the query id as DNS_ERROR', async () => {
    const dns = await startResponder((q) => {
      const garbage = Buffer.alloc(20, 0xff);
      garbage.writeUInt16BE(q.id ?? 0, 0);
      return [garbage];
    });
    const answer = await createDnsClient({ servers: [dns.server], attempts: 1, timeoutMs: 1000 }).resolve4(
      'host.example.org',
    );
    expect(answer).toMatchObject({ ok: false, code: 'DNS_ERROR' });
  });

  it('answers DNS_ERROR for names that cannot be asked, without sending anything', async () => {
    const dns = await startResponder(silent);
    const client = createDnsClient({ servers: [dns.server] });
    for (const bad of [
      '',
      '.',
      `${'a'.repeat(64)}.example.org`,
      'a..example.org',
      'ex ample.org',
      'bücher.example',
      `${'abcdefgh.'.repeat(29)}org`,
    ]) {
      expect(await client.resolve4(bad), bad).toMatchObject({ ok: false, code: 'DNS_ERROR' });
    }
    expect(dns.queries).toHaveLength(0);
  });
});

describe('createDnsClient: truncation', () => {
  it('retries over TCP when the UDP answer has TC set', async () => {
    const name = '_matrix-fed._tcp.example.org';
    const dns = await startResponder((q, transport) =>
      transport === 'udp'
        ? [reply(q, { truncated: true })]
        : [reply(q, { answers: [srv(name, 0, 0, 8448, 'matrix.example.org', 77)] })],
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolveSrv(name);
    expect(answer).toEqual({
      ok: true,
      records: [{ priority: 0, weight: 0, port: 8448, target: 'matrix.example.org' }],
      cnameChain: [],
      ttlSeconds: 77,
    });
    expect(dns.queries.map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });
});

describe('createDnsClient: CNAMEs', () => {
  it('follows a chain resolved in the same answer with one query', async () => {
    const dns = await startResponder(
      tableHandler({
        'www.example.org A': [
          cname('www.example.org', 'Edge.Example.NET', 50),
          a('edge.example.net', '192.0.2.7', 400),
        ],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('www.example.org');
    expect(answer).toEqual({ ok: true, records: ['192.0.2.7'], cnameChain: ['edge.example.net'], ttlSeconds: 50 });
    expect(dns.queries).toHaveLength(1);
  });

  it('queries the target when the answer ends at a CNAME, across two queries', async () => {
    const dns = await startResponder(
      tableHandler({
        'a.example.org AAAA': [cname('a.example.org', 'b.example.org', 600)],
        'b.example.org AAAA': [cname('b.example.org', 'c.example.org', 500), aaaa('c.example.org', '2001:db8::c', 700)],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve6('a.example.org');
    expect(answer).toEqual({
      ok: true,
      records: ['2001:db8::c'],
      cnameChain: ['b.example.org', 'c.example.org'],
      ttlSeconds: 500,
    });
    expect(dns.queries.map((q) => q.name)).toEqual(['a.example.org', 'b.example.org']);
  });

  it('reports a CNAME loop across queries', async () => {
    const dns = await startResponder(
      tableHandler({
        'a.example.org A': [cname('a.example.org', 'b.example.org')],
        'b.example.org A': [cname('b.example.org', 'a.example.org')],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('a.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP', cnameChain: ['b.example.org'] });
    expect(dns.queries).toHaveLength(2);
  });

  it('reports a CNAME loop inside one answer', async () => {
    const dns = await startResponder(
      tableHandler({
        'a.example.org A': [cname('a.example.org', 'b.example.org'), cname('b.example.org', 'a.example.org')],
      }),
    );
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('a.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
    expect(dns.queries).toHaveLength(1);
  });

  it('stops a chain longer than maxCnameHops', async () => {
    // n0 -> n1 -> n2 -> ... each in its own answer, never ending.
    const dns = await startResponder((q) => {
      const name = q.questions?.[0]?.name ?? '';
      const index = Number(/^n(\d+)\./.exec(name)?.[1] ?? '0');
      return [reply(q, { answers: [cname(name, `n${index + 1}.example.org`)] })];
    });
    const answer = await createDnsClient({ servers: [dns.server], maxCnameHops: 3 }).resolve4('n0.example.org');
    expect(answer).toMatchObject({
      ok: false,
      code: 'DNS_CNAME_LOOP',
      cnameChain: ['n1.example.org', 'n2.example.org', 'n3.example.org'],
    });
    expect(dns.queries).toHaveLength(4);
  });

  it('keeps the chain when its target does not exist (NXDOMAIN applies to the last name, RFC 6604)', async () => {
    const dns = await startResponder((q) => [
      reply(q, {
        rcode: 'NXDOMAIN',
        answers: [cname('www.example.org', 'gone.example.net')],
        authorities: [soa('example.net', 30, 900)],
      }),
    ]);
    const answer = await createDnsClient({ servers: [dns.server] }).resolve4('www.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_NXDOMAIN', cnameChain: ['gone.example.net'], ttlSeconds: 30 });
    expect(dns.queries).toHaveLength(1);
  });
});

describe('createDnsClient: strays, timeouts, fallback and abort', () => {
  it('ignores a response with the wrong id and one with the wrong question', async () => {
    const dns = await startResponder((q) => {
      const wrongQuestion = reply(q);
      wrongQuestion.questions = [{ name: 'other.example.org', type: 'A', class: 'IN' }];
      wrongQuestion.answers = [a('other.example.org', '203.0.113.66')];
      return [
        reply(q, { id: ((q.id ?? 0) + 1) & 0xffff, answers: [a('host.example.org', '203.0.113.99')] }),
        wrongQuestion,
        reply(q, { answers: [a('host.example.org', '192.0.2.1')] }),
      ];
    });
    const answer = await createDnsClient({ servers: [dns.server], attempts: 1 }).resolve4('host.example.org');
    expect(answer).toMatchObject({ ok: true, records: ['192.0.2.1'] });
  });

  it('answers DNS_TIMEOUT within the time budget when the server never answers', async () => {
    const dns = await startResponder(silent);
    const started = performance.now();
    const answer = await createDnsClient({ servers: [dns.server], timeoutMs: 300, attempts: 2 }).resolve4(
      'host.example.org',
    );
    const elapsed = performance.now() - started;
    expect(answer).toMatchObject({ ok: false, code: 'DNS_TIMEOUT', cnameChain: [] });
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(800);
    // Asked once per attempt, the second after half the budget.
    expect(dns.queries).toHaveLength(2);
  });

  it('falls back to the second server when the first does not answer', async () => {
    const dead = await startResponder(silent);
    const live = await startResponder(tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1')] }));
    const started = performance.now();
    const answer = await createDnsClient({ servers: [dead.server, live.server], timeoutMs: 400, attempts: 1 }).resolve4(
      'host.example.org',
    );
    const elapsed = performance.now() - started;
    expect(answer).toMatchObject({ ok: true, records: ['192.0.2.1'] });
    expect(dead.queries).toHaveLength(1);
    expect(live.queries).toHaveLength(1);
    // The second server is asked once the first one's slot (400 / 2 ms) has passed, not before.
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(400);
  });

  it('fails fast with DNS_ERROR when nothing listens on the server port (ICMP port unreachable)', async () => {
    const closed = await startResponder(silent);
    await closed.close();
    const started = performance.now();
    const answer = await createDnsClient({ servers: [closed.server], timeoutMs: 3000 }).resolve4('host.example.org');
    expect(answer).toMatchObject({ ok: false, code: 'DNS_ERROR' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('moves on to the next server at once after a SERVFAIL', async () => {
    const failing = await startResponder((q) => [reply(q, { rcode: 'SERVFAIL' })]);
    const live = await startResponder(tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1')] }));
    const started = performance.now();
    const answer = await createDnsClient({ servers: [failing.server, live.server], timeoutMs: 2000 }).resolve4(
      'host.example.org',
    );
    expect(answer).toMatchObject({ ok: true, records: ['192.0.2.1'] });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('still accepts a late answer from the first server after the second was asked', async () => {
    // Two servers, one attempt, 600 ms: slots of 300 ms. The first answers at 400 ms, after the second was asked.
    const slow = await startResponder((q) => [
      { delayMs: 400, message: reply(q, { answers: [a('host.example.org', '192.0.2.50')] }) },
    ]);
    const dead = await startResponder(silent);
    const answer = await createDnsClient({ servers: [slow.server, dead.server], timeoutMs: 600, attempts: 1 }).resolve4(
      'host.example.org',
    );
    expect(answer).toMatchObject({ ok: true, records: ['192.0.2.50'] });
    expect(dead.queries).toHaveLength(1);
  });

  it('aborts a pending question via the signal, answering DNS_TIMEOUT at once', async () => {
    const dns = await startResponder(silent);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    const answer = await createDnsClient({ servers: [dns.server], timeoutMs: 5000 }).resolve4('host.example.org', {
      signal: controller.signal,
    });
    expect(answer).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const dns = await startResponder(silent);
    const answer = await createDnsClient({ servers: [dns.server] }).resolveSrv('_matrix-fed._tcp.example.org', {
      signal: AbortSignal.abort(),
    });
    expect(answer).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(dns.queries).toHaveLength(0);
  });

  it('talks to an IPv6 loopback server', async (context) => {
    let dns: Responder;
    try {
      dns = await startResponder(
        tableHandler({ 'host.example.org AAAA': [aaaa('host.example.org', '2001:db8::1')] }),
        '::1',
      );
    } catch {
      context.skip();
      return;
    }
    const answer = await createDnsClient({ servers: [dns.server] }).resolve6('host.example.org');
    expect(answer).toMatchObject({ ok: true, records: ['2001:db8::1'] });
  });
});

describe('createDnsClient: options', () => {
  it('accepts IP, IP:PORT, bare IPv6 and [IPv6]:PORT servers', () => {
    expect(() =>
      createDnsClient({ servers: ['192.0.2.53', '192.0.2.53:5353', '2001:db8::53', '[2001:db8::53]:5353', '[::1]'] }),
    ).not.toThrow();
  });

  it.each([
    'dns.example.org',
    'dns.example.org:53',
    '192.0.2.53:0',
    '192.0.2.53:65536',
    '192.0.2.53:',
    '192.0.2.53:5x',
    '[192.0.2.53]:53',
    '[2001:db8::53',
    '[2001:db8::53]53',
    '256.0.0.1',
    '',
  ])('rejects the server %j with INVALID_ARGUMENT naming it', (server) => {
    let caught: unknown;
    try {
      createDnsClient({ servers: [server] });
    } catch (error) {
      caught = error;
    }
    expect(isMatrixDelegationError(caught, 'INVALID_ARGUMENT')).toBe(true);
    expect((caught as Error).message).toContain(JSON.stringify(server));
  });

  it('rejects an empty server list and nonsensical numbers', () => {
    for (const options of [
      { servers: [] },
      { timeoutMs: 0 },
      { timeoutMs: Number.NaN },
      { attempts: 0 },
      { attempts: 1.5 },
      { maxCnameHops: -1 },
    ]) {
      expect(() => createDnsClient(options), JSON.stringify(options)).toThrowError(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error,
      );
    }
  });
});

describe('createLazyDnsClient', () => {
  it('refuses unusable servers at once, as createDnsClient does, and asks nothing until a question comes', async () => {
    for (const servers of [[], ['not an address'], ['192.0.2.1:99999']]) {
      expect(() => createLazyDnsClient(servers)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => createDnsClient({ servers })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    const dns = await startResponder(tableHandler({ 'host.example.org A': [a('host.example.org', '192.0.2.1')] }));
    const client = createLazyDnsClient([dns.server]);
    expect(dns.queries).toHaveLength(0);
    const answer = await client.resolve4('host.example.org');
    expect(answer.ok && answer.records).toEqual(['192.0.2.1']);
    expect(dns.queries).toHaveLength(1);
  });
});
