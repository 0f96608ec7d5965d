// The listening sockets: one HTTP or HTTPS server per bind address of every listener, hardened against bad clients.

import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions } from 'node:tls';
import type { ServeConfig, TlsConfig } from '../../config/types.js';
import type { ServerLogger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { guardConnections } from './connection-guard.js';
import type { ConnectionGuard } from './connection-guard.js';
import { UNMATCHED_LABELS } from './request-listener.js';
import { answerAndClose, clientErrorStatus, isHttpClientError, rawErrorResponse } from './respond.js';
import { markForwardedSocket } from './forwarded.js';

/** Limits that protect the server from slow, huge or broken requests. */
export interface HttpLimits {
  /**
   * Time to receive the request headers (slowloris) [10 s]; for the first request of a connection it counts from
   * the accept (HTTP) or the end of the TLS handshake (HTTPS), so a connection that never sends a byte is closed too.
   */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request [30 s]; the response may take longer (a tester check). */
  readonly requestTimeoutMs: number;
  /** Idle time of a keep-alive connection between requests [5 s]. */
  readonly keepAliveTimeoutMs: number;
  /** Size of the request line and headers together [16 KiB]; more gets 431. */
  readonly maxHeaderBytes: number;
  /** Length of the request target [4096]; more gets 414. */
  readonly maxUrlLength: number;
  /** Time from accept to the end of the TLS handshake [10 s]; then the connection is destroyed. */
  readonly tlsHandshakeTimeoutMs: number;
  /**
   * Connections open at once from one client on one listener [64]: an IPv4 address, or an IPv6 /64 (as the
   * tester's rate limit). More are closed when accepted. Not applied on `x_forwarded` listeners, where every
   * connection comes from the reverse proxy, nor to this machine's own addresses (see
   * {@link limitLoopbackConnections}). `0`: no bound.
   */
  readonly maxConnectionsPerAddress: number;
  /**
   * Whether {@link maxConnectionsPerAddress} also applies to connections from 127.0.0.0/8 and ::1 [false]: those
   * come from this machine, usually a reverse proxy in front (all its clients share its address) or a benchmark.
   */
  readonly limitLoopbackConnections: boolean;
}

/** The defaults of {@link HttpLimits}. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxUrlLength: 4096,
  tlsHandshakeTimeoutMs: 10_000,
  maxConnectionsPerAddress: 64,
  limitLoopbackConnections: false,
});

/** One bound socket. */
export interface BoundListener {
  readonly server: Server | HttpsServer;
  /** The address as configured (`::`, `0.0.0.0`, `127.0.0.1`, ...). */
  readonly address: string;
  /** The port actually bound (differs from the config only for port 0, which tests use). */
  readonly port: number;
  readonly tls: boolean;
  /** `http://127.0.0.1:8080/`, `https://[::1]:8443/`. */
  readonly url: string;
  /** Every raw connection of this socket (for a shutdown that must reach connections still in the TLS handshake). */
  readonly connections: ConnectionGuard;
}

/** Options of {@link bindListeners}. */
export interface BindOptions {
  readonly limits: HttpLimits;
  readonly logger: ServerLogger;
  readonly metrics: ServerMetrics;
}

/** The TLS settings of the HTTPS listeners: the config's certificate chain and key, TLS 1.2 at least. */
export function secureContextOptions(tls: TlsConfig): SecureContextOptions {
  return { cert: tls.certificatePem, key: tls.privateKeyPem, minVersion: 'TLSv1.2' };
}

/** The URL of a bound address. */
export function listenerUrl(tls: boolean, address: string, port: number): string {
  return `${tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}/`;
}

/** Errors of binding `::` that mean "this host has no IPv6", tolerated when another address could be bound. */
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL']);

function listen(server: Server, host: string, port: number, ipv6Only: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port, ipv6Only }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: Server, connections: ConnectionGuard): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    connections.destroyAll();
  });
}

/**
 * Creates and binds a server for every bind address of every listener, with the limits applied and Node's
 * parse errors answered as JSON. `::` is bound IPv6-only when `0.0.0.0` is also bound on the same port (both
 * are in the default `bind_addresses`), and dual-stack otherwise, as Synapse does; when the host has no IPv6,
 * a failing `::` is skipped with a warning as long as another address could be bound. Any other bind failure
 * closes what was bound and rejects.
 *
 * @example
 * ```ts
 * const bound = await bindListeners(config, listener, { limits: DEFAULT_HTTP_LIMITS, logger, metrics });
 * bound.map((b) => b.url); // ['http://127.0.0.1:8080/']
 * ```
 */
