// One lab host: an HTTPS (or plain HTTP, or silent TCP) server with routes, canned responses and request logs.

import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixDelegationError } from '../errors.js';
import { canonicalAddress, hostPort } from './loopback.js';
import type { LabCertificate, LabHandler, LabHostSpec, LabRequest, LabResponse } from './types.js';

/** What a lab host speaks. */
export type LabHostMode = NonNullable<LabHostSpec['mode']>;

/** A running lab host, as the lab exposes it. */
export interface LabHost {
  /** The key the host has in the lab's `hosts` option (and in zones' A/AAAA). */
  readonly key: string;
  /** The loopback address it listens on. */
  readonly address: string;
  readonly port: number;
  /** `https://address:port` (`http://` for mode `'http'`; IPv6 bracketed). */
  readonly url: string;
  readonly mode: LabHostMode;
  /** Every HTTP request served since start (or the last {@link LabHost.resetCounters}), in arrival order. */
  readonly requests: readonly LabRequest[];
  /** `requests.length`. */
  readonly requestCount: number;
  /** TCP connections accepted (for `'plain-tcp'` hosts, the only sign a client came by). */
  readonly connectionCount: number;
  /** Forgets the requests and connections counted so far. */
  resetCounters(): void;
}

/** The largest request body a lab host reads; larger bodies get 413. */
export const MAX_LAB_REQUEST_BODY_BYTES = 1024 * 1024;

/** Chunk size for unthrottled bodies: large enough for 10 MB bodies to go fast, small enough to stay lazy. */
const CHUNK_BYTES = 64 * 1024;
/** Padding comes from this one buffer of spaces, sliced, so a 10 MB padded body is never built in memory. */
const SPACES = Buffer.alloc(CHUNK_BYTES, 0x20);
/** The longest accept delay a lab host takes (one minute): longer is surely a mistake in a test. */
const MAX_ACCEPT_DELAY_MS = 60_000;
/** Throttled bodies are sent in slices about this far apart. */
const THROTTLE_TICK_MS = 50;

/**
 * The default handler: 200 JSON describing the request as the server saw it, so a test can assert which
 * host answered, with which SNI, Host header and addresses.
 *
 * @example
 * ```ts
 * const lab = await startLab({ hosts: { web: { routes: { '/who': echoHandler } } } });
 * ```
 */
export function echoHandler(request: LabRequest): LabResponse {
  return {
    json: {
      server: request.server,
      sni: request.sni,
      host: request.host,
      method: request.method,
      path: request.path,
      headers: request.headers,
      localAddress: request.localAddress,
      localPort: request.localPort,
      remoteAddress: request.remoteAddress,
    },
  };
}

/** How a lab host behaves (the part of {@link LabHostSpec} that does not concern binding). */
export interface LabHostBehaviour {
  readonly key: string;
  readonly mode?: LabHostMode;
  readonly routes?: LabHostSpec['routes'];
  readonly fallback?: LabHandler;
  /** See {@link LabHostSpec.acceptDelayMs}. Default 0 (no delay). */
  readonly acceptDelayMs?: number;
}

/** A lab host server before and after it is bound: {@link createLabHostServer}. */
export interface LabHostServer {
  /** The server to bind (see `bindSlots` in loopback.ts). */
  readonly server: Server;
  /**
   * Finishes set-up once bound: records the address and port and installs the certificates (mode `'https'`
   * needs at least one). Returns the public view of the host.
   */
  activate(options: { address: string; port: number; certificates?: readonly LabCertificate[] }): LabHost;
  /** Stops listening and destroys every open connection, so it never waits for keep-alive clients. */
  close(): Promise<void>;
}

/** Parsed route keys (see {@link parseRoutes}). */
export interface RouteTable {
  /** path -> method (or '*' for any) -> handler */
  readonly byPath: ReadonlyMap<string, ReadonlyMap<string, LabHandler>>;
}

/**
 * Parses `"GET /path"` / `"/path"` route keys.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a key that is neither.
 */
export function parseRoutes(hostKey: string, routes: LabHostSpec['routes']): RouteTable {
  const byPath = new Map<string, Map<string, LabHandler>>();
  for (const [route, handler] of Object.entries(routes ?? {})) {
    const match = /^(?:([A-Za-z]+) +)?(\/[^\s?#]*)$/.exec(route.trim());
    if (match === null) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `Lab host ${hostKey}: route ${JSON.stringify(route)} must be "METHOD /path" or "/path" (no query string)`,
        { detail: { host: hostKey, route } },
      );
    }
    const method = match[1]?.toUpperCase() ?? '*';
    const path = match[2]!;
    const methods = byPath.get(path) ?? new Map<string, LabHandler>();
    if (methods.has(method)) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `Lab host ${hostKey}: route ${JSON.stringify(route)} is given twice`,
        {
          detail: { host: hostKey, route },
        },
      );
    }
    methods.set(method, handler);
    byPath.set(path, methods);
  }
  return { byPath };
}

