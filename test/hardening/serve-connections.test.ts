// Connections that never finish a TLS handshake or never send a request, against the built `serve` executable (issue 13, items 1 and 6).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { freePort } from '../../soak/processes.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificateAuthority } from '../../src/testing/index.js';
import { send } from '../server/http-helpers.js';
import { HALF_CLIENT_HELLO, openSilent, spawnServe, waitUntil } from './serve-child.js';
import type { ServeChild, SilentConnection } from './serve-child.js';

// The documented bounds (docs/serve.md, "Limits and timeouts" and "Shutdown"): TLS handshake 10 s, request
// headers 10 s (the connection is gone at most 1 s after the 408), shutdown 10 s. (The bound on connections per
// client exempts this machine's addresses by default: it is tested in test/server/connection-guard.test.ts.)
const HANDSHAKE_S = 10;
const HEADERS_S = 10;
const LINGER_S = 1;
const SHUTDOWN_S = 10;
// "Does not hang" margin on top of each bound: the machine is shared, the assertion is about never vs. on time.
const MARGIN_S = 4;

let dir: string;
let ca: LabCertificateAuthority;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-serve-connections-'));
  ca = await createCertificateAuthority();
  const cert = await ca.issue({ ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(dir, 'cert.pem'), cert.fullChainPem);
  writeFileSync(join(dir, 'key.pem'), cert.keyPem);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts serve with an HTTPS and a plain-HTTP listener on 127.0.0.1; returns it with both ports. */
async function startServe(
  ctx: TestContext,
  name: string,
): Promise<{
  serve: ServeChild;
  tlsPort: number;
  plainPort: number;
  open: (port: number, options?: Parameters<typeof openSilent>[2]) => SilentConnection;
}> {
  const [tlsPort, plainPort] = [await freePort(), await freePort()];
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(
    configPath,
    `server_name: example.org
delegation_target: matrix.example.org:443
listeners:
  - port: ${tlsPort}
    bind_addresses: ['127.0.0.1']
    tls: true
  - port: ${plainPort}
    bind_addresses: ['127.0.0.1']
tls_certificate_path: ${join(dir, 'cert.pem')}
tls_private_key_path: ${join(dir, 'key.pem')}
`,
  );
  const serve = await spawnServe(configPath, 2);
  // Cleaned up per test through its own context: the tests run concurrently.
  const opened: SilentConnection[] = [];
  ctx.onTestFinished(() => {
    for (const s of opened) s.socket.destroy();
    serve.kill();
  });
  const open = (port: number, options: Parameters<typeof openSilent>[2] = {}): SilentConnection => {
    const s = openSilent('127.0.0.1', port, options);
    opened.push(s);
    return s;
  };
  return { serve, tlsPort, plainPort, open };
}

/** Seconds from now until the server closes `s` (the client reads, so it sees the close), or null after `limitS`. */
function closedWithin(s: SilentConnection, limitS: number): Promise<number | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), limitS * 1000);
    s.socket.once('close', () => {
      clearTimeout(timer);
      resolve((performance.now() - started) / 1000);
    });
  });
}

describe.concurrent('serve closes connections that never get anywhere', () => {
  it('TLS connections that send nothing or half a ClientHello are closed within the handshake timeout', async (ctx) => {
    const { serve, tlsPort, open } = await startServe(ctx, 'handshake');
    const baseline = serve.sockets();
    const silent = [0, 1, 2].map(() => open(tlsPort, { read: true }));
    const half = [0, 1, 2].map(() => open(tlsPort, { read: true, first: HALF_CLIENT_HELLO }));
    await Promise.all([...silent, ...half].map((s) => s.connected));
    const lifetimes = await Promise.all([...silent, ...half].map((s) => closedWithin(s, HANDSHAKE_S + MARGIN_S)));
    expect(lifetimes.every((t) => t !== null)).toBe(true);
    // ...and the process holds none of them any more (it destroyed them rather than waiting for the client).
    expect(await waitUntil(() => serve.sockets() <= baseline, 2000)).not.toBeNull();
  });

  it(`200 plain connections that never send a byte and never read are all closed within the headers timeout`, async (ctx) => {
    const { serve, plainPort, open } = await startServe(ctx, 'silent-plain');
    const baseline = serve.sockets();
    // From 5 client addresses, as from several clients.
    const conns = Array.from({ length: 200 }, (_, i) => open(plainPort, { localAddress: `127.0.0.${2 + (i % 5)}` }));
    await Promise.all(conns.map((s) => s.connected));
    expect(await waitUntil(() => serve.sockets() >= baseline + 200, 5000)).not.toBeNull();
    const tookMs = await waitUntil(() => serve.sockets() <= baseline, (HEADERS_S + LINGER_S + MARGIN_S) * 1000);
    expect(tookMs, `server still holds ${serve.sockets() - baseline} of the 200 sockets`).not.toBeNull();
  });

  it('SIGTERM ends the process with exit code 0 and "stopped", whatever the open connections are doing', async (ctx) => {
    const { serve, tlsPort, plainPort, open } = await startServe(ctx, 'sigterm');
    // One idle keep-alive connection after a real request, one request half sent, and the connections of above.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await send(`http://127.0.0.1:${plainPort}/health`, { agent })).status).toBe(200);
    const midRequest = open(plainPort, { first: Buffer.from('GET /health HTTP/1.1\r\nHost: example.org\r\n') });
    const others = [open(tlsPort), open(tlsPort, { first: HALF_CLIENT_HELLO }), open(plainPort)];
    await Promise.all([midRequest, ...others].map((s) => s.connected));
    const sentAt = performance.now();
    serve.child.kill('SIGTERM');
    const exit = await Promise.race([
      serve.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), (SHUTDOWN_S + MARGIN_S) * 1000)),
    ]);
    agent.destroy();
    expect(exit, 'serve was still running').not.toBeNull();
    expect(exit?.code).toBe(0);
    expect(((exit?.at ?? Infinity) - sentAt) / 1000).toBeLessThan(SHUTDOWN_S + MARGIN_S);
    expect(serve.logLines('stopped')).toHaveLength(1);
  });

  it('a second SIGTERM ends the process at once', async (ctx) => {
    const { serve, tlsPort, plainPort, open } = await startServe(ctx, 'second-sigterm');
    // A request whose headers never end keeps the first SIGTERM's drain waiting (up to its 10 s bound).
    const midRequest = open(plainPort, { first: Buffer.from('GET /health HTTP/1.1\r\nHost: example.org\r\n') });
    const handshake = open(tlsPort, { first: HALF_CLIENT_HELLO });
    await Promise.all([midRequest.connected, handshake.connected]);
    serve.child.kill('SIGTERM');
    await serve.waitForLog('shutting down');
    serve.child.kill('SIGTERM');
    const exit = await Promise.race([
      serve.exited,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000)),
    ]);
    expect(exit, 'serve was still running 3 s after the second SIGTERM').not.toBeNull();
    expect(exit?.code).toBe(0);
    expect(serve.logLines('stopped')).toHaveLength(1);
  });
});
