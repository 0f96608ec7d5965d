import { startTesterLab } from '/work/main/soak/tester-abuse.js';
import { checkServer } from '/work/main/src/checker/check.js';
const t = await startTesterLab({ capNames: 0, slowMs: 0, goodNames: 2, trapNames: 2 });
const opts = { ...t.checkOptions(), allowNetworks: [`${t.lab.address('good')}/32`] };
for (const n of ['nx-1.example.org', 'nx-2.example.org', 'ok-0.example.org', 'trap-0.example.org', 'bad_name.example']) {
  const s = performance.now();
  const r = await checkServer(n, opts);
  console.log(n, r.federationOk, Math.round(performance.now() - s), 'ms');
}
const qs = t.lab.dns.queries ?? [];
console.log(Object.keys(t.lab.dns));
await t.close();
