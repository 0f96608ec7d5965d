// The context of one check, built once from its options: the dependencies, the client, the budget, the ports.

import {
  createFederationClient,
  type FederationClient,
  type FederationClientOptions,
} from '../client/federation-client.js';
import type { DnsResolver } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import { invalidOption, serverNameArgument } from '../options/validate.js';
import { resolveDependencies } from '../resolver/options.js';
import type { ResolveOptions } from '../resolver/types.js';
import type { WellKnownFetchOptions } from '../well-known/types.js';
import { createCheckBudget, type CheckBudget } from './budget.js';
import { checkCheckOptions, type CheckSettings } from './options.js';
import type { CheckOptions } from './types.js';

/**
 * Everything the parts of one check share, complete: every part (the address checks, the server well-known per
 * address, the documents, the probes) takes it, or the fields of it it needs, instead of an options object of its
 * own. Create it with {@link createCheckContext}; {@link CheckContext.close} it when the check ends.
 */
export interface CheckContext {
  /** The server name asked for: the keys must carry it (not the delegated host). */
  readonly serverName: string;
  /** The options, checked and completed. */
  readonly settings: CheckSettings;
  /** Answers every DNS question of the check (the resolution's, the documents', the probes'). */
  readonly dns: DnsResolver;
  /** Checked before every connection. */
  readonly policy: AddressPolicy;
  /** The extra CAs only: each TLS user adds them to the system roots itself (see net/trust.ts). */
  readonly ca: readonly string[] | undefined;
  /** A client that does not verify certificates: the TLS probe judges them, the requests read what is served. */
  readonly client: FederationClient;
  /** The HTTPS port: well-knowns and documents are fetched there (443; only tests change it). */
  readonly httpsPort: number;
  /** The default federation port (8448; only tests change it). */
  readonly defaultPort: number;
  /** The most each remote operation (a handshake, one request, one DNS question) may take. */
  readonly operationTimeoutMs: number;
  /** Most target addresses checked, and most addresses the server well-known is fetched from. */
  readonly maxAddresses: number;
  readonly now: () => number;
  /** When the check started (ISO 8601, from `now`). */
  readonly checkedAt: string;
  /** The check's budget: each operation's limit is its share of the time left (and at most `operationTimeoutMs`). */
  readonly budget: CheckBudget;
  /**
   * The check's signal (the budget's): aborts every operation in flight. When it aborts with the check's budget
   * expiry (see `budget.ts`), the unfinished parts are reported as `TIMEOUT`; any other reason (the caller's) rejects.
   */
  readonly signal: AbortSignal;
  /** The caller's signal (`CheckOptions.signal`): its abort rejects the whole check. */
  readonly callerSignal: AbortSignal | undefined;
  /** The resolution's options: the caller's, with the check's dependencies and the resolution's share of the budget. */
  readonly resolveOptions: ResolveOptions;
  /** Stops the budget's timers and closes the client's connections. */
  close(): Promise<void>;
}

/** Creates the client the address checks and probes share (certificates reported by the TLS probe, not enforced). */
export function createCheckClient(options: FederationClientOptions): FederationClient {
  return createFederationClient({ ...options, verifyCertificates: false, maxBodyBytes: 512 * 1024 });
}

/**
 * Checks the server name and every option of `checkServer` once (see `checkCheckOptions`), then builds what the
 * check shares: the DNS resolver and address policy, the client, and last the budget, whose timers start then (so
 * that an option the client refuses leaves no timer behind). Throws `INVALID_ARGUMENT` for a server name that is
 * not a string or an unusable option, and the caller's reason when its signal has already aborted (before any
 * DNS question or connection).
 *
 * @example
 * ```ts
 * const ctx = createCheckContext('example.com', { timeoutMs: 20_000 });
 * try {
 *   const resolution = await resolveServerName(ctx.serverName, ctx.resolveOptions);
 * } finally {
 *   await ctx.close();
 * }
 * ```
 */
export function createCheckContext(serverName: string, options: CheckOptions): CheckContext {
  serverNameArgument(serverName);
  const settings = checkCheckOptions(options);
  const { now, signal: callerSignal } = settings;
  const startedAt: unknown = now();
  // A Date holds ±8.64e15 ms (ECMA-262 "Time Values"): anything else from `now` would throw a RangeError below.
  if (typeof startedAt !== 'number' || !(Math.abs(startedAt) <= 8.64e15)) {
    throw invalidOption('now', 'a function returning milliseconds since the epoch', startedAt);
  }
  const given = settings.resolve.options;
  const { dns, policy } = resolveDependencies(given);
  if (callerSignal?.aborted === true) throw callerSignal.reason;
  // The resolution and the client share the check's DNS resolver and policy (one cache of answers, one policy).
  const shared: ResolveOptions = { ...given, deps: { ...given.deps, dns, policy } };
  const client = createCheckClient({
    ...shared,
    connectTimeoutMs: settings.operationTimeoutMs,
    requestTimeoutMs: settings.operationTimeoutMs,
  });
  const budget = createCheckBudget(
    {
      totalMs: settings.timeoutMs,
      operationMs: settings.operationTimeoutMs,
      resolutionMs: settings.maxResolutionMs,
      wellKnownMs: settings.resolve.wellKnownTimeoutMs,
    },
    callerSignal,
  );
  return {
    serverName,
    settings,
    dns,
    policy,
    ca: given.ca,
    client,
    httpsPort: settings.resolve.wellKnownPort,
    defaultPort: settings.resolve.defaultPort,
    operationTimeoutMs: settings.operationTimeoutMs,
    maxAddresses: settings.maxAddresses,
    now,
    checkedAt: new Date(startedAt).toISOString(),
    budget,
    signal: budget.signal,
    callerSignal,
    resolveOptions: {
      ...shared,
      timeoutMs: budget.resolutionMs,
      wellKnownTimeoutMs: budget.wellKnownMs,
      signal: budget.signal,
    },
    async close() {
      budget.dispose();
      await client.close();
    },
  };
}

/** What a fetch of the check needs from its context. */
export type FetchContext = Pick<CheckContext, 'dns' | 'policy' | 'httpsPort' | 'ca' | 'budget' | 'signal'>;

/** The transport of the check's fetches: a fetch's options with the check's dependencies, port, limit and signal set. */
export type CheckTransport = WellKnownFetchOptions & {
  readonly port: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
};

/**
 * The transport of a fetch started now (a well-known, a document and its base URLs): the check's dependencies, its
 * HTTPS port and signal, and a limit per request of its share of the time left when `stages - 1` more requests
 * follow it one after the other (see `CheckBudget.operationMs`), at most `operationTimeoutMs`.
 */
export function fetchTransport(ctx: FetchContext, stages: number): CheckTransport {
  return {
    dns: ctx.dns,
    policy: ctx.policy,
    port: ctx.httpsPort,
    timeoutMs: ctx.budget.operationMs(stages),
    ...(ctx.ca ? { ca: ctx.ca } : {}),
    signal: ctx.signal,
  };
}
