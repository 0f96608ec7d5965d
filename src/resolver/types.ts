// Types of the resolution result: targets, the well-known outcome, and the step-by-step trace.

import type { CacheAnswerInfo } from '../cache/types.js';
import type { ErrorCode } from '../errors.js';
import type { DnsPort } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import type { ServerName } from '../server-name/index.js';
import type { WellKnownAnswer, WellKnownFetcher } from '../well-known/cached.js';
import type { ResolverCache } from './cache.js';

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
  readonly srv: { readonly name: string; readonly priority: number; readonly weight: number; readonly target: string } | null;
}

/** How the well-known lookup went. */
export type WellKnownStatus = 'delegated' | 'absent' | 'invalid' | 'error' | 'blocked' | 'skipped';

/** The outcome of the well-known step, as reported in the result. */
export interface WellKnownOutcome {
  readonly status: WellKnownStatus;
  /** The `m.server` value as served (when one was read), else null. */
  readonly mServer: string | null;
  /** Plain words: why this status. */
  readonly detail: string;
  /** The error code behind a non-delegated status, or null. */
  readonly code: ErrorCode | null;
}

/** What one step of the trace did. */
export type TraceStatus = 'taken' | 'skipped' | 'empty' | 'failed';

/** One step taken or skipped, with the reason and timing. */
export interface TraceEntry {
  readonly step: ResolutionStep | 'parse' | 'policy';
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
  /** Answers the step saw (SRV records, addresses, CNAME chain, redirect hops...). */
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * When a cache is in use: whether the step's answer came from it (`hit`) and how old it is (`ageMs`), or was
   * fetched now. For an address lookup (AAAA and A) it is a hit only when both were, and its age is the older one.
   */
  readonly cache?: CacheAnswerInfo;
}

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
 * What the resolver needs from a well-known fetch (see `fetchWellKnownServer`): status, `m.server`, error code,
 * detail, trace facts, caching headers (spec-notes §2), and where a cache got it. The same shape the well-known
 * cache keeps, so it is defined once, there.
 */
export type WellKnownLookup = WellKnownAnswer;

/** The well-known port: fetch `https://<hostname>:<port>/.well-known/matrix/server`. */
export type WellKnownPort = WellKnownFetcher;

/** Options of {@link resolveServerName}. Every field is optional; defaults in brackets. */
export interface ResolveOptions {
  /** DNS servers (`IP`, `IP:PORT`, `[IPv6]:PORT`) [the nameservers of /etc/resolv.conf]. Ignored when `dns` is given. */
  readonly dnsServers?: readonly string[];
  /** A DNS port (for tests or a shared cache) [a packet client on `dnsServers`]. */
  readonly dns?: DnsPort;
  /** Networks to allow although the default deny-list covers them, as CIDRs [none]. */
  readonly allowNetworks?: readonly string[];
  /** Replace the default deny-list [Synapse's ip_range_blacklist]. */
  readonly denyNetworks?: readonly string[];
  /** An address policy; overrides `allowNetworks` / `denyNetworks`. */
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
  /** Replaces the well-known fetch (tests, caches). */
  readonly wellKnown?: WellKnownPort;
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
