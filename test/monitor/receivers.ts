// Real receivers on loopback for the monitor's channels: an HTTPS webhook, an SMTP server (STARTTLS, AUTH), a Matrix homeserver's send endpoint.

import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { LabCertificate, LabCertificateAuthority } from '../../src/testing/index.js';

/** One request a receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly at: number;
}

/** A running receiver. */
export interface Receiver<T> {
  readonly url: string;
  readonly received: T[];
  close(): Promise<void>;
}

async function issueLoopback(ca: LabCertificateAuthority): Promise<LabCertificate> {
  return ca.issue({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function listen(
  ca: LabCertificateAuthority,
  handle: (req: IncomingMessage, body: string, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const cert = await issueLoopback(ca);
  const server = createHttpsServer({ cert: cert.fullChainPem, key: cert.keyPem }, (req, res) => {
    void readBody(req).then((body) => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** Answer the first this many requests with 500 (a receiver that is down for a while). */
  readonly failFirst?: number;
  /** Answer every request with this status. */
  readonly status?: number;
}

/** An HTTPS endpoint that records every POST and answers 204 (or fails as told; `setStatus` changes it). */
export async function startWebhookReceiver(
  ca: LabCertificateAuthority,
  options: WebhookReceiverOptions = {},
): Promise<Receiver<ReceivedRequest> & { setStatus(status: number | undefined): void }> {
  const received: ReceivedRequest[] = [];
  let failures = options.failFirst ?? 0;
  let status = options.status;
  const server = await listen(ca, (req, body, res) => {
    received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() });
    if (status !== undefined) {
      res.writeHead(status).end();
      return;
    }
    if (failures > 0) {
      failures -= 1;
      res.writeHead(500).end('down for maintenance');
      return;
    }
    res.writeHead(204).end();
  });
  return {
    url: `${server.url}/hooks/matrix?token=s3cret-hook-token`,
    received,
    close: server.close,
    setStatus(next) {
      status = next;
    },
  };
}

/** A message the Matrix receiver accepted (first send of a transaction ID). */
export interface MatrixSend extends ReceivedRequest {
  readonly roomId: string;
  readonly txnId: string;
  /** What the receiver answered: 200 (accepted or repeated), 429, 401. */
  readonly status: number;
}

/** Options of {@link startMatrixReceiver}. */
export interface MatrixReceiverOptions {
  /** The bot's token; anything else gets 401 M_UNKNOWN_TOKEN. */
  readonly token: string;
  /** Answer the first send with 429 M_LIMIT_EXCEEDED and this `retry_after_ms`. */
  readonly rateLimitOnceMs?: number;
}

/**
 * A minimal homeserver: `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}` with a bearer token, as
 * the client-server API defines it (a repeated transaction ID gets the same event ID and posts nothing new). Every
 * request is recorded with the answer given; `events` holds the messages posted to rooms.
 */
export async function startMatrixReceiver(
  ca: LabCertificateAuthority,
  options: MatrixReceiverOptions,
): Promise<Receiver<MatrixSend> & { events: { roomId: string; txnId: string; content: unknown }[] }> {
  const received: MatrixSend[] = [];
  const events: { roomId: string; txnId: string; content: unknown }[] = [];
  const byTxn = new Map<string, string>();
  let limited = options.rateLimitOnceMs !== undefined;
  const server = await listen(ca, (req, body, res) => {
    const match = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/?]+)$/.exec(req.url ?? '');
    const answer = (status: number, json: unknown): void => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        at: Date.now(),
        roomId: match ? decodeURIComponent(match[1]!) : '',
        txnId: match ? decodeURIComponent(match[2]!) : '',
        status,
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.method !== 'PUT' || match === null) return answer(404, { errcode: 'M_UNRECOGNIZED', error: 'no' });
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return answer(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' });
    if (limited) {
      limited = false;
      return answer(429, {
        errcode: 'M_LIMIT_EXCEEDED',
        error: 'Too many requests',
        retry_after_ms: options.rateLimitOnceMs,
      });
    }
    const key = `${match[1]}|${match[2]}`;
    let eventId = byTxn.get(key);
    if (eventId === undefined) {
      eventId = `$event${byTxn.size + 1}`;
      byTxn.set(key, eventId);
      events.push({
        roomId: decodeURIComponent(match[1]!),
        txnId: decodeURIComponent(match[2]!),
        content: JSON.parse(body),
      });
    }
    return answer(200, { event_id: eventId });
  });
  return { url: server.url, received, events, close: server.close };
}

/** A message the SMTP server took. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The authenticated user. */
  readonly user: string | null;
  /** Whether the session was encrypted (STARTTLS done) when the message came. */
  readonly secure: boolean;
  readonly raw: string;
  readonly subject: string;
  readonly messageId: string;
}

/** Options of {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  readonly user: string;
  readonly password: string;
  /** Refuse every message with 451 (a mail server in trouble). */
  readonly refuse?: boolean;
}

/**
 * An SMTP server on loopback (smtp-server, a real protocol peer): plain SMTP that offers STARTTLS with a certificate
 * of the lab CA, and requires AUTH (PLAIN or LOGIN) with one user, only after STARTTLS.
 */
export async function startSmtpSink(
  ca: LabCertificateAuthority,
  options: SmtpSinkOptions,
): Promise<Receiver<ReceivedMail> & { port: number; authAttempts: { user: string; ok: boolean; secure: boolean }[] }> {
  const cert = await issueLoopback(ca);
  const received: ReceivedMail[] = [];
  const authAttempts: { user: string; ok: boolean; secure: boolean }[] = [];
  const server = new SMTPServer({
    secure: false,
    key: cert.keyPem,
    cert: cert.fullChainPem,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    logger: false,
    disableReverseLookup: true,
    size: 1024 * 1024,
    onAuth(auth, session, callback) {
      const ok = auth.username === options.user && auth.password === options.password;
      authAttempts.push({ user: auth.username ?? '', ok, secure: session.secure });
      if (!ok) callback(new Error('Invalid username or password'));
      else callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (options.refuse === true) {
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string): string =>
          new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          secure: session.secure,
          raw,
          subject: header('Subject'),
          messageId: header('Message-ID'),
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    authAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