export async function bindListeners(
  config: ServeConfig,
  requestListener: (req: IncomingMessage, res: ServerResponse) => void,
  options: BindOptions,
): Promise<BoundListener[]> {
  const { limits, logger, metrics } = options;
  const bound: BoundListener[] = [];
  const skipped: { address: string; port: number; error: NodeJS.ErrnoException }[] = [];
  const ipv4AnyPorts = new Set(config.listeners.filter((l) => l.bindAddresses.includes('0.0.0.0')).map((l) => l.port));
  const serverOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above (default 30 s would let a slow client hold on much longer).
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    // The handler answers requests without Host itself; Node's own refusal would be a bare 400 without JSON.
    requireHostHeader: false,
  };
  try {
    for (const listener of config.listeners) {
      for (const address of listener.bindAddresses) {
        let server: Server;
        if (listener.tls) {
          if (config.tls === null)
            throw new Error(`listener on port ${listener.port} has tls: true but the config has no certificate`);
          server = createHttpsServer({
            ...serverOptions,
            ...secureContextOptions(config.tls),
            handshakeTimeout: limits.tlsHandshakeTimeoutMs,
          });
          server.on('tlsClientError', (error: Error) =>
            logger.debug({ err: error, address, port: listener.port }, 'TLS handshake failed'),
          );
        } else {
          server = createHttpServer(serverOptions);
        }
        const connections = guardConnections(server, {
          tls: listener.tls,
          handshakeTimeoutMs: limits.tlsHandshakeTimeoutMs,
          headersTimeoutMs: limits.headersTimeoutMs,
          // Behind x_forwarded every connection is the proxy's: bounding them would bound every client at once.
          maxPerAddress: listener.xForwarded === true ? 0 : limits.maxConnectionsPerAddress,
          exemptLoopback: !limits.limitLoopbackConnections,
          onRefused: (key) =>
            logger.debug(
              { client: key, address, port: listener.port, max: limits.maxConnectionsPerAddress },
              'too many connections from one client: connection closed',
            ),
          onExpired: (phase, socket) => {
            if (phase === 'handshake') {
              logger.debug(
                { remote: socket.remoteAddress, address, port: listener.port, timeoutMs: limits.tlsHandshakeTimeoutMs },
                'TLS handshake not finished in time: connection closed',
              );
              return;
            }
            metrics.http.record(UNMATCHED_LABELS.malformed, 'other', '408');
            logger.debug(
              { remote: socket.remoteAddress, status: 408 },
              'no request headers in time: connection closed',
            );
            answerAndClose(socket, rawErrorResponse(408, 'the request was not received in time'));
          },
        });
        server.on('request', connections.wrap(requestListener));
        // Synapse's `x_forwarded`: the tester's rate limit then keys on the client behind the reverse proxy.
        if (listener.xForwarded === true)
          server.on(listener.tls ? 'secureConnection' : 'connection', markForwardedSocket);
        server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
          // A TLS handshake that failed or timed out (HTTPS hands those to 'clientError' too) has no session to
          // answer on, and a reset or closed socket nobody left: destroy. `end()` on a socket still in the
          // handshake never completes, which kept such connections, and a shutdown, waiting for ever.
          if (!isHttpClientError(error.code) || !socket.writable) {
            socket.destroy();
            return;
          }
          const { status, message } = clientErrorStatus(error.code);
          metrics.http.record(UNMATCHED_LABELS.malformed, 'other', String(status));
          logger.debug({ code: error.code, status, remote: socket.remoteAddress }, 'malformed request');
          answerAndClose(socket, rawErrorResponse(status, message));
        });
        // CONNECT (a proxy tunnel request) never reaches the request listener: without a 'connect' listener Node
        // drops the connection without a word. This is not a proxy: say so, and count it like any refused request.
        server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
          metrics.http.record(UNMATCHED_LABELS.malformed, 'other', '405');
          answerAndClose(socket, rawErrorResponse(405, 'CONNECT is not supported: this server is not a proxy'));
        });
        const ipv6Only = address === '::' && ipv4AnyPorts.has(listener.port);
        try {
          const port = await listen(server, address, listener.port, ipv6Only);
          server.on('error', (error) => logger.error({ err: error, address, port }, 'listener error'));
          bound.push({
            server,
            address,
            port,
            tls: listener.tls,
            url: listenerUrl(listener.tls, address, port),
            connections,
          });
        } catch (cause) {
          const error = cause as NodeJS.ErrnoException;
          if (address === '::' && error.code !== undefined && NO_IPV6.has(error.code)) {
            skipped.push({ address, port: listener.port, error });
            continue;
          }
          throw Object.assign(
            new Error(`cannot listen on ${listenerUrl(listener.tls, address, listener.port)}: ${error.message}`, {
              cause,
            }),
            { code: error.code },
          );
        }
      }
    }
    if (bound.length === 0) {
      const first = skipped[0];
      throw new Error(`cannot listen anywhere${first === undefined ? '' : `: ${first.error.message}`}`);
    }
  } catch (error) {
    await Promise.all(bound.map((b) => closeServer(b.server, b.connections)));
    throw error;
  }
  for (const s of skipped)
    logger.warn(
      { address: s.address, port: s.port, code: s.error.code },
      'IPv6 is not available on this host; skipped this bind address',
    );
  return bound;
}
