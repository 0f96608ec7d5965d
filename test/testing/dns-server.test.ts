// Tests of the lab DNS server with real packets on loopback: Node's own resolver (c-ares) and raw dns-packet.

import { createSocket } from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, OptAnswer, Packet, RecordType } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import { startDnsServer, type LabDnsServer } from '../../src/testing/dns-server.js';
import { answerQuestion, buildZoneTable } from '../../src/testing/dns-zone.js';
import type { LabZones } from '../../src/testing/types.js';

const BIG_ADDRESSES = Array.from({ length: 40 }, (_, i) => `10.0.0.${i + 1}`);

const ZONES: LabZones = {
  'example.com': { A: ['127.0.0.10'], AAAA: ['2001:db8::10'], TXT: ['hello', 'x'.repeat(300)] },
  '_matrix-fed._tcp.example.com': {
    SRV: [
      { priority: 10, weight: 5, port: 8448, target: 'matrix.example.com' },
      { priority: 20, weight: 0, port: 443, target: 'backup.example.com.' },
    ],
    ttl: 120,
  },
  '_matrix-fed._tcp.nosrv.example': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
  'matrix.example.com': { A: ['127.0.0.11'] },
  'alias.example.com': { CNAME: 'mid.example.com' },
  'mid.example.com': { CNAME: 'matrix.example.com' },
  'dangling.example.com': { CNAME: 'nowhere.example.com' },
  'loop-a.example.com': { CNAME: 'loop-b.example.com' },
  'loop-b.example.com': { CNAME: 'loop-a.example.com' },
  'servfail.example.com': { servfail: true, A: ['127.0.0.12'] },
  'drop.example.com': { drop: true, A: ['127.0.0.13'] },
  'tc.example.com': { truncate: true, A: ['127.0.0.14'] },
  'big.example.com': { A: BIG_ADDRESSES },
  'slow.example.com': { delayMs: 600, A: ['127.0.0.15'] },
  'fast.example.com': { A: ['127.0.0.16'] },
  'host.example.com': { A: ['web'], AAAA: ['web'] },
  'badhost.example.com': { A: ['no-such-host'] },
};

const HOSTS: Record<string, { 4: string; 6: string }> = { web: { 4: '127.0.0.77', 6: '::77' } };

let dns: LabDnsServer;

/** dns-packet decodes the rcode too, but its types leave it out. */
type Response = DecodedPacket & { rcode: string };

function decode(raw: Buffer): Response {
  return dnsPacket.decode(raw) as Response;
}

beforeAll(async () => {
  dns = await startDnsServer({
    zones: ZONES,
    resolveHostRef: (ref, family) => {
      const host = HOSTS[ref];
      if (host === undefined) throw new Error(`unknown lab host ${ref}`);
      return host[family];
    },
  });
});

afterAll(async () => {
  await dns.close();
});

/** A fresh resolver per lookup: c-ares caches answers per channel, and these tests must see the server. */
function resolver(server: LabDnsServer = dns, options?: { timeout: number; tries: number }): dnsPromises.Resolver {
  const r = new dnsPromises.Resolver(options);
  r.setServers([server.server]);
  return r;
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  throw new Error('expected the lookup to fail');
}

function queriesFor(name: string): { type: string; transport: string }[] {
  return dns.queries.filter((q) => q.name === name).map((q) => ({ type: q.type, transport: q.transport }));
}

/** Sends DNS messages over one TCP connection (written `chunkSize` bytes at a time) and reads `count` answers. */
function tcpExchange(port: number, messages: Packet[], chunkSize = Infinity): Promise<Response[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const answers: Response[] = [];
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('TCP exchange timed out'));
    }, 3000);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        answers.push(decode(pending.subarray(2, 2 + length)));
        pending = pending.subarray(2 + length);
      }
      if (answers.length >= messages.length) {
        clearTimeout(timer);
        socket.end();
        resolve(answers);
      }
    });
    socket.on('connect', () => {
      const bytes = Buffer.concat(messages.map((m) => dnsPacket.streamEncode(m)));
      if (chunkSize === Infinity) {
        socket.write(bytes);
        return;
      }
      // Dribble the bytes out with pauses so the server really sees partial reads.
      let offset = 0;
      const step = (): void => {
        if (offset >= bytes.length || socket.destroyed) return;
        socket.write(bytes.subarray(offset, offset + chunkSize));
        offset += chunkSize;
        setTimeout(step, 2);
      };
      step();
    });
  });
}

