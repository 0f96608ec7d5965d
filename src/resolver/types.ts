// Types of the resolution result: targets, the well-known outcome, and the step-by-step trace.

import type { CacheAnswerInfo, CacheStore, CacheStoreStats } from '../cache/types.js';
import type { ErrorCode } from '../errors.js';
import type { DnsResolver } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import type { ServerName } from '../server-name/index.js';
import type { WellKnownFacts, WellKnownFetcher } from '../well-known/types.js';

/** The spec step that produced a target (server-server API, "Resolving server names"). */
export type ResolutionStep = '1' | '2' | '3' | '3.1' | '3.2' | '3.3' | '3.4' | '3.5' | '4' | '5' | '6';

/** One place to connect to, with the names to use there. */
export interface ResolvedTarget {
  /** The spec step that produced this target. */
  readonly step: ResolutionStep;
  /** The IP address to dial, bare (no brackets). */
  readonly ip: string;
  readonly port: number;
  /** The `Host` header to send: never carries the SRV port or the 8448 default. */
  readonly hostHeader: string;
  /** The name the server's certificate must be valid for (a DNS name or an IP address). */
  readonly tlsServerName: string;
  /** The TLS SNI to send; null for IP addresses (no SNI for IP literals). */
  readonly sni: string | null;
  /** The host name whose A/AAAA records gave `ip` (the SRV target, the delegated host, ...); null for IP literals. */
  readonly addressOf: string | null;
  /** The SRV record this target came from, when it came from one. */
  readonly srv: {
    readonly name: string;
    readonly priority: number;
    readonly weight: number;
    readonly target: string;
  } | null;
}

/** How the well-known lookup went. */
export type WellKnownStatus = 'delegated' | 'absent' | 'invalid' | 'error' | 'blocked' | 'skipped';

/** The outcome of the well-known step, as reported in the result. */
export interface WellKnownOutcome {
  readonly status: WellKnownStatus;
  /** The `m.server` value as served (when one was read), else null. */
  readonly mServer: string | null;
  /**
   * The delegated server name: `m.server` as the well-known parser parsed it, when `status` is `delegated`, else
   * null. Not part of the `resolve --json` contract (which shows `mServer`).
   */
  readonly serverName: ServerName | null;
  /** Plain words: why this status. */
  readonly detail: string;
  /** The error code behind a non-delegated status, or null. */
  readonly code: ErrorCode | null;
}

/** What one step of the trace did. */
export type TraceStatus = 'taken' | 'skipped' | 'empty' | 'failed';

/** What every trace entry has: the step, how it went and why, and when. */
interface TraceEntryBase {
  readonly status: TraceStatus;
  /** Plain words. */
  readonly reason: string;
  /** When the step started, milliseconds since the resolution started. */
  readonly startMs: number;
  readonly durationMs: number;
  /** The error code behind a failure, when there is one. */
  readonly code?: ErrorCode;
  /** The DNS name or URL asked, when the step asked one. */
  readonly query?: string;
  /**
   * When a cache is in use: whether the step's answer came from it (`hit`) and how old it is (`ageMs`), or was
   * fetched now. For an address lookup (AAAA and A) it is a hit only when both were, and its age is the older one.
   */
  readonly cache?: CacheAnswerInfo;
}

/** An SRV record as the trace shows it. */
export interface SrvRecordFacts {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: string;
}

/** What an SRV lookup answered (the `data` of an SRV step's entry). */
export interface SrvFacts {
  /** Every record answered, in answer order (the targets used are the first 32 in RFC 2782 order). */
  readonly records: readonly SrvRecordFacts[];
  /** The CNAME chain followed to reach the records; empty if none. */
  readonly cnameChain: readonly string[];
  /** The smallest TTL of the records, in seconds. */
  readonly ttlSeconds: number;
}

/** What an AAAA and A lookup of a host answered (the `data` of an address entry). */
export interface AddressFacts {
  /** Every AAAA address then every A address, as answered. */
  readonly addresses: readonly string[];
  /** The CNAME chain followed (from whichever of the two questions saw them); empty if none. */
  readonly cnameChain: readonly string[];
}

