// The e-mail channel: one message per notification over SMTP (nodemailer), STARTTLS required whenever it logs in.

import { createRequire } from 'node:module';
import type * as Nodemailer from 'nodemailer';
import type { EmailNotifyConfig } from '../../config/types.js';
import { DELIVERY_TIMEOUT_MS } from './types.js';
import type { DeliveryResult, NotificationChannel } from './types.js';

/** Options of {@link createEmailChannel}. */
export interface EmailChannelOptions {
  /** CA certificates to trust for the SMTP server's certificate instead of the system's (tests). */
  readonly ca?: readonly string[];
}

/** The submission port (RFC 6409) for `smtp://`, the implicit-TLS one (RFC 8314) for `smtps://`. */
const DEFAULT_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

/**
 * nodemailer, loaded when the first e-mail channel is made: a server without one never reads it (a CommonJS package;
 * the CLI bundle turns this into a bundled require, in the chunk of this module, which is itself loaded on demand).
 */
function loadNodemailer(): typeof Nodemailer {
  return createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
}

/**
 * A channel that mails each notification to `to`, from `from`, through the SMTP server of `smtp_url`. With a user
 * name the server must offer STARTTLS (`smtp://`, refused otherwise: a password never travels in clear) or speak TLS
 * from the start (`smtps://`); without one, STARTTLS is used when offered. The certificate is checked against the
 * system's CAs (and `NODE_EXTRA_CA_CERTS`). The Message-ID is made from the notification's id, so a message sent
 * again after a crash is recognisably the same; `Auto-Submitted: auto-generated` (RFC 3834) keeps auto-responders
 * from answering.
 *
 * @example
 * ```ts
 * const channel = createEmailChannel(config.monitor.notify.email);
 * ```
 */
export function createEmailChannel(
  settings: EmailNotifyConfig,
  options: EmailChannelOptions = {},
): NotificationChannel {
  const url = new URL(settings.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? DEFAULT_PORTS[secure ? 'smtps:' : 'smtp:'] : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const nodemailer = loadNodemailer();
  const transport = nodemailer.createTransport({
    host,
    port,
    secure,
    requireTLS: settings.password !== null,
    ...(settings.username !== null && settings.password !== null
      ? { auth: { user: settings.username, pass: settings.password.reveal() } }
      : {}),
    tls: { minVersion: 'TLSv1.2', ...(options.ca === undefined ? {} : { ca: [...options.ca] }) },
    connectionTimeout: DELIVERY_TIMEOUT_MS,
    greetingTimeout: DELIVERY_TIMEOUT_MS,
    socketTimeout: DELIVERY_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  return {
    name: 'email',
    target: `${url.protocol}//${url.host}`,
    async send(notification, rendered): Promise<DeliveryResult> {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<DeliveryResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, error: 'the SMTP server did not take the message within the time limit' }),
          3 * DELIVERY_TIMEOUT_MS,
        );
      });
      const sending = transport
        .sendMail({
          from: settings.from,
          to: [...settings.to],
          subject: `[matrix-delegation] ${rendered.subject}`,
          text: rendered.text,
          html: rendered.html,
          messageId: `<${notification.id}@matrix-delegation.invalid>`,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Matrix-Delegation-Event': notification.kind },
        })
        .then(
          (): DeliveryResult => ({ ok: true }),
          (error: unknown): DeliveryResult => ({ ok: false, error: describeSmtpError(error) }),
        );
      try {
        return await Promise.race([sending, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}

/** nodemailer's error in words: the SMTP reply or the connection problem (never the credentials). */
function describeSmtpError(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  const message = typeof e.message === 'string' ? e.message.slice(0, 512) : String(error);
  return `the SMTP server did not take the message: ${code}${message}`;
}
