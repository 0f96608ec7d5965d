// Builds the notification channels the `monitor.notify` config names (the e-mail code loads only when e-mail is used).

import type { NotifyConfig } from '../../config/types.js';
import { createMatrixChannel } from './matrix.js';
import type { NotificationChannel } from './types.js';
import { createWebhookChannel } from './webhook.js';

/** Options of {@link createChannels}. */
export interface CreateChannelsOptions {
  /**
   * CA certificates every channel trusts instead of the system's (tests with a lab CA); default: the system's and
   * `NODE_EXTRA_CA_CERTS`.
   */
  readonly ca?: readonly string[];
}

/**
 * The channels of `notify`, in a fixed order (webhook, email, matrix). The e-mail channel's module, with nodemailer,
 * is imported only when `email` is configured.
 *
 * @example
 * ```ts
 * const channels = await createChannels(config.monitor.notify);
 * ```
 */
export async function createChannels(
  notify: NotifyConfig,
  options: CreateChannelsOptions = {},
): Promise<NotificationChannel[]> {
  const trust = options.ca === undefined ? {} : { ca: options.ca };
  const channels: NotificationChannel[] = [];
  if (notify.webhook !== null) channels.push(createWebhookChannel(notify.webhook, trust));
  if (notify.email !== null) {
    const { createEmailChannel } = await import('./email.js');
    channels.push(createEmailChannel(notify.email, trust));
  }
  if (notify.matrix !== null) channels.push(createMatrixChannel(notify.matrix, trust));
  return channels;
}
