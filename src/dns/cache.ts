// A DnsResolver decorator that caches answers by their TTL (floor and ceiling), negative answers briefly, and serves stale on failure.

import type { CacheAnswerInfo, CacheStore } from '../cache/types.js';
import { MatrixDelegationError } from '../errors.js';
import { createCoalescer } from '../cache/coalesce.js';
import type { Coalescer } from '../cache/coalesce.js';
import { createNameRecordStore } from '../cache/name-records.js';
import type { NameRecordStore } from '../cache/name-records.js';
import type { DnsAnswer, DnsFailureCode, DnsResolver, DnsQueryOptions, SrvRecord } from './types.js';
import { DNS_ERROR_EN as SAY } from './dns-error-texts.js';

/** Options of {@link createCachedDns}; defaults in brackets. Give `store` or `records`. */
export interface CachedDnsOptions {
  /** Where answers are kept. */
  readonly store?: CacheStore;
  /** The per-name record layer over the store, when it is shared with the well-known cache. */
  readonly records?: NameRecordStore;
  /** The clock, ms since the epoch [Date.now]. */
  readonly now?: () => number;
  /** Shortest time an answer is kept, whatever its TTL says, seconds [5]. */
  readonly minTtlSeconds?: number;
  /** Longest time an answer is kept, whatever its TTL says, seconds [3600]. */
  readonly maxTtlSeconds?: number;
  /** Lifetime of NXDOMAIN / NODATA when the server sent no SOA to take it from, seconds [30]. */
  readonly negativeTtlSeconds?: number;
  /** Longest lifetime of NXDOMAIN / NODATA, seconds [60]: "no records" is kept only briefly. */
  readonly maxNegativeTtlSeconds?: number;
  /** How long past its TTL an answer may still be served while the DNS server fails (RFC 8767), seconds [86400]. */
  readonly staleSeconds?: number;
  /** In-flight questions, shared by every decorator of one cache so that concurrent resolutions ask once. */
  readonly flights?: Coalescer<CachedDnsResult>;
}

/** Defaults of {@link CachedDnsOptions}. */
export const DNS_CACHE_DEFAULTS = {
  minTtlSeconds: 5,
  maxTtlSeconds: 3600,
  negativeTtlSeconds: 30,
  maxNegativeTtlSeconds: 60,
  staleSeconds: 86_400,
} as const;

/** What one shared lookup produced (internal to the decorator; exported for the shared coalescer's type). */
export interface CachedDnsResult {
  readonly answer: DnsAnswer<unknown>;
  readonly info: CacheAnswerInfo;
}

type QueryType = 'A' | 'AAAA' | 'SRV';

/** A cached answer, decoded. */
interface Entry {
  readonly storedAt: number;
  readonly validUntil: number;
  readonly answer: DnsAnswer<unknown>;
}

const infos = new WeakMap<object, CacheAnswerInfo>();

/**
 * How a DNS answer went through a cache made by {@link createCachedDns} (hit or fetched now, age, stale), or
 * undefined for an answer that did not come through one. The resolver copies it into its trace.
 */
export function dnsCacheInfo(answer: DnsAnswer<unknown>): CacheAnswerInfo | undefined {
  return infos.get(answer);
}

/**
 * Wraps a {@link DnsResolver} with a cache:
 * - an answer is kept for its TTL clamped to [`minTtlSeconds`, `maxTtlSeconds`], and served with the TTL that is
 *   left; NXDOMAIN and NODATA are kept for the SOA's negative TTL (RFC 2308), at most `maxNegativeTtlSeconds`;
 * - SERVFAIL, timeouts and other errors are never kept: when one happens and an older answer to the same question
 *   is at most `staleSeconds` past its TTL, that answer is served instead, marked stale (RFC 8767);
 * - concurrent identical questions share one query (see `flights`), and a caller that aborts gets DNS_TIMEOUT
 *   without cancelling the others' query.
 *
 * Answers are stored per name (see `createNameRecordStore`); `_matrix-fed._tcp.<host>` and `_matrix._tcp.<host>`
 * share the record of `<host>`.
 *
 * @example
 * ```ts
 * const dns = createCachedDns(createDnsClient(), { store: createMemoryStore() });
 * const a = await dns.resolve4('matrix.org'); // asks the server
 * const b = await dns.resolve4('matrix.org'); // from the cache: dnsCacheInfo(b) -> { hit: true, ageMs, ... }
 * ```
 */
