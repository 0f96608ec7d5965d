// Deadlines before the first request, the per-address bound and shutdown, with short limits on a server in this process (issue 13, items 1 and 6).

import { Agent } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ListenerConfig, ServeConfig } from '../../src/config/index.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer, StartServerOptions } from '../../src/server/serve.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificate, LabCertificateAuthority } from '../../src/testing/index.js';
import { HALF_CLIENT_HELLO, openSilent, socketCount, waitUntil } from '../../soak/silent-clients.js';
import type { SilentConnection } from '../../soak/silent-clients.js';
import { captureLogger, send, testConfig } from './http-helpers.js';

let ca: LabCertificateAuthority;
let cert: LabCertificate;
const running: RunningServer[] = [];
const opened: SilentConnection[] = [];

beforeAll(async () => {
  ca = await createCertificateAuthority();
  cert = await ca.issue({ ipAddresses: ['127.0.0.1'] });
});

afterEach(async () => {
  for (const s of opened.splice(0)) s.socket.destroy();
  await Promise.all(running.splice(0).map((s) => s.close({ timeoutMs: 0 })));
});

const SHORT = { headersTimeoutMs: 400, tlsHandshakeTimeoutMs: 400 };

async function serve(
  listeners: readonly ListenerConfig[],
  options: StartServerOptions = {},
): Promise<{ server: RunningServer; port: (i: number) => number }> {
  const base = testConfig('server_name: example.com\ndelegation_target: matrix.example.com:443\n', listeners);
  const config: ServeConfig = {
    ...base,
    tls: {
      certificatePath: '/test/cert.pem',
      privateKeyPath: '/test/key.pem',
      certificatePem: cert.fullChainPem,
      privateKeyPem: cert.keyPem,
    },
  };
  const server = await startServer(config, {
    logger: captureLogger('warn').logger,
    ...options,
    limits: { ...SHORT, ...options.limits },
  });
  running.push(server);
  return { server, port: (i) => server.listeners[i]!.port };
}

function open(port: number, options: Parameters<typeof openSilent>[2] = {}): SilentConnection {
  const s = openSilent('127.0.0.1', port, options);
  opened.push(s);
  return s;
}

/** Everything the server sends on `s` until it closes, or null if it is still open after `ms`. */
function untilClosed(s: { readonly socket: NodeJS.EventEmitter }, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(null), ms);
    s.socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    s.socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

const PLAIN: ListenerConfig = { port: 0, bindAddresses: ['127.0.0.1'], tls: false };
const TLS: ListenerConfig = { port: 0, bindAddresses: ['127.0.0.1'], tls: true };

/** Sockets this process holds (Linux: /proc): client and server ends of the loopback connections of the test. */
function ownSockets(): number {
  return socketCount('self') ?? Number.NaN;
}