/** Picks the handler for a request, or the 405 answer when the path exists for other methods only. */
function route(table: RouteTable, fallback: LabHandler, method: string, path: string): LabHandler {
  const methods = table.byPath.get(path);
  if (methods === undefined) return fallback;
  // HEAD is GET without a body (RFC 9110 §9.3.2); node drops the body of a HEAD response itself.
  const handler = methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined) ?? methods.get('*');
  if (handler !== undefined) return handler;
  const allow = [...methods.keys()].join(', ');
  return { status: 405, headers: { allow }, json: { error: `method ${method} not allowed on ${path}`, allow } };
}

/** True when `name` is matched by the certificate DNS name `pattern` (`*.x` covers exactly one label). */
function dnsNameMatches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === pattern.slice(2).toLowerCase();
}

/**
 * Creates a lab host server (not yet listening). Requests are answered from `routes`, then `fallback`
 * (default {@link echoHandler}); certificates are chosen per connection by SNI once {@link LabHostServer.activate}
 * has installed them.
 */
export function createLabHostServer(behaviour: LabHostBehaviour): LabHostServer {
  const key = behaviour.key;
  const mode: LabHostMode = behaviour.mode ?? 'https';
  const routes = parseRoutes(key, behaviour.routes);
  const fallback = behaviour.fallback ?? echoHandler;
  const acceptDelayMs = behaviour.acceptDelayMs ?? 0;
  if (!(Number.isFinite(acceptDelayMs) && acceptDelayMs >= 0 && acceptDelayMs <= MAX_ACCEPT_DELAY_MS)) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `Lab host ${key}: acceptDelayMs must be a number from 0 to ${MAX_ACCEPT_DELAY_MS}, got ${String(acceptDelayMs)}`,
      { detail: { host: key, acceptDelayMs } },
    );
  }
  const sockets = new Set<Socket>();
  /** Timers of accepted connections still waiting out `acceptDelayMs`. */
  const pendingHandOffs = new Set<NodeJS.Timeout>();
  let requests: LabRequest[] = [];
  let connectionCount = 0;
  let contexts: { certificate: LabCertificate; context: SecureContext }[] = [];

  /** SNI selection: exact DNS name, then wildcard, then IP SAN (for clients that send an IP), then the first. */
  const selectContext = (servername: string): SecureContext | undefined => {
    const name = servername.toLowerCase().replace(/\.$/, '');
    const ip = canonicalAddress(name);
    const found =
      contexts.find((c) => c.certificate.dnsNames.some((n) => n.toLowerCase() === name)) ??
      contexts.find((c) => c.certificate.dnsNames.some((n) => dnsNameMatches(n, name))) ??
      (ip === null
        ? undefined
        : contexts.find((c) => c.certificate.ipAddresses.some((a) => canonicalAddress(a) === ip))) ??
      contexts[0];
    return found?.context;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(req, res).catch(() => {
      // Never let a response failure reach the process: the client just sees a dropped connection.
      res.destroy();
    });
  };

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const socket = req.socket as Socket & Partial<Pick<TLSSocket, 'servername'>>;
    let body: Buffer;
    try {
      body = await readBody(req, MAX_LAB_REQUEST_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        await sendResponse(req, res, { status: 413, json: { error: error.message } });
      } else {
        res.destroy();
      }
      return;
    }
    const path = req.url ?? '/';
    const request: LabRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      host: req.headers.host ?? null,
      sni: typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : null,
      remoteAddress: socket.remoteAddress ?? '',
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      server: key,
      body,
    };
    requests.push(request);

    const handler = route(routes, fallback, request.method, path.split('?')[0] ?? path);
    let response: LabResponse;
    try {
      response = typeof handler === 'function' ? await handler(request) : handler;
    } catch (error) {
      response = handlerFailure(error);
    }
    try {
      await sendResponse(req, res, response);
    } catch (error) {
      // An invalid response (bad status, bad header) detected before anything was sent is the handler's bug.
      if (!res.headersSent && !res.destroyed) await sendResponse(req, res, handlerFailure(error));
      else res.destroy();
    }
  }

  // `app` speaks the protocol; `server` is what listens. They are one server unless connections are delayed.
  let app: Server;
  if (mode === 'https') {
    app = createHttpsServer(
      {
        SNICallback: (servername, callback) => {
          const context = selectContext(servername);
          if (context === undefined) callback(new Error(`lab host ${key} has no certificate yet`));
          else callback(null, context);
        },
      },
      onRequest,
    );
  } else if (mode === 'http') {
    app = createHttpServer(onRequest);
  } else {
    // Accepts and reads, never answers: a client waiting for a TLS ServerHello or an HTTP status line hangs.
    app = createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
    });
  }
  let server: Server = app;
  if (acceptDelayMs > 0) {
    // A connection round trip, simulated: the kernel completes the TCP handshake at once, but nothing the
    // client sends is read (pauseOnConnect) until the delay has passed, so its TLS ClientHello or HTTP request
    // waits at least `acceptDelayMs` before `app` sees the socket (Node documents emitting 'connection' as the
    // way to hand a socket to an HTTP(S) server).
    server = createTcpServer({ pauseOnConnect: true }, (socket) => {
      // A client may reset during the wait; without a listener that error would reach the process.
      socket.on('error', () => {});
      const timer = setTimeout(() => {
        pendingHandOffs.delete(timer);
        if (socket.destroyed) return;
        app.emit('connection', socket);
        // Plain TCP and HTTP read through the socket itself, which pauseOnConnect left paused; a TLS server
        // has taken over the socket's handle by now, and resuming only restarts reading into it.
        socket.resume();
      }, acceptDelayMs);
      pendingHandOffs.add(timer);
    });
  }
  server.on('connection', (socket: Socket) => {
    connectionCount++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS handshake failures (untrusted certificate, client gave up) are normal in a lab: node then destroys
  // the socket; listening keeps that from being treated as unhandled anywhere.
  app.on('tlsClientError', () => {});

  let host: LabHost | undefined;
  let closing: Promise<void> | undefined;

  return {
    server,
    activate({ address, port, certificates = [] }) {
      if (host !== undefined) throw new Error(`lab host ${key} is already active`);
      if (mode === 'https') {
        if (certificates.length === 0) {
          throw new MatrixDelegationError(
            'INVALID_ARGUMENT',
            `Lab host ${key}: an HTTPS host needs at least one certificate`,
          );
        }
        contexts = certificates.map((certificate) => ({
          certificate,
          context: createSecureContext({ key: certificate.keyPem, cert: certificate.fullChainPem }),
        }));
        // Clients that send no SNI (connections to an IP literal) get the certificate naming this IP.
        const ip = canonicalAddress(address);
        const byIp =
          certificates.find((c) => c.ipAddresses.some((a) => canonicalAddress(a) === ip)) ?? certificates[0]!;
        (app as HttpsServer).setSecureContext({ key: byIp.keyPem, cert: byIp.fullChainPem });
      }
      const url = `${mode === 'http' ? 'http' : 'https'}://${hostPort(address, port)}`;
      host = {
        key,
        address,
        port,
        url,
        mode,
        get requests() {
          return requests;
        },
        get requestCount() {
          return requests.length;
        },
        get connectionCount() {
          return connectionCount;
        },
        resetCounters() {
          requests = [];
          connectionCount = 0;
        },
      };
      return host;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
        } else {
          server.close(() => resolve());
        }
        for (const timer of pendingHandOffs) clearTimeout(timer);
        pendingHandOffs.clear();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** A 500 answer describing a handler's exception (the lab keeps serving). */
function handlerFailure(error: unknown): LabResponse {
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, json: { error: `lab handler failed: ${message}` } };
}

class BodyTooLargeError extends Error {}

/** Reads the request body, refusing more than `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(`request body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

/** Resolves when `res` closes (the response finished, or the client went away). Create once per response. */
function closed(res: ServerResponse): Promise<void> {
  if (res.closed || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/** Waits `ms`, or less if the client goes away (`gone`); returns false when it did. */
async function waitUnlessGone(res: ServerResponse, gone: Promise<void>, ms: number): Promise<boolean> {
  const controller = new AbortController();
  try {
    await Promise.race([sleep(ms, undefined, { signal: controller.signal }).catch(() => {}), gone]);
  } finally {
    controller.abort();
  }
  return !(res.destroyed || res.closed);
}

/** Writes `chunk`, waiting for the socket to drain when its buffer is full; false when the client went away. */
async function write(res: ServerResponse, gone: Promise<void>, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  let onDrain: (() => void) | undefined;
  await Promise.race([new Promise<void>((resolve) => res.once('drain', (onDrain = resolve))), gone]);
  if (onDrain !== undefined) res.off('drain', onDrain);
  return !res.destroyed;
}

function headerSet(headers: Readonly<Record<string, string | readonly string[]>>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/** Sends a {@link LabResponse}: delay, status, headers, then the body (padded, throttled, cut short as asked). */
async function sendResponse(req: IncomingMessage, res: ServerResponse, response: LabResponse): Promise<void> {
  const gone = closed(res);
  const endless = response.endlessHeadersBytesPerSecond;
  if (endless !== undefined && !(Number.isFinite(endless) && endless > 0)) {
    throw new Error(`endlessHeadersBytesPerSecond must be a positive number, got ${String(endless)}`);
  }
  if (response.delayMs !== undefined && response.delayMs > 0) {
    if (!(await waitUnlessGone(res, gone, response.delayMs))) return;
  }
  if (endless !== undefined) {
    await sendEndlessHead(res, gone, endless);
    return;
  }
  const headers: Record<string, string | readonly string[]> = { ...response.headers };
  let base: Buffer;
  // `json` wins over `body` when both are given: it is the more specific intent.
  if (response.json !== undefined) {
    base = Buffer.from(JSON.stringify(response.json), 'utf8');
    if (!headerSet(headers, 'content-type')) headers['content-type'] = 'application/json';
  } else if (response.body !== undefined) {
    base = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  } else {
    base = Buffer.alloc(0);
  }
  if (response.redirect !== undefined && !headerSet(headers, 'location')) headers.location = response.redirect;
  const status = response.status ?? (response.redirect !== undefined ? 302 : 200);
  const total = Math.max(base.length, response.padToBytes ?? 0);
  if (!headerSet(headers, 'content-length') && !headerSet(headers, 'transfer-encoding'))
    headers['content-length'] = String(total);

  res.writeHead(status, headers as Record<string, string | string[]>);
  const noBody = req.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (noBody) {
    res.end();
    return;
  }
  const rate = response.bodyBytesPerSecond;
  const limit = response.resetAfterBytes ?? Number.POSITIVE_INFINITY;
  // Headers go out at once so the client sees the status line before a slow or cut-off body.
  if (rate !== undefined || limit < total) res.flushHeaders();

  const sliceBytes =
    rate === undefined ? CHUNK_BYTES : Math.min(CHUNK_BYTES, Math.max(1, Math.floor((rate * THROTTLE_TICK_MS) / 1000)));
  const started = Date.now();
  let sent = 0;
  while (sent < total) {
    const size = Math.min(sliceBytes, total - sent, limit - sent);
    if (size <= 0) {
      // resetAfterBytes reached: an empty write's callback runs once everything before it is on the wire;
      // then drop the connection in the middle of the body.
      const socket = res.socket;
      if (socket !== null && !socket.destroyed) {
        await new Promise<void>((resolve) => socket.write('', () => resolve()));
        socket.destroy();
      }
      return;
    }
    const chunk = bodySlice(base, sent, size);
    if (!(await write(res, gone, chunk))) return;
    sent += chunk.length;
    if (rate !== undefined && sent < total) {
      // Pace against the start time, so timer slack does not accumulate.
      const due = started + (sent * 1000) / rate - Date.now();
      if (due > 0 && !(await waitUnlessGone(res, gone, due))) return;
    }
  }
  res.end();
}

/** One header line of an endless head: 64 bytes, repeated as long as the client listens. */
const FILLER_HEADER_LINE = Buffer.from(`x-lab-filler: ${'a'.repeat(48)}\r\n`, 'latin1');

/**
 * Writes a status line and then header lines forever, paced at `rate` bytes per second, straight to the socket:
 * node's ServerResponse always finishes a head it writes, so it cannot produce one that never ends.
 */
async function sendEndlessHead(res: ServerResponse, gone: Promise<void>, rate: number): Promise<void> {
  const socket = res.socket;
  if (socket === null) return;
  const statusLine = Buffer.from('HTTP/1.1 200 OK\r\n', 'latin1');
  const sliceBytes = Math.min(CHUNK_BYTES, Math.max(1, Math.floor((rate * THROTTLE_TICK_MS) / 1000)));
  const started = Date.now();
  let sent = 0;
  while (!socket.destroyed && !res.closed) {
    // The head so far is the status line then filler lines, so byte n of it is known without building it.
    const slice = Buffer.alloc(sliceBytes);
    for (let i = 0; i < sliceBytes; i++) {
      const n = sent + i;
      slice[i] =
        n < statusLine.length
          ? statusLine[n]!
          : FILLER_HEADER_LINE[(n - statusLine.length) % FILLER_HEADER_LINE.length]!;
    }
    if (!socket.write(slice)) {
      let onDrain: (() => void) | undefined;
      await Promise.race([new Promise<void>((resolve) => socket.once('drain', (onDrain = resolve))), gone]);
      if (onDrain !== undefined) socket.off('drain', onDrain);
    }
    sent += sliceBytes;
    const due = started + (sent * 1000) / rate - Date.now();
    if (due > 0 && !(await waitUnlessGone(res, gone, due))) return;
  }
}

/** Bytes [offset, offset + size) of `base` followed by spaces, without building the whole body. */
function bodySlice(base: Buffer, offset: number, size: number): Buffer {
  if (offset + size <= base.length) return base.subarray(offset, offset + size);
  if (offset >= base.length) return SPACES.subarray(0, size);
  const head = base.subarray(offset);
  return Buffer.concat([head, SPACES.subarray(0, size - head.length)]);
}
