// The Matrix channel: an m.room.message (m.notice, plain text and HTML) per notification, through the client-server API.

import type { MatrixNotifyConfig } from '../../config/types.js';
import { createChannelHttp, retryAfterHeaderMs } from './http-send.js';
import type { ChannelHttpOptions } from './http-send.js';
import { DELIVERY_TIMEOUT_MS } from './types.js';
import type { DeliveryResult, NotificationChannel } from './types.js';

/** Options of {@link createMatrixChannel}. */
export interface MatrixChannelOptions extends ChannelHttpOptions {
  /** Longest rate-limit wait taken within one attempt; a longer one ends the attempt and sets the next [30 s]. */
  readonly maxInlineWaitMs?: number;
  /** Sends within one attempt (the first and the retries after a rate limit) [3]. */
  readonly maxSends?: number;
  /** Waits (tests pass a recording one) [setTimeout]. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A channel that posts to a room as a bot: `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}` with
 * `Authorization: Bearer <token>` (client-server API, "Sending events to a room"). The transaction ID is the
 * notification's id, the same on every retry: the homeserver answers a repeated one with the event already sent
 * instead of posting twice (the spec's idempotency of `txnId` per access token). The message is an `m.notice` (the
 * spec's type for automated messages, which bots must not answer) with a plain `body` and an
 * `org.matrix.custom.html` `formatted_body`. `M_LIMIT_EXCEEDED` (429) is honoured: its `retry_after_ms` (or
 * `Retry-After`) is waited within the attempt when short, else it sets the next attempt.
 *
 * @example
 * ```ts
 * const channel = createMatrixChannel(config.monitor.notify.matrix);
 * ```
 */
export function createMatrixChannel(
  settings: MatrixNotifyConfig,
  options: MatrixChannelOptions = {},
): NotificationChannel {
  const base = new URL(settings.homeserver);
  const http = createChannelHttp(base.origin, options);
  const prefix = base.pathname.replace(/\/+$/, '');
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 30_000;
  const maxSends = options.maxSends ?? 3;
  const sleep = options.sleep ?? sleepFor;
  return {
    name: 'matrix',
    target: `${base.origin} ${settings.roomId}`,
    async send(notification, rendered): Promise<DeliveryResult> {
      const path = `${prefix}/_matrix/client/v3/rooms/${encodeURIComponent(settings.roomId)}/send/m.room.message/${encodeURIComponent(notification.id)}`;
      const content = {
        msgtype: 'm.notice',
        body: rendered.text,
        format: 'org.matrix.custom.html',
        formatted_body: rendered.html,
      };
      let last: DeliveryResult = { ok: false, error: 'not sent' };
      for (let send = 1; send <= maxSends; send++) {
        let response;
        try {
          response = await http.send({
            method: 'PUT',
            path,
            headers: { authorization: `Bearer ${settings.accessToken.reveal()}` },
            json: content,
            timeoutMs: DELIVERY_TIMEOUT_MS,
          });
        } catch (error) {
          return { ok: false, error: `the homeserver could not be reached: ${(error as Error).message}` };
        }
        if (response.status >= 200 && response.status < 300) return { ok: true };
        const error = matrixError(response.text);
        const words = `the homeserver answered HTTP ${response.status}${error.errcode === null ? '' : ` ${error.errcode}`}${error.message === null ? '' : `: ${error.message}`}`;
        if (response.status !== 429 && error.errcode !== 'M_LIMIT_EXCEEDED') return { ok: false, error: words };
        // The spec's rate limit: retry_after_ms in the body (v1.0), Retry-After in seconds (v1.10).
        const waitMs = error.retryAfterMs ?? retryAfterHeaderMs(response.headers['retry-after']) ?? 5_000;
        last = { ok: false, error: words, retryAfterMs: waitMs };
        if (waitMs > maxInlineWaitMs || send === maxSends) return last;
        await sleep(waitMs);
      }
      return last;
    },
    close: () => http.close(),
  };
}

/** The standard error body of the client-server API (`errcode`, `error`, `retry_after_ms`), as far as it is one. */
function matrixError(text: string): {
  errcode: string | null;
  message: string | null;
  retryAfterMs: number | undefined;
} {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const retry = body['retry_after_ms'];
    return {
      errcode: typeof body['errcode'] === 'string' ? body['errcode'].slice(0, 64) : null,
      message: typeof body['error'] === 'string' ? body['error'].slice(0, 256) : null,
      retryAfterMs:
        typeof retry === 'number' && Number.isFinite(retry) && retry >= 0 ? Math.min(retry, 86_400_000) : undefined,
    };
  } catch {
    return { errcode: null, message: null, retryAfterMs: undefined };
  }
}
