// Fetches the server well-known from every address of the server name's host, to find IPv4-only or IPv6-only sites.

import type { WellKnownByAddress } from '../check-report/index.js';
import { lookupHostAddresses } from '../dns/host-addresses.js';
import { fetchWellKnownServer } from '../well-known/index.js';
import { rethrowIfAborted, withOperationSignal } from './abort.js';
import { isBudgetExpiry } from './budget.js';
import { fetchTransport, type CheckContext, type FetchContext } from './context.js';

/** What {@link wellKnownByAddress} needs: the check's context, or the part of it named here. */
export type WellKnownByAddressContext = FetchContext & Pick<CheckContext, 'maxAddresses'>;

/**
 * The well-known of `host`, fetched once per AAAA and A address (in parallel), at most `maxAddresses` of them in
 * DNS order (AAAA first). A homeserver picks one of them: when the answers differ, some servers see the delegation
 * and others do not, and an admin must know which. Denied addresses are reported as `blocked` and never contacted.
 * The look-up and each fetch get half the time left when it starts (as a document check and its base URLs do).
 * Rejects only when the caller aborts the check's signal; when the check's budget runs out instead, the fetches cut
 * short are `error` with code `TIMEOUT` (see `budget.ts`).
 */
export async function wellKnownByAddress(host: string, ctx: WellKnownByAddressContext): Promise<WellKnownByAddress[]> {
  const transport = fetchTransport(ctx, 2);
  const found = await withOperationSignal(transport.timeoutMs, ctx.signal, (signal) =>
    lookupHostAddresses(ctx.dns, host, signal),
  );
  // The DNS resolver answers an abort with DNS_TIMEOUT: that is the caller giving up, not the host's DNS failing.
  // When the check's budget ran out instead, no address is known to fetch from.
  rethrowIfAborted(ctx.signal);
  if (ctx.signal.aborted) return [];
  return Promise.all(
    found.addresses.slice(0, ctx.maxAddresses).map(async ({ ip, family }): Promise<WellKnownByAddress> => {
      let r: Awaited<ReturnType<typeof fetchWellKnownServer>>;
      try {
        r = await fetchWellKnownServer(host, { ...transport, addresses: [ip] });
      } catch (error) {
        // The check's budget ran out during this fetch: a timeout of this address, as its own limit would give.
        if (!isBudgetExpiry(error)) throw error;
        return { ip, family, status: 'error', mServer: null, code: 'TIMEOUT', detail: error.message };
      }
      return { ip, family, status: r.status, mServer: r.mServer, code: r.code, detail: r.detail };
    }),
  );
}