/** Sends one raw datagram and resolves with the decoded answer (or rejects after `timeoutMs`). */
function udpExchange(port: number, message: Buffer, timeoutMs = 1000): Promise<{ raw: Buffer; packet: Response }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('UDP exchange timed out'));
    }, timeoutMs);
    socket.on('message', (raw) => {
      clearTimeout(timer);
      socket.close();
      resolve({ raw, packet: decode(raw) });
    });
    socket.send(message, port, '127.0.0.1');
  });
}

function query(id: number, name: string, type: RecordType, extra: Partial<Packet> = {}): Packet {
  return { type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], ...extra };
}

describe('lab DNS server with a real client (c-ares)', () => {
  it('answers A, AAAA and TXT with TTLs', async () => {
    expect(await resolver().resolve4('example.com', { ttl: true })).toEqual([{ address: '127.0.0.10', ttl: 300 }]);
    expect(await resolver().resolve6('example.com')).toEqual(['2001:db8::10']);
    // A 300-byte TXT string travels as two character-strings of one record.
    expect(await resolver().resolveTxt('example.com')).toEqual([['hello'], ['x'.repeat(255), 'x'.repeat(45)]]);
  });

  it('answers SRV records, trailing dots in the zone data removed', async () => {
    const records = await resolver().resolveSrv('_matrix-fed._tcp.example.com');
    expect(records.sort((a, b) => a.priority - b.priority)).toEqual([
      { name: 'matrix.example.com', port: 8448, priority: 10, weight: 5 },
      { name: 'backup.example.com', port: 443, priority: 20, weight: 0 },
    ]);
  });

  it('answers a single "." SRV target as the root name (c-ares reports an empty name)', async () => {
    expect(await resolver().resolveSrv('_matrix-fed._tcp.nosrv.example')).toEqual([
      { name: '', port: 0, priority: 0, weight: 0 },
    ]);
  });

  it('matches names case-insensitively and with a trailing dot', async () => {
    expect(await resolver().resolve4('MATRIX.Example.COM.')).toEqual(['127.0.0.11']);
  });

  it('follows CNAME chains inside the zones', async () => {
    expect(await resolver().resolve4('alias.example.com')).toEqual(['127.0.0.11']);
    expect(await resolver().resolveCname('alias.example.com')).toEqual(['mid.example.com']);
  });

  it('tells NXDOMAIN (ENOTFOUND) from NODATA (ENODATA), including empty non-terminals', async () => {
    expect(await errorCode(resolver().resolve4('nope.example.com'))).toBe('ENOTFOUND');
    expect(await errorCode(resolver().resolveSrv('_matrix-fed._tcp.nope.example.com'))).toBe('ENOTFOUND');
    expect(await errorCode(resolver().resolve6('matrix.example.com'))).toBe('ENODATA');
    expect(await errorCode(resolver().resolveSrv('_tcp.example.com'))).toBe('ENODATA');
    expect(await errorCode(resolver().resolve4('_tcp.nosrv.example'))).toBe('ENODATA');
    // A dangling CNAME ends in a name that does not exist: NXDOMAIN for the chain (RFC 6604).
    expect(await errorCode(resolver().resolve4('dangling.example.com'))).toBe('ENOTFOUND');
  });

  it('answers SERVFAIL for a servfail name (ESERVFAIL)', async () => {
    expect(await errorCode(resolver().resolve4('servfail.example.com'))).toBe('ESERVFAIL');
  });

  it('forces TCP for a truncate name: a UDP query, then a TCP one, and the answer arrives', async () => {
    expect(await resolver().resolve4('tc.example.com')).toEqual(['127.0.0.14']);
    expect(queriesFor('tc.example.com')).toEqual([
      { type: 'A', transport: 'udp' },
      { type: 'A', transport: 'tcp' },
    ]);
  });

  it('truncates UDP answers over 512 bytes so that the client retries over TCP', async () => {
    const addresses = await resolver().resolve4('big.example.com');
    expect(addresses.sort()).toEqual([...BIG_ADDRESSES].sort());
    expect(queriesFor('big.example.com')).toEqual([
      { type: 'A', transport: 'udp' },
      { type: 'A', transport: 'tcp' },
    ]);
  });

  it('delays a slow name without delaying another', async () => {
    const started = Date.now();
    const slow = resolver()
      .resolve4('slow.example.com')
      .then((a) => ({ a, ms: Date.now() - started }));
    const fast = resolver()
      .resolve4('fast.example.com')
      .then((a) => ({ a, ms: Date.now() - started }));
    const [slowResult, fastResult] = await Promise.all([slow, fast]);
    expect(fastResult.a).toEqual(['127.0.0.16']);
    expect(slowResult.a).toEqual(['127.0.0.15']);
    expect(fastResult.ms).toBeLessThan(300);
    expect(slowResult.ms).toBeGreaterThanOrEqual(590);
  });

  it('never answers a drop name: the client times out', async () => {
    const quick = resolver(dns, { timeout: 200, tries: 1 });
    expect(await errorCode(quick.resolve4('drop.example.com'))).toBe('ETIMEOUT');
    expect(queriesFor('drop.example.com')).toContainEqual({ type: 'A', transport: 'udp' });
  });

  it('substitutes lab host keys in A and AAAA, and answers SERVFAIL for an unknown key', async () => {
    expect(await resolver().resolve4('host.example.com')).toEqual(['127.0.0.77']);
    expect(await resolver().resolve6('host.example.com')).toEqual(['::77']);
    expect(await errorCode(resolver().resolve4('badhost.example.com'))).toBe('ESERVFAIL');
  });

  it('replaces, adds and deletes names at run time with setName', async () => {
    dns.setName('runtime.example.com', { A: ['127.0.0.50'] });
    expect(await resolver().resolve4('runtime.example.com')).toEqual(['127.0.0.50']);
    dns.setName('Runtime.Example.com.', { A: ['127.0.0.51'], ttl: 5 });
    expect(await resolver().resolve4('runtime.example.com', { ttl: true })).toEqual([
      { address: '127.0.0.51', ttl: 5 },
    ]);
    dns.setName('runtime.example.com', undefined);
    expect(await errorCode(resolver().resolve4('runtime.example.com'))).toBe('ENOTFOUND');
    const badSrv = [{ priority: 0, weight: 0, port: 70000, target: 'x.example' }];
    expect(() => dns.setName('bad.example.com', { SRV: badSrv })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('records every query with its lowercase name, type and transport', async () => {
    const before = Date.now();
    await resolver().resolveSrv('_matrix-fed._tcp.EXAMPLE.com');
    const last = dns.queries.at(-1);
    expect(last).toMatchObject({ name: '_matrix-fed._tcp.example.com', type: 'SRV', transport: 'udp' });
    expect(last?.at).toBeGreaterThanOrEqual(before);
    expect(last?.at).toBeLessThanOrEqual(Date.now());
  });

  it('survives malformed UDP packets', async () => {
    const socket = createSocket('udp4');
    const garbage = [
      Buffer.from([1, 2, 3]),
      Buffer.from('this is not a DNS packet at all, but it is long enough'),
      // A header announcing one question and then nothing.
      Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
      // A response (QR set) must not be answered.
      dnsPacket.encode({ type: 'response', id: 9, questions: [{ type: 'A', name: 'example.com' }] }),
    ];
    await Promise.all(garbage.map((g) => new Promise((resolve) => socket.send(g, dns.port, '127.0.0.1', resolve))));
    socket.close();
    expect(await resolver().resolve4('example.com')).toEqual(['127.0.0.10']);
  });

  it('closes a TCP connection that sends garbage and keeps serving', async () => {
    const closedByServer = await new Promise<boolean>((resolve) => {
      const socket = connect(dns.port, '127.0.0.1', () => socket.write(Buffer.from([0, 5, 1, 2, 3, 4, 5])));
      socket.on('error', () => resolve(true));
      socket.on('close', () => resolve(true));
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 2000);
    });
    expect(closedByServer).toBe(true);
    const [answer] = await tcpExchange(dns.port, [query(7, 'example.com', 'A')]);
    expect(answer?.answers).toMatchObject([{ type: 'A', data: '127.0.0.10' }]);
  });

  it('serves an IPv6 loopback address with a bracketed server string', async () => {
    const v6 = await startDnsServer({ zones: { 'six.example': { A: ['127.0.0.60'] } }, address: '::1' });
    try {
      expect(v6.server).toBe(`[::1]:${v6.port}`);
      expect(await resolver(v6).resolve4('six.example')).toEqual(['127.0.0.60']);
    } finally {
      await v6.close();
    }
  });
});

describe('lab DNS server on the wire (dns-packet)', () => {
  it('sets AA, copies id and RD, leaves RA clear, echoes the question in the queried case (TCP)', async () => {
    const [answer] = await tcpExchange(dns.port, [query(4242, 'Matrix.EXAMPLE.com', 'A')]);
    expect(answer).toMatchObject({
      id: 4242,
      type: 'response',
      flag_qr: true,
      flag_aa: true,
      flag_rd: true,
      flag_ra: false,
      flag_tc: false,
      rcode: 'NOERROR',
      questions: [{ name: 'Matrix.EXAMPLE.com', type: 'A', class: 'IN' }],
      answers: [{ name: 'Matrix.EXAMPLE.com', type: 'A', ttl: 300, data: '127.0.0.11' }],
      authorities: [],
    });
    const [noRd] = await tcpExchange(dns.port, [{ ...query(1, 'example.com', 'A'), flags: 0 }]);
    expect(noRd?.flag_rd).toBe(false);
  });

  it('puts an SOA with minimum 60 in the authority section of NXDOMAIN and NODATA', async () => {
    const [nx, nodata, ent] = await tcpExchange(dns.port, [
      query(1, 'nope.example.com', 'A'),
      query(2, 'matrix.example.com', 'AAAA'),
      query(3, '_tcp.example.com', 'SRV'),
    ]);
    for (const [packet, rcode] of [
      [nx, 'NXDOMAIN'],
      [nodata, 'NOERROR'],
      [ent, 'NOERROR'],
    ] as const) {
      expect(packet?.flag_aa).toBe(true);
      expect(packet?.rcode).toBe(rcode);
      expect(packet?.answers).toEqual([]);
      expect(packet?.authorities).toHaveLength(1);
      expect(packet?.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'example.com', data: { minimum: 60 } });
    }
  });

  it('encodes a "." SRV target as the root label on the wire', async () => {
    const srvQuery = dnsPacket.encode(query(5, '_matrix-fed._tcp.nosrv.example', 'SRV'));
    const { raw, packet } = await udpExchange(dns.port, srvQuery);
    expect(packet.answers).toMatchObject([{ type: 'SRV', data: { priority: 0, weight: 0, port: 0, target: '.' } }]);
    // The SRV RDATA is the last thing in the packet: priority, weight, port, then the root name (one zero byte).
    expect(raw.subarray(-9).toString('hex')).toBe('0007' + '0000' + '0000' + '0000' + '00');
  });

  it('answers a CNAME query with the CNAME alone, and stops a CNAME loop with the chain so far', async () => {
    const [cname, loop] = await tcpExchange(dns.port, [
      query(1, 'alias.example.com', 'CNAME'),
      query(2, 'loop-a.example.com', 'A'),
    ]);
    expect(cname?.answers).toMatchObject([{ type: 'CNAME', name: 'alias.example.com', data: 'mid.example.com' }]);
    expect(loop?.rcode).toBe('NOERROR');
    expect(loop?.answers).toMatchObject([
      { type: 'CNAME', name: 'loop-a.example.com', data: 'loop-b.example.com' },
      { type: 'CNAME', name: 'loop-b.example.com', data: 'loop-a.example.com' },
    ]);
  });

  it('handles several queries on one connection, split into 3-byte reads', async () => {
    const answers = await tcpExchange(
      dns.port,
      [query(11, 'example.com', 'A'), query(12, 'matrix.example.com', 'A'), query(13, 'example.com', 'AAAA')],
      3,
    );
    expect(answers.map((a) => [a.id, (a.answers?.[0] as { data?: unknown } | undefined)?.data])).toEqual([
      [11, '127.0.0.10'],
      [12, '127.0.0.11'],
      [13, '2001:db8::10'],
    ]);
  });

  it('sets TC over UDP for a large answer unless EDNS allows it, and answers EDNS with OPT', async () => {
    const plain = await udpExchange(dns.port, dnsPacket.encode(query(21, 'big.example.com', 'A')));
    expect(plain.packet.flag_tc).toBe(true);
    expect(plain.packet.answers).toEqual([]);
    expect(plain.raw.length).toBeLessThanOrEqual(512);

    const opt: OptAnswer = {
      type: 'OPT',
      name: '.',
      udpPayloadSize: 4096,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    };
    const bigQuery = (id: number, udpPayloadSize: number): Buffer =>
      dnsPacket.encode(query(id, 'big.example.com', 'A', { additionals: [{ ...opt, udpPayloadSize }] }));
    const edns = await udpExchange(dns.port, bigQuery(22, 4096));
    expect(edns.packet.flag_tc).toBe(false);
    expect(edns.raw.length).toBeGreaterThan(512);
    expect(edns.packet.answers).toHaveLength(BIG_ADDRESSES.length);
    expect(edns.packet.additionals).toMatchObject([{ type: 'OPT' }]);

    const small = await udpExchange(dns.port, bigQuery(23, 600));
    expect(small.packet.flag_tc).toBe(true);
  });

  it('answers a truncate name in full over TCP', async () => {
    const [answer] = await tcpExchange(dns.port, [query(31, 'tc.example.com', 'A')]);
    expect(answer?.flag_tc).toBe(false);
    expect(answer?.answers).toMatchObject([{ type: 'A', data: '127.0.0.14' }]);
  });

  it('answers FORMERR to a query with two questions', async () => {
    const twoQuestions: Packet = {
      type: 'query',
      id: 41,
      questions: [
        { type: 'A', name: 'example.com' },
        { type: 'A', name: 'matrix.example.com' },
      ],
    };
    const { packet } = await udpExchange(dns.port, dnsPacket.encode(twoQuestions));
    expect(packet.id).toBe(41);
    expect(packet.rcode).toBe('FORMERR');
  });

  it('answers NOTIMP to an opcode other than QUERY, echoing the opcode', async () => {
    const status: Packet = { ...query(42, 'example.com', 'A'), flags: 2 << 11 };
    const { packet } = await udpExchange(dns.port, dnsPacket.encode(status));
    expect(packet).toMatchObject({ id: 42, rcode: 'NOTIMP', opcode: 'STATUS', answers: [] });
  });
});

describe('lab DNS server set-up', () => {
  it('binds UDP and TCP on the same port, and fails when the asked port is taken', async () => {
    // The fixture's UDP port is the reported one (c-ares used it above); TCP on the same number answers too.
    const [answer] = await tcpExchange(dns.port, [query(51, 'example.com', 'A')]);
    expect(answer?.id).toBe(51);
    await expect(startDnsServer({ zones: {}, port: dns.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('rejects invalid zone data with INVALID_ARGUMENT', async () => {
    for (const zones of [
      { 'a.example': { A: ['::1'] } },
      { 'a.example': { AAAA: ['127.0.0.1'] } },
      { 'a..example': { A: ['127.0.0.1'] } },
      { [`${'x'.repeat(64)}.example`]: { A: ['127.0.0.1'] } },
      { 'a.example': { ttl: -1 } },
      { 'a.example': {}, 'A.example.': {} },
    ] satisfies LabZones[]) {
      const error: unknown = await startDnsServer({ zones }).then(
        async (server) => {
          await server.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT'), JSON.stringify(zones)).toBe(true);
    }
  });

  it('close() is idempotent and stops answering', async () => {
    const server = await startDnsServer({ zones: { 'x.example': { A: ['127.0.0.1'] } } });
    await Promise.all([server.close(), server.close()]);
    const quick = resolver(server, { timeout: 200, tries: 1 });
    expect(await errorCode(quick.resolve4('x.example'))).toMatch(/ECONNREFUSED|ETIMEOUT/);
  });
});

describe('answerQuestion (pure zone logic)', () => {
  it('follows at most 8 CNAMEs', () => {
    const zones: Record<string, { CNAME?: string; A?: string[] }> = { 'c10.example': { A: ['127.0.0.1'] } };
    for (let i = 0; i < 10; i++) zones[`c${i}.example`] = { CNAME: `c${i + 1}.example` };
    const table = buildZoneTable(zones);
    const long = answerQuestion(table, 'c0.example', 'A');
    expect(long.answers.map((a) => a.type)).toEqual(Array(8).fill('CNAME'));
    const short = answerQuestion(table, 'c3.example', 'A');
    expect(short.answers.map((a) => a.type)).toEqual([...Array(7).fill('CNAME'), 'A']);
  });

  it('answers NODATA for the root and for unknown types at an existing name', () => {
    const table = buildZoneTable({ 'a.example': { A: ['127.0.0.1'] } });
    expect(answerQuestion(table, '.', 'A')).toMatchObject({
      rcode: 0,
      answers: [],
      authorities: [{ type: 'SOA', name: '.' }],
    });
    expect(answerQuestion(table, 'a.example', 'MX')).toMatchObject({ rcode: 0, answers: [] });
    expect(answerQuestion(table, 'b.example', 'MX')).toMatchObject({ rcode: 3 });
  });
});
