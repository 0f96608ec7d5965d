// Benchmark: cached resolutions per second on one core, and the memory that 100,000 cached names hold.

import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMemoryStore } from '../src/cache/memory-store.js';
import type { DnsAnswer, DnsResolver, SrvRecord } from '../src/dns/types.js';
import { createAddressPolicy } from '../src/net/address-policy.js';
import { createResolverCache } from '../src/resolver/cache.js';
import type { ResolverCache, ResolverCacheOptions } from '../src/resolver/cache.js';
import { resolveServerName } from '../src/resolver/resolve.js';
import type { ResolveOptions, ResolveResult } from '../src/resolver/types.js';
import { parseServerNameOrThrow } from '../src/server-name/index.js';
import type { WellKnownAnswer } from '../src/well-known/types.js';
import { cpuModel, numberOption, runAsScript } from './_shared.js';

/** Options of {@link runResolveCached}; defaults in brackets. */
export interface ResolveCachedOptions {
  /** Names in the throughput working set [10000: the memo's default size]. */
  readonly names?: number;
  /** Seconds of each throughput measurement [3]. */
  readonly seconds?: number;
  /** Names cached for the memory measurement, per delegation kind [100000]. */
  readonly memoryNames?: number;
  /** Where the report goes [process.stdout]. */
  readonly write?: (text: string) => void;
}

/** The delegation kinds the names are spread over (the most common set-ups). */
type Kind = '3.2' | '3.3' | '6';
const KINDS: readonly Kind[] = ['3.2', '3.3', '6'];
const KIND_WORDS: Readonly<Record<Kind, string>> = {
  '3.2': 'well-known -> host:port (the usual set-up)',
  '3.3': 'well-known -> host, SRV _matrix-fed -> target',
  '6': 'no well-known, no SRV: the host on 8448',
};

/** The whole benchmark stops itself after this long. */
const WATCHDOG_MS = 600_000;

/**
 * An in-process DNS for many names: a Map, NXDOMAIN for the rest, the packet client's wording and TTLs like a
 * real zone's (A 300 s, SRV 3600 s, negative answers with a 60 s SOA minimum). `createMemoryDns` walks its whole
 * table on every NXDOMAIN, which 300,000 names would turn into the benchmark's only cost.
 */
function benchDns(): DnsResolver & {
  add(name: string, type: 'A' | 'SRV', value: string | SrvRecord): void;
  queries: number;
} {
  const a = new Map<string, string[]>();
  const srv = new Map<string, SrvRecord[]>();
  const port = {
    queries: 0,
    add(name: string, type: 'A' | 'SRV', value: string | SrvRecord) {
      if (type === 'A') a.set(name, [...(a.get(name) ?? []), value as string]);
      else srv.set(name, [...(srv.get(name) ?? []), value as SrvRecord]);
    },
    resolve4(name: string): Promise<DnsAnswer<string>> {
      port.queries += 1;
      const records = a.get(name);
      if (records) return Promise.resolve({ ok: true, records, cnameChain: [], ttlSeconds: 300 });
      return Promise.resolve({
        ok: false,
        code: 'DNS_NXDOMAIN',
        message: `${name} does not exist (NXDOMAIN)`,
        cnameChain: [],
        ttlSeconds: 60,
      });
    },
    resolve6(name: string): Promise<DnsAnswer<string>> {
      port.queries += 1;
      if (a.has(name))
        return Promise.resolve({
          ok: false,
          code: 'DNS_NODATA',
          message: `${name} has no AAAA records`,
          cnameChain: [],
          ttlSeconds: 60,
        });
      return Promise.resolve({
        ok: false,
        code: 'DNS_NXDOMAIN',
        message: `${name} does not exist (NXDOMAIN)`,
        cnameChain: [],
        ttlSeconds: 60,
      });
    },
    resolveSrv(name: string): Promise<DnsAnswer<SrvRecord>> {
      port.queries += 1;
      const records = srv.get(name);
      if (records) return Promise.resolve({ ok: true, records, cnameChain: [], ttlSeconds: 3600 });
      return Promise.resolve({
        ok: false,
        code: 'DNS_NXDOMAIN',
        message: `${name} does not exist (NXDOMAIN)`,
        cnameChain: [],
        ttlSeconds: 60,
      });
    },
  };
  return port;
}

