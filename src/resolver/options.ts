// Validates ResolveOptions once and completes them into the context the resolver steps use.

import { createLazyDnsClient } from '../dns/lazy-client.js';
import { RESOLVE_ERROR_EN as SAY } from './resolve-error-texts.js';
import type { DnsResolver } from '../dns/types.js';
import { createAbortController, onAbort } from '../net/abort.js';
import { createAddressPolicy } from '../net/address-policy.js';
import type { AddressPolicy } from '../net/types.js';
import { parseServerName } from '../server-name/index.js';
import {
  booleanOption,
  dependencyOption,
  functionOption,
  optionsObject,
  portOption,
  signalOption,
  stringListOption,
  timeoutOption,
} from '../options/validate.js';
import { fetchWellKnownServer } from '../well-known/fetch.js';
import { createOverlap } from './overlap.js';
import type { Overlap } from './overlap.js';
import type { ConnectionPool } from '../well-known/connection-pool.js';
import type { WellKnownFetcher } from '../well-known/types.js';
import type { ResolveDependencies, ResolveOptions } from './types.js';

/** Defaults of {@link ResolveOptions}, in one place. */
export const RESOLVE_DEFAULTS = {
  wellKnownPort: 443,
  defaultPort: 8448,
  timeoutMs: 15_000,
  wellKnownTimeoutMs: 10_000,
} as const;

/** The methods a DNS resolver must have (`DnsResolver`). */
const DNS_METHODS = ['resolve4', 'resolve6', 'resolveSrv'] as const;

/** Everything a resolution needs, complete. */
export interface ResolverContext {
  readonly dns: DnsResolver;
  readonly policy: AddressPolicy;
  readonly fetchWellKnown: WellKnownFetcher;
  readonly wellKnownPort: number;
  readonly defaultPort: number;
  readonly random: () => number;
  /** Overlapping lookups of this resolution (its `dns` is `overlap.dns`), or null for the plain sequence. */
  readonly overlap: Overlap | null;
  /** Aborts when the caller aborts or the resolution's budget runs out. */
  readonly signal: AbortSignal;
  /** Releases the budget timer. */
  dispose(): void;
}

/** {@link ResolveOptions} checked, with the defaults of the numbers filled in. */
export interface ResolveSettings {
  /** The options as given (every field checked). */
  readonly options: ResolveOptions;
  readonly wellKnownPort: number;
  readonly defaultPort: number;
  readonly timeoutMs: number;
  readonly wellKnownTimeoutMs: number;
}

/**
 * Checks every field of {@link ResolveOptions} (the one place they are checked: `resolveServerName`, the federation
 * client and `checkServer` all come through here). An unusable value throws `MatrixDelegationError`
 * `INVALID_ARGUMENT` naming the option and what it accepts: a port outside 1-65535, a budget that is not a whole
 * number of milliseconds from 1 to 2^31 - 1 (Node's timers wait no longer; CONTRIBUTING.md, Decisions), a list that
 * is not an array of strings, a dependency object without its methods. The CIDRs and DNS server strings themselves are
 * checked where they are parsed (`INVALID_CIDR`, `INVALID_ARGUMENT`, see {@link resolveDependencies}).
 *
 * @example
 * ```ts
 * checkResolveOptions({ defaultPort: -1 }); // throws INVALID_ARGUMENT: defaultPort must be a whole number from 1 to 65535, not -1
 * ```
 */
export function checkResolveOptions(value: unknown): ResolveSettings {
  const options = optionsObject<ResolveOptions>('options', value);
  stringListOption('dnsServers', options.dnsServers);
  const deps = optionsObject<ResolveDependencies>('deps', options.deps);
  dependencyOption('deps.dns', deps.dns, DNS_METHODS);
  dependencyOption('dns', options.dns, DNS_METHODS);
  stringListOption('allowNetworks', options.allowNetworks);
  stringListOption('denyNetworks', options.denyNetworks);
  dependencyOption('deps.policy', deps.policy, ['check']);
  dependencyOption('policy', options.policy, ['check']);
  stringListOption('ca', options.ca);
  functionOption('deps.fetchWellKnown', deps.fetchWellKnown);
  functionOption('wellKnown', options.wellKnown);
  functionOption('random', options.random);
  signalOption('signal', options.signal);
  dependencyOption('cache', options.cache, ['dns', 'wellKnown', 'recall', 'remember', 'close']);
  booleanOption('overlap', options.overlap, false);
  return {
    options,
    wellKnownPort: portOption('wellKnownPort', options.wellKnownPort, RESOLVE_DEFAULTS.wellKnownPort),
    defaultPort: portOption('defaultPort', options.defaultPort, RESOLVE_DEFAULTS.defaultPort),
    timeoutMs: timeoutOption('timeoutMs', options.timeoutMs, RESOLVE_DEFAULTS.timeoutMs),
    wellKnownTimeoutMs: timeoutOption(
      'wellKnownTimeoutMs',
      options.wellKnownTimeoutMs,
      RESOLVE_DEFAULTS.wellKnownTimeoutMs,
    ),
  };
}

/**
 * The DNS resolver and address policy that options describe: `deps.dns` / `deps.policy` when given (or the deprecated
 * top-level `dns` / `policy`), else a packet client on `dnsServers` and a policy from `allowNetworks` /
 * `denyNetworks` (the packet client loaded on the first question: `createLazyDnsClient`). Shared by the resolver, the client and the checker, which build them once for many resolutions.
 * Bad CIDRs throw `INVALID_CIDR`, bad DNS server strings `INVALID_ARGUMENT`.
 */
