import { startServer } from '/work/main/src/server/serve.js';
import { parseConfigOrThrow } from '/work/main/src/server/config/index.js';
import { createServerLogger } from '/work/main/src/server/logger.js';
import { MALFORMED_CASES } from '/work/main/soak/malformed-requests.js';
import { rawExchange, judgeMalformed } from '/work/main/soak/raw-client.js';
const config = { ...parseConfigOrThrow('server_name: example.com\nserve_server_wellknown: true\ntester:\n  enabled: true\nmetrics:\n  enabled: true\n', { sourceName: 't' }).config, listeners: [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false }] };
const server = await startServer(config, { logger: createServerLogger({ level: 'error' }) });
const u = new URL(server.urls[0]!);
for (const c of MALFORMED_CASES) {
  const o = await rawExchange(c.build(3), { host: u.hostname, port: Number(u.port), after: c.after });
  const v = judgeMalformed(c, o);
  console.log(v.ok ? 'ok  ' : 'BAD ', c.name.padEnd(30), v.got, o.error ?? '', Math.round(o.durationMs), v.ok ? '' : JSON.stringify(o.bytes.toString('latin1').slice(0, 300)));
}
await server.close();