export function createCachedDns(dns: DnsResolver, options: CachedDnsOptions): DnsResolver {
  const staleMs = (options.staleSeconds ?? DNS_CACHE_DEFAULTS.staleSeconds) * 1000;
  const records =
    options.records ??
    (options.store
      ? createNameRecordStore(options.store, (_field, value, base) => dnsFieldKeepUntil(value, base, staleMs))
      : undefined);
  if (records === undefined)
    throw new MatrixDelegationError('INVALID_ARGUMENT', 'createCachedDns needs a store (or a record layer)');
  const now = options.now ?? Date.now;
  const minTtl = options.minTtlSeconds ?? DNS_CACHE_DEFAULTS.minTtlSeconds;
  const maxTtl = options.maxTtlSeconds ?? DNS_CACHE_DEFAULTS.maxTtlSeconds;
  const negativeTtl = options.negativeTtlSeconds ?? DNS_CACHE_DEFAULTS.negativeTtlSeconds;
  const maxNegativeTtl = options.maxNegativeTtlSeconds ?? DNS_CACHE_DEFAULTS.maxNegativeTtlSeconds;
  const flights = options.flights ?? createCoalescer<CachedDnsResult>();

  /** Seconds the cache keeps an answer, or null for an answer it must not keep. */
  function lifetimeSeconds(answer: DnsAnswer<unknown>): number | null {
    if (answer.ok) return clamp(answer.ttlSeconds, minTtl, maxTtl);
    if (answer.code === 'DNS_NXDOMAIN' || answer.code === 'DNS_NODATA') {
      return clamp(answer.ttlSeconds ?? negativeTtl, Math.min(minTtl, maxNegativeTtl), maxNegativeTtl);
    }
    return null;
  }

  async function lookup<T>(
    type: QueryType,
    rawName: string,
    queryOptions: DnsQueryOptions | undefined,
    ask: (o: DnsQueryOptions) => Promise<DnsAnswer<T>>,
  ): Promise<DnsAnswer<T>> {
    const name = normalizeName(rawName);
    if (name === '') return ask(queryOptions ?? {});
    const { owner, field } = placeOf(type, name);
    const record = await records!.read(owner);
    const raw = record?.fields.get(field);
    const entry = raw !== undefined && record !== undefined ? decodeEntry(raw, record.base, type, name) : undefined;
    const t = now();
    if (entry !== undefined && t < entry.validUntil) {
      return tag(withTtl(entry, t), {
        hit: true,
        ageMs: t - entry.storedAt,
        storedAt: entry.storedAt,
        validUntil: entry.validUntil,
      }) as DnsAnswer<T>;
    }

    let result: CachedDnsResult;
    try {
      result = await flights.run(
        `${field}:${owner}`,
        async (signal) => {
          let answer: DnsAnswer<unknown>;
          try {
            answer = await ask({ signal });
          } catch (error) {
            // A DnsResolver should not throw; one that does is a DNS error, not the caller's exception.
            answer = {
              ok: false,
              code: 'DNS_ERROR',
              message: error instanceof Error ? error.message : String(error),
              cnameChain: [],
            };
          }
          const storedAt = now();
          const seconds = lifetimeSeconds(answer);
          if (seconds === null) return { answer, info: { hit: false, ageMs: 0 } };
          const validUntil = storedAt + seconds * 1000;
          await records!.update(
            owner,
            field,
            (base) => encodeEntry(answer, storedAt, validUntil, base, type, name),
            storedAt,
          );
          return { answer, info: { hit: false, ageMs: 0, storedAt, validUntil } };
        },
        queryOptions?.signal,
      );
    } catch {
      // This caller aborted (the shared query goes on for the others).
      return tag(
        { ok: false, code: 'DNS_TIMEOUT', message: SAY.aborted({ name, rrtype: type }), cnameChain: [] },
        { hit: false, ageMs: 0 },
      ) as DnsAnswer<T>;
    }
    const { answer, info } = result;
    // A server failure with an earlier answer still within the stale window: serve that (RFC 8767).
    if (info.validUntil === undefined && !answer.ok && entry !== undefined && queryOptions?.signal?.aborted !== true) {
      const t2 = now();
      if (t2 < entry.validUntil + staleMs) {
        return tag(withTtl(entry, t2), {
          hit: true,
          ageMs: t2 - entry.storedAt,
          storedAt: entry.storedAt,
          validUntil: entry.validUntil,
          stale: true,
        }) as DnsAnswer<T>;
      }
    }
    // Each caller gets its own object, so that the info attached to it is its own.
    return tag({ ...answer }, info) as DnsAnswer<T>;
  }

  return {
    resolve4: (name, o) => lookup('A', name, o, (q) => dns.resolve4(name, q)),
    resolve6: (name, o) => lookup('AAAA', name, o, (q) => dns.resolve6(name, q)),
    resolveSrv: (name, o) => lookup<SrvRecord>('SRV', name, o, (q) => dns.resolveSrv(name, q)),
  };
}

