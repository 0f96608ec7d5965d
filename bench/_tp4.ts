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
const cache = createResolverCache({ store: createMemoryStore(), memo: false });
const opts = { dns, wellKnown, policy: createAddressPolicy(), cache };
const names = Array.from({ length: N }, (_, i) => `host${i}.example`);
for (const n of names) await resolveServerName(n, opts);
console.log(cache.stats());
for (let k = 0; k < 2; k++) {
  const t0 = performance.now(); let c = 0;
  while (performance.now() - t0 < 1000) { for (let j = 0; j < 1000; j++) { await resolveServerName(names[c % N]!, opts); c++; } }
  console.log(N, 'names', Math.round(c / (performance.now() - t0) * 1000), '/s');
}

