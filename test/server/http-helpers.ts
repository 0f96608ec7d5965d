// Helpers of the server tests: configs on ephemeral loopback ports, a plain HTTP client, raw socket requests, log capture.

import { request as httpRequest } from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseConfigOrThrow } from '../../src/config/index.js';
import type { ListenerConfig, ServeConfig } from '../../src/config/index.js';
import { createServerLogger } from '../../src/server/logger.js';
import type { ServerLogger } from '../../src/server/logger.js';

/** A config from YAML, listening on an ephemeral port of 127.0.0.1 unless `listeners` says otherwise. */
export function testConfig(
  yaml: string,
  listeners: readonly ListenerConfig[] = [{ port: 0, bindAddresses: ['127.0.0.1'], tls: false }],
): ServeConfig {
  // The config refuses port 0; tests need it to never collide, so it is set on the validated object.
  return { ...parseConfigOrThrow(yaml, { sourceName: 'test.yaml' }).config, listeners };
}

/** A logger whose JSON lines land in `lines`. */
export function captureLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'debug'): {
  logger: ServerLogger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = createServerLogger({
    level,
    destination: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

/** A response read whole. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the request went over a connection that had served a request before. */
  readonly reusedSocket: boolean;
  /** SHA-256 fingerprint of the server certificate (HTTPS only). */
  readonly peerFingerprint: string | null;
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Source address of the connection (another 127.x address is another client). */
  readonly localAddress?: string;
  readonly agent?: Agent | false;
  /** CA to trust for HTTPS. */
  readonly ca?: string;
}

/** Sends one request with node:http(s) (no automatic decompression, redirects or header rewriting). */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        const socket = res.socket as TLSSocket;
        const peerFingerprint = https ? socket.getPeerCertificate().fingerprint256 : null;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            reusedSocket: req.reusedSocket,
            peerFingerprint,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Writes `text` on a fresh TCP connection and returns everything the server sends until it closes (or 3 s pass). */
export function rawExchange(
  host: string,
  port: number,
  text: string | Buffer,
  options: { readonly end?: boolean } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('connect', () => {
      socket.write(text);
      if (options.end) socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    // A reset after the server's answer is expected (it closes bad connections); 'close' follows and resolves.
    socket.on('error', () => undefined);
  });
}

/** The JSON body of a raw HTTP response text. */
export function rawJsonBody(response: string): unknown {
  const split = response.indexOf('\r\n\r\n');
  return JSON.parse(response.slice(split + 4)) as unknown;
}