export function resolveDependencies(options: ResolveOptions): { dns: DnsResolver; policy: AddressPolicy } {
  const dns = options.deps?.dns ?? options.dns ?? createLazyDnsClient(options.dnsServers);
  const policy =
    options.deps?.policy ??
    options.policy ??
    createAddressPolicy({
      ...(options.allowNetworks ? { allowNetworks: options.allowNetworks } : {}),
      ...(options.denyNetworks ? { denyNetworks: options.denyNetworks } : {}),
    });
  return { dns, policy };
}

/**
 * Completes checked options (see {@link checkResolveOptions}) into the context of one resolution: the dependencies, the
 * budget timer and the caller's signal. Bad CIDRs and DNS servers throw here (`INVALID_CIDR` / `INVALID_ARGUMENT`).
 */
export function normalizeResolveOptions(settings: ResolveSettings): ResolverContext {
  const { options, wellKnownPort, defaultPort, timeoutMs, wellKnownTimeoutMs } = settings;
  const built = resolveDependencies(options);
  const { policy } = built;
  const controller = createAbortController();
  const timer = setTimeout(() => controller.abort(new Error(SAY.budget({ ms: timeoutMs }))), timeoutMs);
  timer.unref();
  const callerSignal = options.signal;
  // Fanned out (see onAbort): one caller signal may serve many resolutions at once.
  const stopCaller =
    callerSignal === undefined ? undefined : onAbort(callerSignal, () => controller.abort(callerSignal.reason));
  if (callerSignal?.aborted === true) controller.abort(callerSignal.reason);

  // With a cache every question goes through it (and joins identical questions in flight); with overlapping
  // lookups each question is asked once per resolution, however many steps (or prefetches) ask it.
  const cached = options.cache ? options.cache.dns(built.dns) : built.dns;
  const overlap = (options.overlap ?? true) ? createOverlap(cached, controller.signal) : null;
  const dns = overlap ? overlap.dns : cached;
  // A cached well-known fetch may be shared by concurrent resolutions: it must not depend on this one's lifetime,
  // so it asks the cache directly (which joins this resolution's identical questions in flight anyway).
  const fetchDns = options.cache ? cached : dns;

  const fetch: WellKnownFetcher =
    options.deps?.fetchWellKnown ??
    (options.wellKnown ? withServerName(options.wellKnown) : undefined) ??
    createWellKnownFetcher({
      dns: fetchDns,
      policy,
      port: wellKnownPort,
      timeoutMs: wellKnownTimeoutMs,
      ...(options.ca ? { ca: options.ca } : {}),
    });
  const fetchWellKnown = options.cache ? options.cache.wellKnown(fetch, wellKnownPort) : fetch;

  return {
    dns,
    policy,
    fetchWellKnown,
    wellKnownPort,
    defaultPort,
    random: options.random ?? Math.random,
    overlap,
    signal: controller.signal,
    dispose: () => {
      overlap?.cancelAll();
      clearTimeout(timer);
      stopCaller?.();
    },
  };
}

/** What {@link createWellKnownFetcher} fetches with. */
export interface WellKnownFetcherSettings {
  readonly dns: DnsResolver;
  readonly policy: AddressPolicy;
  /** The HTTPS port of the well-known. */
  readonly port: number;
  /** Budget of one fetch, redirects included. */
  readonly timeoutMs: number;
  /** Extra trusted CAs (PEM). */
  readonly ca?: readonly string[];
  /** Keep-alive connections shared with the other fetches of a task (a check's); the fetch's own otherwise. */
  readonly connections?: ConnectionPool;
}

/**
 * The resolver's own well-known fetch (`ResolveDependencies.fetchWellKnown` when none is given):
 * `fetchWellKnownServer` with these settings, its result as the resolver reads it. A check makes one over its own
 * connections, so that the connection of the server well-known serves its other fetches to that host too.
 *
 * @example
 * ```ts
 * const fetchWellKnown = createWellKnownFetcher({ dns, policy, port: 443, timeoutMs: 10_000 });
 * await resolveServerName('example.org', { deps: { dns, policy, fetchWellKnown } });
 * ```
 */
export function createWellKnownFetcher(settings: WellKnownFetcherSettings): WellKnownFetcher {
  return async (hostname, { signal }) => {
    const r = await fetchWellKnownServer(hostname, {
      dns: settings.dns,
      policy: settings.policy,
      port: settings.port,
      timeoutMs: settings.timeoutMs,
      signal,
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.connections ? { connections: settings.connections } : {}),
    });
    return {
      status: r.status,
      mServer: r.mServer,
      serverName: r.serverName,
      code: r.code,
      detail: r.detail,
      data: { httpStatus: r.httpStatus, hops: r.hops, headers: r.headers, durationMs: r.durationMs },
      headers: { cacheControl: r.headers.cacheControl, expires: r.headers.expires },
    };
  };
}

/**
 * The deprecated `wellKnown` option takes fetchers written for 0.1, whose answers have no `serverName` (the parsed
 * `m.server`): it is parsed here for them. Goes with the option.
 */
function withServerName(fetch: WellKnownFetcher): WellKnownFetcher {
  return async (hostname, options) => {
    const answer = await fetch(hostname, options);
    if (answer.serverName !== undefined) return answer;
    const parsed = answer.status === 'delegated' && answer.mServer !== null ? parseServerName(answer.mServer) : null;
    return { ...answer, serverName: parsed?.ok === true ? parsed.value : null };
  };
}