describe('before the first request', () => {
  it('plain and TLS connections that send no request get 408 and the server lets go of them, even when the client never reads', async () => {
    const { port } = await serve([PLAIN, TLS]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A keep-alive connection that has had its request: left to the keep-alive timeout (5 s), not to this deadline.
      expect((await send(`http://127.0.0.1:${port(0)}/health`, { agent })).status).toBe(200);
      const before = ownSockets();
      const plain = open(port(0));
      const tls: TLSSocket = tlsConnect({ host: '127.0.0.1', port: port(1), ca: ca.certPem });
      tls.on('error', () => undefined);
      opened.push({ socket: tls, connected: Promise.resolve() });
      await Promise.all([plain.connected, new Promise((resolve) => tls.once('secureConnect', resolve))]);
      tls.pause();
      // Both ends of both connections are in this process: 4 sockets, then only the 2 client ends once the server let go.
      expect(await waitUntil(() => ownSockets() === before + 4, 2000)).not.toBeNull();
      expect(
        await waitUntil(() => ownSockets() === before + 2, 5000),
        `${ownSockets() - before - 2} server ends still open`,
      ).not.toBeNull();
      // The clients, reading now, find the 408 (in clear text and in TLS).
      plain.socket.resume();
      tls.resume();
      const [plainText, tlsText] = await Promise.all([untilClosed(plain, 2000), untilClosed({ socket: tls }, 2000)]);
      expect(plainText).toMatch(/^HTTP\/1\.1 408 /);
      expect(tlsText).toMatch(/^HTTP\/1\.1 408 /);
      const again = await send(`http://127.0.0.1:${port(0)}/health`, { agent });
      expect(again.status).toBe(200);
      expect(again.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('a TLS connection with half a ClientHello is destroyed after the handshake timeout, trickling or not', async () => {
    const { port } = await serve([TLS]);
    const s = open(port(0), { read: true, first: HALF_CLIENT_HELLO });
    // One more byte every 100 ms: the deadline is absolute, activity does not extend it.
    const trickle = setInterval(() => s.socket.writable && s.socket.write(Buffer.from([0])), 100);
    try {
      expect(await untilClosed(s, 5000)).toBe('');
    } finally {
      clearInterval(trickle);
    }
  });
});

describe('connections per client address', () => {
  it('refuses connections over the bound, per address; another address is served; x_forwarded listeners and, by default, this machine are not bounded', async () => {
    // Loopback addresses stand for remote clients here, so the bound is applied to them too.
    const limits = { maxConnectionsPerAddress: 3, headersTimeoutMs: 10_000, limitLoopbackConnections: true };
    const { port } = await serve([PLAIN, { ...PLAIN, xForwarded: true }], { limits });
    const conns = Array.from({ length: 5 }, () => open(port(0), { read: true, localAddress: '127.0.0.20' }));
    await Promise.all(conns.map((s) => s.connected.catch(() => undefined)));
    expect(await waitUntil(() => conns.filter((s) => s.socket.destroyed).length === 2, 3000)).not.toBeNull();
    expect((await send(`http://127.0.0.1:${port(0)}/health`, { localAddress: '127.0.0.21' })).status).toBe(200);
    // Once one closes, the address may open another.
    conns.find((s) => !s.socket.destroyed)!.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await send(`http://127.0.0.1:${port(0)}/health`, { localAddress: '127.0.0.20' })).status).toBe(200);
    // Behind x_forwarded every connection is the proxy's: no bound there.
    const proxied = Array.from({ length: 5 }, () => open(port(1), { read: true, localAddress: '127.0.0.22' }));
    // By default connections from this machine (a reverse proxy on the same host) are not bounded either.
    const local = await serve([PLAIN], { limits: { maxConnectionsPerAddress: 3, headersTimeoutMs: 10_000 } });
    const fromHere = Array.from({ length: 5 }, () => open(local.port(0), { read: true, localAddress: '127.0.0.23' }));
    await Promise.all([...proxied, ...fromHere].map((s) => s.connected));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(proxied.filter((s) => s.socket.destroyed)).toHaveLength(0);
    expect(fromHere.filter((s) => s.socket.destroyed)).toHaveLength(0);
  });
});

describe('close()', () => {
  it('closes connections that never sent a byte at once, and everything else, TLS handshakes included, at its bound', async () => {
    const { server, port } = await serve([PLAIN, TLS], {
      limits: { headersTimeoutMs: 20_000, tlsHandshakeTimeoutMs: 20_000 },
    });
    const silent = [open(port(0), { read: true }), open(port(1), { read: true })];
    const busy = [
      open(port(0), { read: true, first: Buffer.from('GET /health HTTP/1.1\r\n') }),
      open(port(1), { read: true, first: HALF_CLIENT_HELLO }),
    ];
    await Promise.all([...silent, ...busy].map((s) => s.connected));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busyClosed = busy.map((s) => untilClosed(s, 4000));
    const closed = server.close({ timeoutMs: 1000 });
    expect(await Promise.all(silent.map((s) => untilClosed(s, 500)))).not.toContain(null);
    expect(busy.some((s) => s.socket.destroyed)).toBe(false);
    // Within the 1 s bound (plus a "does not hang" margin) the rest is destroyed and close() resolves.
    expect(
      await Promise.race([
        closed.then(() => 'closed'),
        new Promise((resolve) => setTimeout(() => resolve('still open'), 4000)),
      ]),
    ).toBe('closed');
    expect(await Promise.all(busyClosed)).not.toContain(null);
  });
});