/** An address the address policy refused (the `data` of a `policy` entry). */
export interface PolicyFacts {
  readonly ip: string;
  /** The deny-list range that matched, or null. */
  readonly range: string | null;
}

/** The server name failed to parse: nothing else was done (`INVALID_SERVER_NAME`). */
export interface ParseTraceEntry extends TraceEntryBase {
  readonly step: 'parse';
  readonly data?: undefined;
}

/** An address found but not contacted, because the address policy denies it (`ADDRESS_DENIED`). */
export interface PolicyTraceEntry extends TraceEntryBase {
  readonly step: 'policy';
  readonly data: PolicyFacts;
}

/** Step 3: the well-known fetch (`query` is its URL, `data` its facts), or the step skipped. */
export interface WellKnownTraceEntry extends TraceEntryBase {
  readonly step: '3';
  readonly data?: WellKnownFacts;
}

/**
 * Any other step: the step's decision (no `data`), an SRV lookup (`query` is the SRV name, `data` the records when
 * it had some), or an AAAA and A lookup (`query` is the host, `data` its addresses). Tell the last two apart with
 * `'records' in data` / `'addresses' in data`.
 */
export interface StepTraceEntry extends TraceEntryBase {
  readonly step: Exclude<ResolutionStep, '3'>;
  readonly data?: SrvFacts | AddressFacts;
}

/**
 * One step taken or skipped, with the reason and timing: a union keyed by `step`, each with its typed `data`
 * (see {@link StepTraceEntry} for the SRV and address lookups, which share their step numbers).
 */
export type TraceEntry = ParseTraceEntry | PolicyTraceEntry | WellKnownTraceEntry | StepTraceEntry;

