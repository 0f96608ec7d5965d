// Normalises ResolveOptions once into the complete context the resolver steps use.

import { createDnsClient } from '../dns/index.js';
import type { DnsPort } from '../dns/types.js';
import { createAddressPolicy } from '../net/address-policy.js';
import type { AddressPolicy } from '../net/types.js';
import { fetchWellKnownServer } from '../well-known/index.js';
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

/** Builds the DNS port and address policy that options describe (shared by resolver and client). */
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
 * Validates and completes the options. Invalid values (a bad CIDR, a bad DNS server) throw
 * `MatrixDelegationError` with `INVALID_CIDR` / `INVALID_ARGUMENT`: they are the caller's mistake.
 */
export function normalizeResolveOptions(options: ResolveOptions): ResolverContext {
  const ports = resolvePorts(options);
  const { policy } = ports;
  const wellKnownPort = options.wellKnownPort ?? RESOLVE_DEFAULTS.wellKnownPort;
  const defaultPort = options.defaultPort ?? RESOLVE_DEFAULTS.defaultPort;
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? RESOLVE_DEFAULTS.timeoutMs;
  const timer = setTimeout(() => controller.abort(new Error(`resolution took longer than ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  // With a cache every question goes through it (and joins identical questions in flight); with overlapping
  // lookups each question is asked once per resolution, however many steps (or prefetches) ask it.
  const cached = options.cache ? options.cache.dns(ports.dns) : ports.dns;
  const overlap = (options.overlap ?? options.cache !== undefined) ? createOverlap(cached, controller.signal) : null;
  const dns = overlap ? overlap.dns : cached;
  // A cached well-known fetch may be shared by concurrent resolutions: it must not depend on this one's lifetime,
  // so it asks the cache directly (which joins this resolution's identical questions in flight anyway).
  const fetchDns = options.cache ? cached : dns;

  const wellKnownTimeoutMs = options.wellKnownTimeoutMs ?? RESOLVE_DEFAULTS.wellKnownTimeoutMs;
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
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}