/** A world of `count` server names of one kind (or of all kinds in turn): DNS data and well-known answers. */
function world(count: number, kinds: readonly Kind[], offset = 0) {
  const dns = benchDns();
  const wellKnown = new Map<string, string>();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    const kind = kinds[i % kinds.length]!;
    const host = `host${n}.k${kind.replace('.', '')}.example`;
    const ip = `203.0.${(n >> 8) & 255}.${n & 255}`;
    names.push(host);
    dns.add(host, 'A', ip);
    if (kind === '3.2') {
      wellKnown.set(host, `matrix.${host}:8448`);
      dns.add(`matrix.${host}`, 'A', ip);
    } else if (kind === '3.3') {
      wellKnown.set(host, `matrix.${host}`);
      dns.add(`_matrix-fed._tcp.matrix.${host}`, 'SRV', { priority: 10, weight: 0, port: 8448, target: `fed.${host}` });
      dns.add(`fed.${host}`, 'A', ip);
    }
    // Kind 6: no SRV records (the SRV questions answer NXDOMAIN) and no well-known.
  }
  // The fetch's answers in the fetch's own words, so that the cache stores what it would store for real ones.
  const fetch = async (host: string): Promise<WellKnownAnswer> => {
    const url = `https://${host}/.well-known/matrix/server`;
    const mServer = wellKnown.get(host);
    return mServer === undefined
      ? {
          status: 'absent',
          mServer: null,
          serverName: null,
          code: 'WELL_KNOWN_NOT_FOUND',
          detail: `${url} answered 404: there is no well-known document`,
          data: { httpStatus: 404 },
          headers: { cacheControl: null, expires: null },
        }
      : {
          status: 'delegated',
          mServer,
          serverName: parseServerNameOrThrow(mServer),
          code: null,
          detail: `${url} delegates to ${mServer}`,
          data: { httpStatus: 200 },
          headers: { cacheControl: null, expires: null },
        };
  };
  return { dns, fetch, names };
}

/** Resolves every name once (64 at a time), filling the cache; `keep` receives each result (else it is dropped). */
async function fill(
  names: readonly string[],
  options: ResolveOptions,
  keep?: (index: number, result: ResolveResult) => void,
): Promise<void> {
  for (let i = 0; i < names.length; i += 64) {
    const batch = names.slice(i, i + 64);
    const done = await Promise.all(batch.map((n) => resolveServerName(n, options)));
    if (keep) done.forEach((r, j) => keep(i + j, r));
  }
}

/** The garbage collector, exposed at run time (bench/run.ts starts Node without --expose-gc). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

interface Throughput {
  readonly label: string;
  readonly names: number;
  readonly resolutions: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly memoHits: number;
  readonly queries: number;
}

/**
 * Resolves the names round-robin for `seconds`, one at a time (one core: a single event loop), after a warm-up
 * pass that fills the cache. Every 997th result is compared with the cold one: a cached answer must be the same.
 */
async function throughput(
  label: string,
  count: number,
  seconds: number,
  cacheOptions: ResolverCacheOptions,
): Promise<Throughput> {
  const { dns, fetch, names } = world(count, KINDS);
  // The cache's clock stands still: every answer stays valid for the whole measurement, however long the fill took
  // (a 60 s negative answer would otherwise expire during a long run and turn hits into questions).
  const frozen = Date.now();
  const now = (): number => frozen;
  const cache: ResolverCache = createResolverCache({
    ...cacheOptions,
    now,
    store: createMemoryStore({ now, maxEntries: 20 * count, maxBytes: 2 ** 31 - 1 }),
  });
  const options: ResolveOptions = { deps: { dns, fetchWellKnown: fetch, policy: createAddressPolicy() }, cache };
  // The cold targets, as text: keeping the whole results would put tens of MB on the heap and slow its collector.
  const cold: string[] = [];
  await fill(names, options, (i, r) => (cold[i] = JSON.stringify(r.targets)));
  // One untimed round for the JIT, then the timed loop.
  for (const name of names) await resolveServerName(name, options);
  const queriesBefore = dns.queries;
  const hitsBefore = cache.stats().memoHits;
  const budget = seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  while (performance.now() - t0 < budget) {
    for (let k = 0; k < 1000; k++) {
      const i = done % names.length;
      const result = await resolveServerName(names[i]!, options);
      if (done % 997 === 0 && JSON.stringify(result.targets) !== cold[i]) {
        throw new Error(`a cached resolution of ${names[i]} gave other targets than the cold one`);
      }
      done += 1;
    }
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    label,
    names: count,
    resolutions: done,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    memoHits: cache.stats().memoHits - hitsBefore,
    queries: dns.queries - queriesBefore,
  };
}

interface MemoryRow {
  readonly label: string;
  readonly names: number;
  readonly heapBytes: number;
  readonly entries: number;
  readonly countedBytes: number;
  readonly memoEntries: number;
}

