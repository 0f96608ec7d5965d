// The in-memory DnsResolver used by the resolver's unit tests must behave like a real recursive server.

import { describe, expect, it } from 'vitest';
import { createMemoryDns, MEMORY_DNS_DEFAULT_TTL, MEMORY_DNS_NEGATIVE_TTL } from '../../src/dns/memory-dns.js';
import type { MemoryDnsEntry } from '../../src/dns/memory-dns.js';

describe('createMemoryDns', () => {
  const dns = () =>
    createMemoryDns({
      'example.org': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'], ttl: 120 },
      '_matrix-fed._tcp.example.org': {
        SRV: [
          { priority: 10, weight: 5, port: 8448, target: 'Matrix.Example.ORG.' },
          { priority: 20, weight: 0, port: 8448, target: 'backup.example.org' },
        ],
      },
      '_matrix-fed._tcp.gone.example': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
      'matrix.example.org': { A: ['192.0.2.2'] },
      'www.example.org': { CNAME: 'edge.example.net', ttl: 30 },
      'edge.example.net': { CNAME: 'Matrix.Example.ORG.' },
      'loop-a.example': { CNAME: 'loop-b.example' },
      'loop-b.example': { CNAME: 'loop-a.example' },
      'broken.example': { servfail: true },
      'slow.example': { timeout: true },
    });

  it('answers A, AAAA and SRV records with their TTL', async () => {
    const d = dns();
    expect(await d.resolve4('example.org')).toEqual({
      ok: true,
      records: ['192.0.2.1'],
      cnameChain: [],
      ttlSeconds: 120,
    });
    expect(await d.resolve6('example.org')).toEqual({
      ok: true,
      records: ['2001:db8::1'],
      cnameChain: [],
      ttlSeconds: 120,
    });
    expect(await d.resolveSrv('_matrix-fed._tcp.example.org')).toEqual({
      ok: true,
      records: [
        { priority: 10, weight: 5, port: 8448, target: 'matrix.example.org' },
        { priority: 20, weight: 0, port: 8448, target: 'backup.example.org' },
      ],
      cnameChain: [],
      ttlSeconds: MEMORY_DNS_DEFAULT_TTL,
    });
  });

  it('keeps the "." SRV target', async () => {
    const answer = await dns().resolveSrv('_matrix-fed._tcp.gone.example');
    expect(answer.ok && answer.records[0]?.target).toBe('.');
  });

  it('is case-insensitive and ignores a trailing dot', async () => {
    expect(await dns().resolve4('EXAMPLE.org.')).toMatchObject({ ok: true, records: ['192.0.2.1'] });
  });

  it('answers NXDOMAIN for unknown names and NODATA for known names without the type', async () => {
    const d = dns();
    expect(await d.resolve4('nowhere.example')).toMatchObject({
      ok: false,
      code: 'DNS_NXDOMAIN',
      ttlSeconds: MEMORY_DNS_NEGATIVE_TTL,
    });
    expect(await d.resolveSrv('example.org')).toMatchObject({
      ok: false,
      code: 'DNS_NODATA',
      ttlSeconds: MEMORY_DNS_NEGATIVE_TTL,
    });
    expect(await d.resolve6('matrix.example.org')).toMatchObject({ ok: false, code: 'DNS_NODATA' });
  });

  it('answers NODATA, not NXDOMAIN, for an empty non-terminal', async () => {
    const d = dns();
    expect(await d.resolveSrv('_tcp.example.org')).toMatchObject({ ok: false, code: 'DNS_NODATA' });
    expect(await d.resolveSrv('_matrix._tcp.example.org')).toMatchObject({ ok: false, code: 'DNS_NXDOMAIN' });
  });

  it('follows CNAME chains and records them, with the smallest TTL', async () => {
    expect(await dns().resolve4('www.example.org')).toEqual({
      ok: true,
      records: ['192.0.2.2'],
      cnameChain: ['edge.example.net', 'matrix.example.org'],
      ttlSeconds: 30,
    });
  });

  it('keeps the chain on a failure after a CNAME', async () => {
    expect(await dns().resolve6('www.example.org')).toMatchObject({
      ok: false,
      code: 'DNS_NODATA',
      cnameChain: ['edge.example.net', 'matrix.example.org'],
    });
  });

  it('reports CNAME loops and over-long chains', async () => {
    expect(await dns().resolve4('loop-a.example')).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
    const table: Record<string, MemoryDnsEntry> = { 'n12.example': { A: ['192.0.2.9'] } };
    for (let i = 0; i < 12; i += 1) table[`n${i}.example`] = { CNAME: `n${i + 1}.example` };
    const long = await createMemoryDns(table).resolve4('n0.example');
    expect(long).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
  });

  it('answers SERVFAIL and TIMEOUT when told to', async () => {
    const d = dns();
    expect(await d.resolve4('broken.example')).toMatchObject({ ok: false, code: 'DNS_SERVFAIL' });
    expect(await d.resolveSrv('slow.example')).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
  });

  it('answers DNS_TIMEOUT when the signal is already aborted', async () => {
    expect(await dns().resolve4('example.org', { signal: AbortSignal.abort() })).toMatchObject({
      ok: false,
      code: 'DNS_TIMEOUT',
    });
  });

  it('records every question asked', async () => {
    const d = dns();
    await d.resolveSrv('_matrix-fed._tcp.Example.org');
    await d.resolve6('www.example.org');
    expect(d.queries).toEqual([
      { name: '_matrix-fed._tcp.example.org', type: 'SRV' },
      { name: 'www.example.org', type: 'AAAA' },
    ]);
  });
});
