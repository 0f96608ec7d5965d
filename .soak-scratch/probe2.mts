import { startServer } from '/work/main/src/server/serve.js';
import { parseConfigOrThrow } from '/work/main/src/server/config/index.js';
import { createServerLogger } from '/work/main/src/server/logger.js';
import { rawExchange, parseResponses } from '/work/main/soak/raw-client.js';
const config = { ...parseConfigOrThrow('server_name: example.com\nserve_server_wellknown: true\ntester:\n  enabled: true\nmetrics:\n  enabled: true\n', { sourceName: 't' }).config, listeners: [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false }] };
const server = await startServer(config, { logger: createServerLogger({ level: 'error' }) });
const u = new URL(server.urls[0]!);
for (const t of [
 'GET /.well-known/matrix/server HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
 'GET /.well-known/matrix/server HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
 'GET /.well-known/matrix/server HTTP/1.0\r\n\r\n',
 'GET /.well-known/matrix/server HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
 'GET /.well-known/matrix/server HTTP/1.1\nHost: x\nConnection: close\n\n',
 'GET /.well-known/matrix/server HTTP/1.1\r\nHost: x\r\n folded\r\nConnection: close\r\n\r\n',
 'GET /.well-known/matrix/server HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n',
 'CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n',
]) {
  const o = await rawExchange([Buffer.from(t, 'latin1')], { host: u.hostname, port: Number(u.port), after: 'end', timeoutMs: 3000 });
  console.log(JSON.stringify(t.slice(0, 50)), o.endedBy, o.error, parseResponses(o.bytes).map(r => r.status + ' ' + r.body.toString().slice(0,80)));
}
await server.close();
