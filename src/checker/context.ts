// The context of one check, built once from its options: the dependencies, the client, the budget, the ports.

import type { FederationClientOptions } from '../client/federation-client.js';
import { createDnsMemo } from '../dns/memo.js';
import type { DnsResolver } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import { invalidOption, serverNameArgument, timeoutOption } from '../options/validate.js';
import { checkResolveOptions, createWellKnownFetcher, resolveDependencies } from '../resolver/options.js';
import type { ResolveOptions } from '../resolver/types.js';
import { createConnectionPool, type ConnectionPool } from '../well-known/connection-pool.js';
import type { WellKnownFetchOptions } from '../well-known/types.js';
import { createCheckBudget, type CheckBudget } from './budget.js';
import { createTargetClient, type CheckClient } from './check-client.js';
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
  /**
   * Answers every DNS question of the check (the resolution's, the documents', the probes'), each name and type once
   * per check (see `createDnsMemo`): they all ask the same names, and must all see one answer.
   */
  readonly dns: DnsResolver;
  /** Checked before every connection. */
  readonly policy: AddressPolicy;
  /** The extra CAs only: each TLS user adds them to the system roots itself (see net/trust.ts). */
  readonly ca: readonly string[] | undefined;
  /**
   * The requests to target addresses, over one connection per address, its TLS probe's (see `createTargetClient`);
   * certificates not enforced: the TLS probe judges them, the requests read what is served.
   */
  readonly client: CheckClient;
  /**
   * The check's keep-alive connections: the client's per address, and the document fetches' per origin (the client
   * and support documents, the server well-known per address, the probes' fetches share them).
   */
  readonly connections: ConnectionPool;
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
  /** Stops the budget's timers and closes the check's connections. */
  close(): Promise<void>;
}

/**
 * Creates a client for address checks outside a check (`checkAddress` with a context of its own): the address policy
 * from `options` (`allowNetworks`, `denyNetworks`, or `deps.policy`), its CAs and limits; certificates reported by the
 * TLS probe, not enforced. Throws `INVALID_ARGUMENT` / `INVALID_CIDR` for unusable options. Close it when done.
 */
export function createCheckClient(options: FederationClientOptions): CheckClient {
  const given = checkResolveOptions(options).options as FederationClientOptions;
  return createTargetClient({
    policy: resolveDependencies(given).policy,
    ca: given.ca,
    connectTimeoutMs: timeoutOption('connectTimeoutMs', given.connectTimeoutMs, 10_000),
    requestTimeoutMs: timeoutOption('requestTimeoutMs', given.requestTimeoutMs, 30_000),
  });
}

/**
 * Checks the server name and every option of `checkServer` once (see `checkCheckOptions`), then builds what the
 * check shares: the DNS resolver and address policy (an unusable one throws before any timer starts), the budget,
 * and under the budget's signal the DNS memo, the connections and the client. Throws `INVALID_ARGUMENT` for a server
 * name that is not a string or an unusable option, and the caller's reason when its signal has already aborted
 * (before any DNS question or connection).
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
  const { dns: asked, policy } = resolveDependencies(given);
  if (callerSignal?.aborted === true) throw callerSignal.reason;
  const budget = createCheckBudget(
    {
      totalMs: settings.timeoutMs,
      operationMs: settings.operationTimeoutMs,
      resolutionMs: settings.maxResolutionMs,
      wellKnownMs: settings.resolve.wellKnownTimeoutMs,
    },
    callerSignal,
  );
  // One answer per DNS question for the whole check, asked under the check's signal; and one set of connections.
  const dns = createDnsMemo(asked, budget.signal);
  const connections = createConnectionPool({ signal: budget.signal });
  const client = createTargetClient({
    policy,
    ca: given.ca,
    connectTimeoutMs: settings.operationTimeoutMs,
    requestTimeoutMs: settings.operationTimeoutMs,
    pool: connections,
  });
  // The resolution shares the check's DNS answers and policy, and its well-known fetch the check's connections (unless
  // the caller fetches it, or caches it: a cached fetch may serve other resolutions, so it must not use this check's).
  const ownWellKnown =
    given.deps?.fetchWellKnown === undefined && given.wellKnown === undefined && given.cache === undefined;
  const fetchWellKnown = ownWellKnown
    ? createWellKnownFetcher({
        dns,
        policy,
        port: settings.resolve.wellKnownPort,
        timeoutMs: budget.wellKnownMs,
        ...(given.ca ? { ca: given.ca } : {}),
        connections,
      })
    : undefined;
  const shared: ResolveOptions = {
    ...given,
    deps: { ...given.deps, dns, policy, ...(fetchWellKnown ? { fetchWellKnown } : {}) },
  };
  return {
    serverName,
    settings,
    dns,
    policy,
    ca: given.ca,
    client,
    connections,
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
      await connections.close();
    },
  };
}

/** What a fetch of the check needs from its context. */
export type FetchContext = Pick<CheckContext, 'dns' | 'policy' | 'httpsPort' | 'ca' | 'budget' | 'signal'> &
  Partial<Pick<CheckContext, 'connections'>>;

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
    ...(ctx.connections ? { connections: ctx.connections } : {}),
    signal: ctx.signal,
  };
}
