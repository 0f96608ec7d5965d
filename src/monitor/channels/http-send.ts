// One HTTP request of a channel (webhook, Matrix): a time limit, a bound on the answer read, errors as words.

import type { Client as UndiciClient } from 'undici';
import { Client } from '../../well-known/http-client.js';
import { USER_AGENT } from '../../version.js';

/** The most of an answer a channel reads (an error body, an event ID): the rest is dropped. */
export const MAX_CHANNEL_RESPONSE_BYTES = 64 * 1024;

/** A connection to one origin, with the trust and time limits of a channel. */
export interface ChannelHttp {
  /** Sends a JSON body; resolves with the status and the start of the answer, or rejects with a plain Error. */
  send(request: ChannelRequest): Promise<ChannelResponse>;
  close(): Promise<void>;
}

/** One request. */
export interface ChannelRequest {
  readonly method: 'POST' | 'PUT';
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json: unknown;
  readonly timeoutMs: number;
}

/** An answer, read up to {@link MAX_CHANNEL_RESPONSE_BYTES}. */
export interface ChannelResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** Options of {@link createChannelHttp}. */
export interface ChannelHttpOptions {
  /** CA certificates to trust instead of the system's (tests); default: the system's and `NODE_EXTRA_CA_CERTS`. */
  readonly ca?: readonly string[];
}

/**
 * A client for one origin (`https://hooks.example.org`). Redirects are not followed (a notification goes where the
 * admin said). The address is the admin's choice, so no deny-list applies: a webhook on the same host or network is
 * usual. Every request has a time limit (connection, headers and body together) and the answer is read up to
 * {@link MAX_CHANNEL_RESPONSE_BYTES}.
 */
export function createChannelHttp(origin: string, options: ChannelHttpOptions = {}): ChannelHttp {
  const client: UndiciClient = new Client(origin, {
    connect: { ...(options.ca === undefined ? {} : { ca: [...options.ca] }), timeout: 10_000 },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  return {
    async send(request) {
      const signal = AbortSignal.timeout(request.timeoutMs);
      const body = JSON.stringify(request.json);
      let response;
      try {
        response = await client.request({
          method: request.method,
          path: request.path,
          headers: {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            ...request.headers,
          },
          body,
          signal,
        });
      } catch (error) {
        throw new Error(describeHttpError(error, signal));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          if (size + buffer.byteLength > MAX_CHANNEL_RESPONSE_BYTES) {
            chunks.push(buffer.subarray(0, MAX_CHANNEL_RESPONSE_BYTES - size));
            response.body.destroy();
            break;
          }
          chunks.push(buffer);
          size += buffer.byteLength;
        }
      } catch {
        // An answer cut short still has its status, which is what counts.
      }
      return { status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
    },
    async close() {
      await client.destroy().catch(() => undefined);
    },
  };
}

/** An undici failure in words: a timeout, a refused connection, a TLS problem. */
function describeHttpError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'no answer within the time limit';
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.code === 'string' ? e.code : null;
  const message =
    typeof e.cause?.message === 'string' ? e.cause.message : typeof e.message === 'string' ? e.message : String(error);
  return code === null ? message : `${code}: ${message}`;
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterHeaderMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
