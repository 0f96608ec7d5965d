// Sending the notifications a name has pending: each channel in order, retried with back-off, never blocking another.

import type { NotificationChannel } from './channels/types.js';
import { renderNotification } from './message.js';
import type { RenderedNotification } from './message.js';
import type { ChannelDelivery, ChannelName, NameState, Notification, PendingNotification } from './types.js';

/** The back-off of failed deliveries. */
export interface RetrySettings {
  /** Wait after the first failure, doubled after each further one [5 s]. */
  readonly baseDelayMs: number;
  /** Longest wait between two attempts [15 min]. */
  readonly maxDelayMs: number;
  /** A notification no channel has taken after this long is dropped for that channel, with an error logged [24 h]. */
  readonly giveUpAfterMs: number;
}

/** Defaults of {@link RetrySettings}. */
export const RETRY_DEFAULTS: RetrySettings = Object.freeze({
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
});

/** What happened to one attempt, for logs and metrics. */
export interface DeliveryEvent {
  readonly channel: NotificationChannel;
  readonly notification: Notification;
  readonly outcome: 'sent' | 'failed' | 'dropped';
  /** The attempt's number (1 for the first). */
  readonly attempt: number;
  readonly error: string | null;
  /** For `failed`: when the next attempt is due (ms since the epoch). */
  readonly nextAttemptAt: number | null;
}

/** What {@link deliverPending} needs. */
export interface DeliveryContext {
  readonly channels: ReadonlyMap<ChannelName, NotificationChannel>;
  readonly retry: RetrySettings;
  readonly pageUrl: string | null;
  readonly now: () => number;
  /** No attempt starts after this time (ms since the epoch): what is left waits for the next visit. */
  readonly until?: number;
  readonly onEvent?: (event: DeliveryEvent) => void;
}

/** The wait before attempt `attempts + 1` after `attempts` failures, with up to 10 % added at random. */
export function backoffMs(attempts: number, retry: RetrySettings, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(retry.baseDelayMs * 2 ** exponent, retry.maxDelayMs);
  return Math.round(delay * (1 + 0.1 * random()));
}

/** The earliest time a pending notification of `state` is due on some channel, or null when none is pending. */
export function nextDeliveryAt(state: NameState): number | null {
  let earliest: number | null = null;
  for (const p of state.pending)
    for (const d of Object.values(p.channels))
      if (d !== undefined && (earliest === null || d.nextAttemptAt < earliest)) earliest = d.nextAttemptAt;
  return earliest;
}

/**
 * Attempts every delivery of `state` that is due, and returns the state with what is left. Per channel the
 * notifications go out oldest first, and a failure stops that channel's queue until its next attempt (so a recovery
 * never arrives before its alert); the channels run side by side, so a failing one never delays another. A
 * notification a channel has not taken after `giveUpAfterMs` is dropped for it; one pending for a channel that is no
 * longer configured is dropped for that channel at once.
 *
 * @example
 * ```ts
 * const after = await deliverPending(state, { channels, retry: RETRY_DEFAULTS, pageUrl: null, now: Date.now });
 * ```
 */
export async function deliverPending(state: NameState, context: DeliveryContext): Promise<NameState> {
  if (state.pending.length === 0) return state;
  const rendered = new Map<string, RenderedNotification>();
  const render = (n: Notification): RenderedNotification => {
    let r = rendered.get(n.id);
    if (r === undefined) {
      r = renderNotification(n, context.pageUrl);
      rendered.set(n.id, r);
    }
    return r;
  };
  // The new delivery record of each (notification, channel); undefined: delivered or dropped.
  const updates = new Map<string, Map<ChannelName, ChannelDelivery | undefined>>();
  const set = (id: string, channel: ChannelName, delivery: ChannelDelivery | undefined): void => {
    let forId = updates.get(id);
    if (forId === undefined) {
      forId = new Map();
      updates.set(id, forId);
    }
    forId.set(channel, delivery);
  };

  const names = new Set<ChannelName>();
  for (const p of state.pending) for (const name of Object.keys(p.channels) as ChannelName[]) names.add(name);
  await Promise.all(
    [...names].map(async (name) => {
      const channel = context.channels.get(name);
      for (const p of state.pending) {
        const delivery = p.channels[name];
        if (delivery === undefined) continue;
        if (channel === undefined) {
          set(p.notification.id, name, undefined);
          continue;
        }
        const now = context.now();
        if (now - p.notification.createdAt > context.retry.giveUpAfterMs && delivery.attempts > 0) {
          set(p.notification.id, name, undefined);
          context.onEvent?.({
            channel,
            notification: p.notification,
            outcome: 'dropped',
            attempt: delivery.attempts,
            error: delivery.lastError,
            nextAttemptAt: null,
          });
          continue;
        }
        if (delivery.nextAttemptAt > now || (context.until !== undefined && now > context.until)) break;
        const attempt = delivery.attempts + 1;
        let result;
        try {
          result = await channel.send(p.notification, render(p.notification));
        } catch (error) {
          // Channels report failures as results; a throw is a bug, handled the same way.
          result = { ok: false as const, error: error instanceof Error ? error.message : String(error) };
        }
        if (result.ok) {
          set(p.notification.id, name, undefined);
          context.onEvent?.({
            channel,
            notification: p.notification,
            outcome: 'sent',
            attempt,
            error: null,
            nextAttemptAt: null,
          });
          continue;
        }
        const wait = Math.max(backoffMs(attempt, context.retry), result.retryAfterMs ?? 0);
        const nextAttemptAt = context.now() + wait;
        set(p.notification.id, name, { attempts: attempt, nextAttemptAt, lastError: result.error });
        context.onEvent?.({
          channel,
          notification: p.notification,
          outcome: 'failed',
          attempt,
          error: result.error,
          nextAttemptAt,
        });
        break;
      }
    }),
  );

  const pending: PendingNotification[] = [];
  for (const p of state.pending) {
    const changed = updates.get(p.notification.id);
    if (changed === undefined) {
      pending.push(p);
      continue;
    }
    const channels: Partial<Record<ChannelName, ChannelDelivery>> = {};
    for (const [name, delivery] of Object.entries(p.channels) as [ChannelName, ChannelDelivery][]) {
      const next = changed.has(name) ? changed.get(name) : delivery;
      if (next !== undefined) channels[name] = next;
    }
    if (Object.keys(channels).length > 0) pending.push({ notification: p.notification, channels });
  }
  return { ...state, pending };
}
