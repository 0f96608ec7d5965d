// Validates ResolveOptions once and completes them into the context the resolver steps use.

import { createDnsClient } from '../dns/index.js';
import type { DnsPort } from '../dns/types.js';
import { onAbort } from '../net/abort.js';
import { createAddressPolicy } from '../net/address-policy.js';
import type { AddressPolicy } from '../net/types.js';
import {
  booleanOption,
  functionOption,
  optionsObject,
  portObjectOption,
  portOption,
  signalOption,
  stringListOption,
  timeoutOption,
} from '../options/validate.js';
import { fetchWellKnownServer } from '../well-known/fetch.js';
import { createOverlap } from './overlap.js';
import type { Overlap } from './overlap.js';
import type { ResolveOptions, WellKnownLookup, WellKnownPort } from './types.js';

/** Defaults of {@link ResolveOptions}, in one place. */
export const RESOLVE_DEFAULTS = {
  wellKnownPort: 443,
  defaultPort: 8448,
  timeoutMs: 15_000,
  wellKnownTimeoutMs: 10_000,
} as const;

/** Everything a resolution needs, complete. */
export interface ResolverContext {
  readonly dns: DnsPort;
  readonly policy: AddressPolicy;
  readonly wellKnown: WellKnownPort;
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
 * is not an array of strings, a port object without its methods. The CIDRs and DNS server strings themselves are
 * checked where they are parsed (`INVALID_CIDR`, `INVALID_ARGUMENT`, see {@link resolvePorts}).
 *
 * @example
 * ```ts
 * checkResolveOptions({ defaultPort: -1 }); // throws INVALID_ARGUMENT: defaultPort must be a whole number from 1 to 65535, not -1
 * ```
 */
export function checkResolveOptions(value: unknown): ResolveSettings {
  const options = optionsObject<ResolveOptions>('options', value);
  stringListOption('dnsServers', options.dnsServers);
  portObjectOption('dns', options.dns, ['resolve4', 'resolve6', 'resolveSrv']);
  stringListOption('allowNetworks', options.allowNetworks);
  stringListOption('denyNetworks', options.denyNetworks);
  portObjectOption('policy', options.policy, ['check']);
  stringListOption('ca', options.ca);
  functionOption('wellKnown', options.wellKnown);
  functionOption('random', options.random);
  signalOption('signal', options.signal);
  portObjectOption('cache', options.cache, ['dns', 'wellKnown', 'recall', 'remember', 'close']);
  booleanOption('overlap', options.overlap, false);
  return {
    options,
    wellKnownPort: portOption('wellKnownPort', options.wellKnownPort, RESOLVE_DEFAULTS.wellKnownPort),
    defaultPort: portOption('defaultPort', options.defaultPort, RESOLVE_DEFAULTS.defaultPort),
    timeoutMs: timeoutOption('timeoutMs', options.timeoutMs, RESOLVE_DEFAULTS.timeoutMs),
    wellKnownTimeoutMs: timeoutOption('wellKnownTimeoutMs', options.wellKnownTimeoutMs, RESOLVE_DEFAULTS.wellKnownTimeoutMs),
  };
}

/**
 * Builds the DNS port and address policy that options describe (shared by resolver and client). Bad CIDRs throw
 * `INVALID_CIDR`, bad DNS server strings `INVALID_ARGUMENT`.
 */
export function resolvePorts(options: ResolveOptions): { dns: DnsPort; policy: AddressPolicy } {
  const dns = options.dns ?? createDnsClient(options.dnsServers ? { servers: options.dnsServers } : {});
  const policy =
    options.policy ??
    createAddressPolicy({
      ...(options.allowNetworks ? { allowNetworks: options.allowNetworks } : {}),
      ...(options.denyNetworks ? { denyNetworks: options.denyNetworks } : {}),
    });
  return { dns, policy };
}

/**
 * Completes checked options (see {@link checkResolveOptions}) into the context of one resolution: the ports, the
 * budget timer and the caller's signal. Bad CIDRs and DNS servers throw here (`INVALID_CIDR` / `INVALID_ARGUMENT`).
 */
export function normalizeResolveOptions(settings: ResolveSettings): ResolverContext {
  const { options, wellKnownPort, defaultPort, timeoutMs, wellKnownTimeoutMs } = settings;
  const ports = resolvePorts(options);
  const { policy } = ports;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`resolution took longer than ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  const callerSignal = options.signal;
  // Fanned out (see onAbort): one caller signal may serve many resolutions at once.
  const stopCaller = callerSignal === undefined ? undefined : onAbort(callerSignal, () => controller.abort(callerSignal.reason));
  if (callerSignal?.aborted === true) controller.abort(callerSignal.reason);

  // With a cache every question goes through it (and joins identical questions in flight); with overlapping
  // lookups each question is asked once per resolution, however many steps (or prefetches) ask it.
  const cached = options.cache ? options.cache.dns(ports.dns) : ports.dns;
  const overlap = (options.overlap ?? true) ? createOverlap(cached, controller.signal) : null;
  const dns = overlap ? overlap.dns : cached;
  // A cached well-known fetch may be shared by concurrent resolutions: it must not depend on this one's lifetime,
  // so it asks the cache directly (which joins this resolution's identical questions in flight anyway).
  const fetchDns = options.cache ? cached : dns;

  const fetchPort: WellKnownPort =
    options.wellKnown ??
    (async (hostname, { signal }): Promise<WellKnownLookup> => {
      const r = await fetchWellKnownServer(hostname, {
        dns: fetchDns,
        policy,
        port: wellKnownPort,
        timeoutMs: wellKnownTimeoutMs,
        signal,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      return {
        status: r.status,
        mServer: r.mServer,
        code: r.code,
        detail: r.detail,
        data: { httpStatus: r.httpStatus, hops: r.hops, headers: r.headers, durationMs: r.durationMs },
        headers: { cacheControl: r.headers.cacheControl, expires: r.headers.expires },
      };
    });
  const wellKnown = options.cache ? options.cache.wellKnown(fetchPort, wellKnownPort) : fetchPort;

  return {
    dns,
    policy,
    wellKnown,
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
