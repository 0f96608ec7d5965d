// The webhook channel: a JSON POST per notification, with the notification's id as an idempotency key.

import type { WebhookNotifyConfig } from '../../config/types.js';
import { createChannelHttp, retryAfterHeaderMs } from './http-send.js';
import type { ChannelHttpOptions } from './http-send.js';
import { DELIVERY_TIMEOUT_MS } from './types.js';
import type { NotificationChannel } from './types.js';

/**
 * A channel that POSTs the notification's JSON (`RenderedNotification.json`, docs/monitor.md) to the configured URL,
 * with `Idempotency-Key: <id>` so that a receiver can drop a repeated send. Any 2xx answer takes it; a 429 or 503
 * with `Retry-After` makes the next attempt wait that long; anything else is a failure retried with back-off. Logs
 * name the URL's origin only: the path and query of a webhook often hold its token.
 *
 * @example
 * ```ts
 * const channel = createWebhookChannel({ url: 'https://hooks.example.org/matrix' });
 * await channel.send(notification, renderNotification(notification, null));
 * ```
 */
export function createWebhookChannel(
  settings: WebhookNotifyConfig,
  options: ChannelHttpOptions = {},
): NotificationChannel {
  const url = new URL(settings.url);
  const http = createChannelHttp(url.origin, options);
  const path = `${url.pathname}${url.search}`;
  return {
    name: 'webhook',
    target: url.origin,
    async send(notification, rendered) {
      try {
        const response = await http.send({
          method: 'POST',
          path,
          headers: { 'idempotency-key': notification.id },
          json: rendered.json,
          timeoutMs: DELIVERY_TIMEOUT_MS,
        });
        if (response.status >= 200 && response.status < 300) return { ok: true };
        const retryAfterMs = retryAfterHeaderMs(response.headers['retry-after']);
        return {
          ok: false,
          error: `the webhook answered HTTP ${response.status}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      } catch (error) {
        return { ok: false, error: `the webhook could not be reached: ${(error as Error).message}` };
      }
    },
    close: () => http.close(),
  };
}