/** The result of {@link resolveServerName}. Remote faults are reported here, never thrown. */
export interface ResolveResult {
  /** The server name as given. */
  readonly serverName: string;
  /** The parsed server name, or null when it is invalid. */
  readonly parsed: ServerName | null;
  readonly wellKnown: WellKnownOutcome;
  /** Targets in the order to try them. Denied addresses never appear here. */
  readonly targets: readonly ResolvedTarget[];
  readonly trace: readonly TraceEntry[];
  /** Why there are no usable targets (or null when there are). */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/**
 * What a resolution is given instead of building it from the options: the DNS resolver, the address policy and the
 * well-known fetch. Each defaults to the real one the other options describe; tests inject fakes, a server a shared
 * DNS cache. Every field is optional.
 */
export interface ResolveDependencies {
  /** Answers the DNS questions [a packet client on `dnsServers`]. Overrides `dnsServers`. */
  readonly dns?: DnsResolver;
  /** Decides which addresses may be contacted [a policy from `allowNetworks` / `denyNetworks`]. Overrides both. */
  readonly policy?: AddressPolicy;
  /** Fetches `/.well-known/matrix/server` [`fetchWellKnownServer` with `dns`, `policy`, `ca` and the ports]. */
  readonly fetchWellKnown?: WellKnownFetcher;
}

/** Options of {@link resolveServerName}. Every field is optional; defaults in brackets. */
export interface ResolveOptions {
  /** DNS servers (`IP`, `IP:PORT`, `[IPv6]:PORT`) [the nameservers of /etc/resolv.conf]. Ignored when `deps.dns` is given. */
  readonly dnsServers?: readonly string[];
  /** Injected dependencies: the DNS resolver, the address policy, the well-known fetch [built from the other options]. */
  readonly deps?: ResolveDependencies;
  /** @deprecated Since 0.2.0: use `deps.dns` (which wins when both are given); removed in 0.3.0. */
  readonly dns?: DnsResolver;
  /** Networks to allow although the default deny-list covers them, as CIDRs [none]. */
  readonly allowNetworks?: readonly string[];
  /** Replace the default deny-list [Synapse's ip_range_blacklist]. */
  readonly denyNetworks?: readonly string[];
  /** @deprecated Since 0.2.0: use `deps.policy` (which wins when both are given); removed in 0.3.0. */
  readonly policy?: AddressPolicy;
  /** Extra trusted CA certificates (PEM), added to the system's [none; NODE_EXTRA_CA_CERTS is honoured by Node]. */
  readonly ca?: readonly string[];
  /** The port of the well-known fetch [443]. Only tests change it. */
  readonly wellKnownPort?: number;
  /** The default federation port [8448]. Only tests change it. */
  readonly defaultPort?: number;
  /** Budget of the whole resolution in milliseconds [15000]. */
  readonly timeoutMs?: number;
  /** Budget of the well-known fetch in milliseconds [10000]. */
  readonly wellKnownTimeoutMs?: number;
  /** @deprecated Since 0.2.0: use `deps.fetchWellKnown` (which wins when both are given); removed in 0.3.0. */
  readonly wellKnown?: WellKnownFetcher;
  /** Random source for RFC 2782 weighted ordering [Math.random]. */
  readonly random?: () => number;
  /** Cancels the resolution. */
  readonly signal?: AbortSignal;
  /**
   * Caches to use and fill, shared across calls (see `createResolverCache`) [none: every call is cold]. Create one
   * per configuration: the cache does not tell apart answers obtained with other DNS servers, policies or CAs.
   */
  readonly cache?: ResolverCache;
  /**
   * Overlapping lookups [true]: while the well-known is fetched, ask the server name's SRV records and addresses, and
   * ask all of a host's SRV and address questions at once. The result is the one the spec's sequence gives (each
   * question is asked once and the steps use the answers in their order); only the waiting shrinks, at the cost of a
   * few questions whose answers the sequence does not use (up to five more per resolution, asked in parallel).
   * `false` runs the plain sequence: each question is asked only when the step before it has its answer (the
   * command line's `--sequential`).
   */
  readonly overlap?: boolean;
}

/** Counters of a {@link ResolverCache}. */
export interface ResolverCacheStats {
  readonly store: CacheStoreStats;
  /** Whole results held by the memo. */
  readonly memoEntries: number;
  /** Resolutions answered by the memo, and resolutions that ran the steps, since creation. */
  readonly memoHits: number;
  readonly memoMisses: number;
  /** Questions and well-known fetches in flight now. */
  readonly inFlight: { readonly dns: number; readonly wellKnown: number };
}

/**
 * The caches of a resolver, to create once per configuration (DNS servers, address policy, CA, ports) and pass to
 * every `resolveServerName` call as `options.cache`: a federation client or the `serve` tester holds one for its
 * whole life. Answers are the same as without it: only repeated work is skipped.
 */
export interface ResolverCache {
  readonly store: CacheStore;
  /** The cache's clock. */
  readonly now: () => number;
  /** Wraps a DNS resolver with the DNS cache (shared in-flight questions). */
  dns(resolver: DnsResolver): DnsResolver;
  /** Wraps a well-known fetch with the well-known cache; answers of each `wellKnownPort` are kept apart. */
  wellKnown(fetch: WellKnownFetcher, wellKnownPort: number): WellKnownFetcher;
  /**
   * The memo's result for `serverName` on these ports when every answer it was built from is still valid (none
   * past its TTL or refresh time), else undefined. Its trace shows each answer as a cache hit with its current
   * age, and no time spent. Used by `resolveServerName` before running the steps.
   */
  recall(serverName: string, defaultPort: number, wellKnownPort: number): ResolveResult | undefined;
  /**
   * Offers a finished result to the memo. Kept only when every answer it used came through this cache and is
   * valid (no DNS error, no stale answer), and its order involved no random choice (no SRV priority shared by
   * records of different weights), so that recalling it gives exactly what running the steps would.
   */
  remember(serverName: string, defaultPort: number, wellKnownPort: number, result: ResolveResult): void;
  stats(): ResolverCacheStats;
  /** Empties the store (for Redis: this prefix) and the memo. */
  clear(): Promise<void>;
  /** Closes the store (a Redis connection). */
  close(): Promise<void>;
}
