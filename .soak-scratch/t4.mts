import { startTesterLab, trackChecks, startTesterServer } from '/work/main/soak/tester-abuse.js';
import { requestOnce } from '/work/main/soak/good-client.js';
const t = await startTesterLab({ capNames: 10, slowMs: 300 });
const tr = trackChecks();
const s = await startTesterServer(t, '  rate_limit_per_minute: 0\n  cache_seconds: 0\n', tr);
for (const [kind, name] of [...t.privateNames, ['good', 'good.example.org'], ['cap', 'cap-1.example.org']]) {
  const a = await requestOnce(new URL(`api/check?server_name=${encodeURIComponent(name)}`, s.urls[0]));
  const j = JSON.parse(a.body);
  console.log(kind, name, a.status, j.federationOk, (a.body.match(/ADDRESS_DENIED/g) ?? []).length, JSON.stringify(j).slice(0, 0));
}
console.log(t.trapContacts(), tr.runs());
await s.close(); await t.close();
