// Fetches the server well-known from every address of the server name's host, to find IPv4-only or IPv6-only sites.

import type { DnsPort } from '../dns/types.js';
import type { AddressPolicy } from '../net/types.js';
import { lookupHostAddresses } from '../resolver/addresses.js';
import { fetchWellKnownServer } from '../well-known/index.js';
import { rethrowIfAborted, withOperationSignal } from './abort.js';
import { isBudgetExpiry } from './budget.js';
import type { WellKnownByAddress } from './types.js';

/** What {@link wellKnownByAddress} needs. */
export interface WellKnownByAddressOptions {
  readonly dns: DnsPort;
  readonly policy: AddressPolicy;
  readonly port?: number;
  readonly ca?: readonly string[];
  readonly timeoutMs?: number;
  /** Most addresses fetched from, in DNS order (AAAA first) [all]. */
  readonly maxAddresses?: number;
  /**
   * Cancels the look-up and every fetch: the promise then rejects with the signal's reason, unless the reason is the
   * check's budget expiring (see `budget.ts`): the fetches cut short are then `error` with code `TIMEOUT`.
   */
  readonly signal?: AbortSignal;
}

/**
 * The well-known of `host`, fetched once per AAAA and A address (in parallel). A homeserver picks one of them:
 * when the answers differ, some servers see the delegation and others do not, and an admin must know which.
 * Denied addresses are reported as `blocked` and never contacted. Rejects only when `signal` aborts (see `signal`).
 */
export async function wellKnownByAddress(host: string, options: WellKnownByAddressOptions): Promise<WellKnownByAddress[]> {
  const found = await withOperationSignal(options.timeoutMs ?? 10_000, options.signal, (signal) => lookupHostAddresses(options.dns, host, signal));
  // The DNS port answers an abort with DNS_TIMEOUT: that is the caller giving up, not the host's DNS failing. When
  // the check's budget ran out instead, no address is known to fetch from.
  rethrowIfAborted(options.signal);
  if (options.signal?.aborted === true) return [];
  return Promise.all(
    found.addresses.slice(0, options.maxAddresses).map(async ({ ip, family }): Promise<WellKnownByAddress> => {
      let r: Awaited<ReturnType<typeof fetchWellKnownServer>>;
      try {
        r = await fetchWellKnownServer(host, {
          dns: options.dns,
          policy: options.policy,
          addresses: [ip],
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        // The check's budget ran out during this fetch: a timeout of this address, as its own limit would give.
        if (!isBudgetExpiry(error)) throw error;
        return { ip, family, status: 'error', mServer: null, code: 'TIMEOUT', detail: error.message };
      }
      return { ip, family, status: r.status, mServer: r.mServer, code: r.code, detail: r.detail };
    }),
  );
}
