import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createCertificateAuthority } from '/work/main/src/testing/index.js';
import { spawnServe, freePort, CPU } from '/work/main/soak/processes.js';
import { runWrk } from '/work/main/soak/wrk.js';
const dir = mkdtempSync(join(tmpdir(), 'x-'));
const ca = await createCertificateAuthority();
const c = await ca.issue({ ipAddresses: ['127.0.0.1'] });
writeFileSync(join(dir, 'c.pem'), c.fullChainPem); writeFileSync(join(dir, 'k.pem'), c.keyPem);
const port = await freePort();
writeFileSync(join(dir, 's.yaml'), `server_name: example.org\ndelegation_target: m.example.org:443\nlisteners:\n  - port: ${port}\n    bind_addresses: ['127.0.0.1']\n    tls: true\ntls_certificate_path: ${dir}/c.pem\ntls_private_key_path: ${dir}/k.pem\n`);
const s = await spawnServe(join(dir, 's.yaml'), { cpu: CPU.server });
for (const h of [[], ['Connection: close']]) {
  const r = await runWrk({ url: s.urls[0]!, connections: 16, durationS: 5, headers: h, cpu: CPU.load });
  console.log(h, r.requests, r.requestsPerSecond, r.latencyMs);
}
await s.stop();
