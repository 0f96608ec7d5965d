import { LRUCache } from 'lru-cache';
for (const N of [100, 10000]) for (const max of [N, 10000, 20000]) {
  const c = new LRUCache<string, object>({ max });
  const names = Array.from({ length: N }, (_, i) => `host${i}.example`);
  for (const n of names) c.set(n, { n });
  const m = new Map(names.map((n) => [n, { n }]));
  let x = 0; const t0 = performance.now();
  for (let k = 0; k < 3_000_000; k++) if (c.get(names[k % N]!)) x++;
  const t1 = performance.now();
  for (let k = 0; k < 3_000_000; k++) if (m.get(names[k % N]!)) x++;
  const t2 = performance.now();
  console.log(N, 'max', max, 'lru', ((t1 - t0) / 3e6 * 1e9 / 1000).toFixed(0), 'ns', 'map', ((t2 - t1) / 3e6 * 1e6).toFixed(0), 'ns', x);
}
