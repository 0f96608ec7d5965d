// A notification channel: sends one rendered notification and says whether it was taken, and if not when to retry.

import type { RenderedNotification } from '../message.js';
import type { ChannelName, Notification } from '../types.js';

/** How one attempt went. */
export type DeliveryResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Why, in words for the log (never a secret). */
      readonly error: string;
      /** The receiver asked to wait this long (Retry-After, `retry_after_ms`): the next attempt waits at least that. */
      readonly retryAfterMs?: number;
    };

/** A channel the monitor sends notifications through. */
export interface NotificationChannel {
  readonly name: ChannelName;
  /** Where it sends, for logs: the URL's origin, the SMTP host, the room ID; never a secret or a URL's path. */
  readonly target: string;
  /** Sends one notification (never throws: a failure is a result). */
  send(notification: Notification, rendered: RenderedNotification): Promise<DeliveryResult>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** How long one attempt on any channel may take, at most [10 s]. */
export const DELIVERY_TIMEOUT_MS = 10_000;
