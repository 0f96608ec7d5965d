// Test helper: resolutions over an in-memory DNS and a canned well-known fetcher (nothing is contacted), shared by the
// resolver's unit tests and the resolution texts' tests.

import { createMemoryDns, type MemoryDnsTable } from '../../src/dns/memory-dns.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveOptions, ResolveResult } from '../../src/resolver/types.js';
import { parseServerName } from '../../src/server-name/index.js';
import type { WellKnownAnswer, WellKnownFetcher } from '../../src/well-known/types.js';

// Public (not deny-listed) addresses: the in-memory DNS answers with them and nothing is contacted.
export const V4_A = '203.0.114.1';
export const V4_B = '198.51.101.2';
export const V4_C = '100.128.0.3';
export const V6_A = '2a01:4f8::1';

/** The well-known answer of a host that has none (HTTP 404). */
export const NOT_FOUND: WellKnownAnswer = {
  status: 'absent',
  mServer: null,
  serverName: null,
  code: 'WELL_KNOWN_NOT_FOUND',
  detail: 'HTTP 404',
};

/** A delegating answer, `m.server` parsed as the well-known parser does (null when it fails the grammar). */
export function delegated(mServer: string): WellKnownAnswer {
  const parsed = parseServerName(mServer);
  return {
    status: 'delegated',
    mServer,
    serverName: parsed.ok ? parsed.value : null,
    code: null,
    detail: `m.server is ${mServer}`,
  };
}

/** A well-known fetcher answering from a table by host name ({@link NOT_FOUND} otherwise), recording who was asked. */
export function wellKnownTable(table: Record<string, WellKnownAnswer>): WellKnownFetcher & { asked: string[] } {
  const asked: string[] = [];
  const fetch = async (host: string): Promise<WellKnownAnswer> => {
    asked.push(host);
    return table[host] ?? NOT_FOUND;
  };
  return Object.assign(fetch, { asked });
}

/**
 * A resolution of `name` over `dnsTable` and the well-known `wk`, in the plain sequence (`overlap: false`: the
 * questions in the spec's order) with SRV choices made at random 0.
 */
export function resolveCanned(
  name: string,
  dnsTable: MemoryDnsTable,
  wk: Record<string, WellKnownAnswer> = {},
  extra: ResolveOptions = {},
): Promise<ResolveResult> {
  return resolveServerName(name, {
    deps: { dns: createMemoryDns(dnsTable), fetchWellKnown: wellKnownTable(wk) },
    random: () => 0,
    overlap: false,
    ...extra,
  });
}