/** Heap held by a cache of `count` names (the cache alone: everything else is dropped before measuring). */
async function memory(
  label: string,
  count: number,
  kinds: readonly Kind[],
  memo: boolean,
  gc: () => void,
): Promise<MemoryRow> {
  const { dns, fetch, names } = world(count, kinds);
  const policy = createAddressPolicy();
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  // The heap and the memory of ArrayBuffers (Buffers live outside the heap): nothing the cache holds escapes the count.
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  // Bounds large enough that nothing is evicted: the point is what 100,000 names cost, not the bound.
  const cache = createResolverCache({
    store: createMemoryStore({ maxEntries: 10 * count, maxBytes: 2 ** 31 - 1 }),
    // The memo at its default size (10,000 results: the "same few thousand names" a homeserver sees).
    ...(memo ? {} : { memo: false as const }),
  });
  // The DNS data and well-known table exist before and after: they are not counted. Results are dropped.
  await fill(names, { deps: { dns, fetchWellKnown: fetch, policy }, cache });
  gc();
  const after = used();
  const stats = cache.stats();
  return {
    label,
    names: count,
    heapBytes: after - before,
    entries: stats.store.entries,
    countedBytes: stats.store.bytes,
    memoEntries: stats.memoEntries,
  };
}

const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Runs the benchmark and writes a markdown section: cached resolutions per second (memo hits, and the steps run on
 * cached answers), then the heap held by 100,000 cached names per delegation kind.
 *
 * @example
 * ```ts
 * await runResolveCached({ names: 10_000, seconds: 3, memoryNames: 100_000 });
 * ```
 */
export async function runResolveCached(options: ResolveCachedOptions = {}): Promise<void> {
  const count = options.names ?? 10_000;
  const seconds = options.seconds ?? 3;
  const memoryNames = options.memoryNames ?? 100_000;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const gc = collector();

  write(`## resolve-cached\n\n`);
  write(
    `- date: ${new Date().toISOString()}\n- machine: ${cpuModel()}, ${cpus().length} cores, node ${process.version}, load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n\n`,
  );

  // Memory first, in a process that has done nothing else yet (a warm-up fill compiles the code first).
  await memory('warm-up', 2000, KINDS, false, gc);
  write(`### Memory held by ${thousands(memoryNames)} cached names\n\n`);
  write(`| kind | memo | store entries | counted MiB | held MiB | held bytes per name |\n|---|---|--:|--:|--:|--:|\n`);
  for (const kinds of [...KINDS.map((k) => [k]), KINDS] as Kind[][]) {
    const label = kinds.length === 1 ? `${kinds[0]}: ${KIND_WORDS[kinds[0]!]}` : 'mix: a third of each';
    for (const memo of kinds.length === 1 ? [false] : [false, true]) {
      const row = await memory(label, memoryNames, kinds, memo, gc);
      write(
        `| ${row.label} | ${memo ? `${thousands(row.memoEntries)} results (default)` : 'off'} | ${thousands(row.entries)} | ${mb(row.countedBytes)} | ${mb(row.heapBytes)} | ${thousands(row.heapBytes / row.names)} |\n`,
      );
    }
  }
  write('\n');

  write(`### Cached resolutions per second (one event loop)\n\n`);
  write(
    `| what is cached | names | resolutions | wall s | per second | per CPU second | memo hits | DNS questions |\n|---|--:|--:|--:|--:|--:|--:|--:|\n`,
  );
  const runs = [
    await throughput('whole results (memo) + answers', count, seconds, {}),
    await throughput('answers only (memo off): the steps run on cached answers', count, Math.max(1, seconds / 3), {
      memo: false,
    }),
    await throughput('3x more names than the memo holds', count * 3, Math.max(1, seconds / 3), {
      memo: { maxEntries: count },
    }),
  ];
  for (const r of runs) {
    write(
      `| ${r.label} | ${thousands(r.names)} | ${thousands(r.resolutions)} | ${(r.wallMs / 1000).toFixed(1)} | ${thousands((r.resolutions / r.wallMs) * 1000)} | ${thousands((r.resolutions / r.cpuMs) * 1000)} | ${thousands(r.memoHits)} | ${r.queries} |\n`,
    );
  }

  write('\n');
}

const USAGE = 'usage: resolve-cached [--names N] [--seconds S] [--memory-names N]';

/** Command-line entry. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      names: { type: 'string' },
      seconds: { type: 'string' },
      'memory-names': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  await runResolveCached({
    names: Math.round(numberOption('names', values.names, 10_000, { integer: false, sign: 'positive' })),
    seconds: numberOption('seconds', values.seconds, 3, { integer: false, sign: 'positive' }),
    memoryNames: Math.round(
      numberOption('memory-names', values['memory-names'], 100_000, { integer: false, sign: 'positive' }),
    ),
  });
  return 0;
}

runAsScript(import.meta.url, main, { name: 'resolve-cached', watchdogMs: WATCHDOG_MS });