/**
 * Until when a stored DNS answer must be kept: the end of its TTL plus the stale window (its value starts with
 * `[storedAt - base, lifetime s, ...]`, see `encodeEntry`). Given to the per-name record layer.
 */
export function dnsFieldKeepUntil(value: readonly unknown[], base: number, staleMs: number): number {
  const [offset, lifetime] = value;
  return typeof offset === 'number' && typeof lifetime === 'number' ? base + offset + lifetime * 1000 + staleMs : 0;
}

function tag<T>(answer: DnsAnswer<T>, info: CacheAnswerInfo): DnsAnswer<T> {
  infos.set(answer, info);
  return answer;
}

/** The answer of an entry, with the TTL left (whole seconds, rounded up) instead of the original one. */
function withTtl(entry: Entry, t: number): DnsAnswer<unknown> {
  const left = Math.max(0, Math.ceil((entry.validUntil - t) / 1000));
  return { ...entry.answer, ttlSeconds: left } as DnsAnswer<unknown>;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
}

function normalizeName(name: string): string {
  if (typeof name !== 'string') return '';
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Which record and field hold a question: SRV names of the Matrix services live in their host's record. */
function placeOf(type: QueryType, name: string): { owner: string; field: string } {
  if (type === 'A') return { owner: name, field: '4' };
  if (type === 'AAAA') return { owner: name, field: '6' };
  if (name.startsWith('_matrix-fed._tcp.')) return { owner: name.slice('_matrix-fed._tcp.'.length), field: 'f' };
  if (name.startsWith('_matrix._tcp.')) return { owner: name.slice('_matrix._tcp.'.length), field: 'l' };
  return { owner: name, field: 's' };
}

const NEGATIVE: Readonly<Record<string, DnsFailureCode>> = { X: 'DNS_NXDOMAIN', N: 'DNS_NODATA' };

/** The message the packet client writes for "no records", which is then not stored. */
function usualMessage(code: DnsFailureCode, owner: string, type: QueryType): string {
  return code === 'DNS_NXDOMAIN' ? SAY.nxdomain({ name: owner }) : SAY.nodata({ name: owner, rrtype: type });
}

/**
 * `[storedAt - base, lifetime s, records, cnameChain?]` or `[storedAt - base, lifetime s, "X"|"N", message?, cnameChain?]`
 * (the message omitted when it is the usual one; the chain omitted when empty). Lifetimes are whole seconds (TTLs).
 */
function encodeEntry(
  answer: DnsAnswer<unknown>,
  storedAt: number,
  validUntil: number,
  base: number,
  type: QueryType,
  name: string,
): unknown[] {
  const head = [Math.round(storedAt - base), Math.round((validUntil - storedAt) / 1000)];
  const chain = answer.cnameChain.length > 0 ? [answer.cnameChain] : [];
  if (answer.ok) {
    const records =
      type === 'SRV'
        ? (answer.records as SrvRecord[]).map((r) => [r.priority, r.weight, r.port, r.target])
        : answer.records;
    return [...head, records, ...chain];
  }
  const letter = answer.code === 'DNS_NXDOMAIN' ? 'X' : 'N';
  const owner = answer.cnameChain.at(-1) ?? name;
  const message = answer.message === usualMessage(answer.code, owner, type) ? null : answer.message;
  return chain.length > 0 || message !== null ? [...head, letter, message, ...chain] : [...head, letter];
}

function decodeEntry(value: readonly unknown[], base: number, type: QueryType, name: string): Entry | undefined {
  const [offset, lifetime, payload, fourth, fifth] = value;
  if (typeof offset !== 'number' || typeof lifetime !== 'number') return undefined;
  const storedAt = base + offset;
  const validUntil = storedAt + lifetime * 1000;
  if (Array.isArray(payload)) {
    const chain = Array.isArray(fourth) ? (fourth as string[]) : [];
    const records =
      type === 'SRV'
        ? (payload as [number, number, number, string][]).map(([priority, weight, port, target]) => ({
            priority,
            weight,
            port,
            target,
          }))
        : (payload as string[]);
    return { storedAt, validUntil, answer: { ok: true, records, cnameChain: chain, ttlSeconds: lifetime } };
  }
  const code = typeof payload === 'string' ? NEGATIVE[payload] : undefined;
  if (code === undefined) return undefined;
  const chain = Array.isArray(fifth) ? (fifth as string[]) : [];
  const message = typeof fourth === 'string' ? fourth : usualMessage(code, chain.at(-1) ?? name, type);
  return { storedAt, validUntil, answer: { ok: false, code, message, cnameChain: chain, ttlSeconds: lifetime } };
}
