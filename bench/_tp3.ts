import { createMemoryStore } from '../src/cache/memory-store.js';
import { createAddressPolicy } from '../src/net/address-policy.js';
import { createResolverCache } from '../src/resolver/cache.js';
import { resolveServerName } from '../src/resolver/resolve.js';
const N = Number(process.argv[2] ?? 10000);
const dns = {
  resolve4: async () => ({ ok: true as const, records: ['203.0.113.1'], cnameChain: [], ttlSeconds: 300 }),
  resolve6: async (name: string) => ({ ok: false as const, code: 'DNS_NODATA' as const, message: `${name} has no AAAA records`, cnameChain: [], ttlSeconds: 60 }),
  resolveSrv: async (name: string) => ({ ok: false as const, code: 'DNS_NXDOMAIN' as const, message: `${name} does not exist (NXDOMAIN)`, cnameChain: [], ttlSeconds: 60 }),
};
const wellKnown = async (host: string) => ({ status: 'absent' as const, mServer: null, code: 'WELL_KNOWN_NOT_FOUND' as const, detail: 'x', data: { httpStatus: 404 } });
const cache = createResolverCache({ store: createMemoryStore() });
const opts = { dns, wellKnown, policy: createAddressPolicy(), cache };
const names = Array.from({ length: N }, (_, i) => `host${i}.example`);
for (const n of names) await resolveServerName(n, opts);
const t0 = performance.now(); let c = 0;
for (let k = 0; k < 6_000_000; k++) { if (cache.recall(names[k % N]!, 8448, 443)) c++; }
console.log('recall only', ((performance.now() - t0) / 6e6 * 1e6).toFixed(0), 'ns', c);
