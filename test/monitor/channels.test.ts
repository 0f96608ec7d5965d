// Each notification channel against a real receiver on loopback, and delivery with back-off that never blocks another channel.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/index.js';
import { createEmailChannel } from '../../src/monitor/channels/email.js';
import {
  createMatrixChannel,
  createWebhookChannel,
  deliverPending,
  initialState,
  renderNotification,
} from '../../src/monitor/index.js';
import type { NameState, NotificationChannel, Notification, DeliveryEvent } from '../../src/monitor/index.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificateAuthority } from '../../src/testing/index.js';
import { startMatrixReceiver, startSmtpSink, startWebhookReceiver } from './receivers.js';

let ca: LabCertificateAuthority;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ca = await createCertificateAuthority();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

function notification(kind: Notification['kind'], id: string, extra: Partial<Notification> = {}): Notification {
  return {
    id,
    kind,
    serverName: 'broken.example.org',
    state: kind === 'recovered' ? 'ok' : 'failing',
    createdAt: Date.parse('2030-01-01T12:00:00Z'),
    // Remote data in a summary and a hint title: markup and a control character.
    summary: 'Federation does not work: <b>certificate</b> for "wrong.invalid"\u001b[31m.',
    hints: [
      { id: 'tls-name-mismatch', severity: 'error', title: 'The certificate does not name matrix.broken.example.org' },
      { id: 'well-known-absent', severity: 'info', title: 'No well-known' },
    ],
    consecutiveFailures: 2,
    changes: [],
    certificateExpiresAt: null,
    ...extra,
  };
}

const PAGE = 'https://tester.example.org/';

describe('webhook', () => {
  it('POSTs the JSON body of the issue (name, state, summary, hint ids and titles, report URL) with an idempotency key', async () => {
    const receiver = await startWebhookReceiver(ca);
    closers.push(receiver.close);
    const channel = createWebhookChannel({ url: receiver.url }, { ca: [ca.certPem] });
    closers.push(channel.close);
    const n = notification('failing', 'id-webhook-1');
    const result = await channel.send(n, renderNotification(n, PAGE));
    expect(result).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    expect(request.method).toBe('POST');
    // The path and query (which hold the hook's token) are kept as configured.
    expect(request.path).toBe('/hooks/matrix?token=s3cret-hook-token');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe('id-webhook-1');
    expect(JSON.parse(request.body)).toMatchObject({
      id: 'id-webhook-1',
      server_name: 'broken.example.org',
      event: 'failing',
      state: 'failing',
      summary: n.summary,
      hints: [
        { id: 'tls-name-mismatch', title: 'The certificate does not name matrix.broken.example.org' },
        { id: 'well-known-absent', title: 'No well-known' },
      ],
      report_url: 'https://tester.example.org/?server_name=broken.example.org',
    });
    // Logs name the origin only, never the token in the path or query.
    expect(channel.target).toBe(new URL(receiver.url).origin);
  });

  it('a receiver answering 500 is a failure with words, never a throw', async () => {
    const receiver = await startWebhookReceiver(ca, { status: 500 });
    closers.push(receiver.close);
    const channel = createWebhookChannel({ url: receiver.url }, { ca: [ca.certPem] });
    closers.push(channel.close);
    const n = notification('failing', 'id-webhook-2');
    expect(await channel.send(n, renderNotification(n, null))).toEqual({
      ok: false,
      error: 'the webhook answered HTTP 500',
    });
  });
});

describe('e-mail over SMTP', () => {
  it('sends one message after STARTTLS and AUTH, with the notification id in its Message-ID', async () => {
    const sink = await startSmtpSink(ca, { user: 'monitor@example.org', password: 'correct horse' });
    closers.push(sink.close);
    const channel = createEmailChannel(
      {
        smtpUrl: sink.url,
        username: 'monitor@example.org',
        password: new Secret('correct horse', 'test'),
        from: 'matrix-delegation <monitor@example.org>',
        to: ['admin@example.org', 'oncall@example.org'],
      },
      { ca: [ca.certPem] },
    );
    closers.push(channel.close);
    const n = notification('failing', 'id-mail-1');
    expect(await channel.send(n, renderNotification(n, PAGE))).toEqual({ ok: true });
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail).toMatchObject({
      from: 'monitor@example.org',
      to: ['admin@example.org', 'oncall@example.org'],
      user: 'monitor@example.org',
      secure: true,
    });
    expect(mail.messageId).toBe('<id-mail-1@matrix-delegation.invalid>');
    expect(mail.subject).toContain('broken.example.org');
    expect(mail.raw).toMatch(/^Auto-Submitted: auto-generated/im);
    // The one authentication attempt came after STARTTLS.
    expect(sink.authAttempts).toEqual([{ user: 'monitor@example.org', ok: true, secure: true }]);
  });

  it('a refused login is a failure whose words never hold the password', async () => {
    const sink = await startSmtpSink(ca, { user: 'monitor@example.org', password: 'correct horse' });
    closers.push(sink.close);
    const channel = createEmailChannel(
      {
        smtpUrl: sink.url,
        username: 'monitor@example.org',
        password: new Secret('wrong battery', 'test'),
        from: 'monitor@example.org',
        to: ['admin@example.org'],
      },
      { ca: [ca.certPem] },
    );
    closers.push(channel.close);
    const n = notification('failing', 'id-mail-2');
    const result = await channel.send(n, renderNotification(n, null));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('wrong battery');
    expect(sink.received).toEqual([]);
  });

  it('with a password, a server that offers no STARTTLS is refused before any login (never a password in clear)', async () => {
    const sink = await startSmtpSink(ca, { user: 'monitor@example.org', password: 'correct horse' });
    closers.push(sink.close);
    // The same server, reached without TLS support on the client side is not possible: use one that hides STARTTLS.
    const { SMTPServer } = await import('smtp-server');
    const authAttempts: unknown[] = [];
    const plain = new SMTPServer({
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      logger: false,
      disableReverseLookup: true,
      onAuth(auth, _session, callback) {
        authAttempts.push(auth.password);
        callback(null, { user: auth.username });
      },
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => plain.close(() => resolve())));
    const port = (plain.server.address() as { port: number }).port;
    const channel = createEmailChannel(
      {
        smtpUrl: `smtp://127.0.0.1:${port}`,
        username: 'monitor@example.org',
        password: new Secret('correct horse', 'test'),
        from: 'monitor@example.org',
        to: ['admin@example.org'],
      },
      { ca: [ca.certPem] },
    );
    closers.push(channel.close);
    const n = notification('failing', 'id-mail-3');
    const result = await channel.send(n, renderNotification(n, null));
    expect(result.ok).toBe(false);
    expect(authAttempts).toEqual([]);
  });
});

describe('Matrix room', () => {
  it('sends an m.notice with text and HTML, honours M_LIMIT_EXCEEDED retry_after_ms, and resends the same transaction', async () => {
    const receiver = await startMatrixReceiver(ca, { token: 'syt_bot_token', rateLimitOnceMs: 300 });
    closers.push(receiver.close);
    const channel = createMatrixChannel(
      { homeserver: receiver.url, accessToken: new Secret('syt_bot_token', 'test'), roomId: '!ops:example.org' },
      { ca: [ca.certPem] },
    );
    closers.push(channel.close);
    const n = notification('failing', 'id-matrix-1');
    expect(await channel.send(n, renderNotification(n, PAGE))).toEqual({ ok: true });
    // Two sends of one transaction: the rate-limited one, then the accepted one after retry_after_ms.
    expect(receiver.received.map((r) => [r.status, r.roomId, r.txnId])).toEqual([
      [429, '!ops:example.org', 'id-matrix-1'],
      [200, '!ops:example.org', 'id-matrix-1'],
    ]);
    expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(300);
    expect(receiver.received[1]!.headers.authorization).toBe('Bearer syt_bot_token');
    expect(receiver.events).toHaveLength(1);
    const content = receiver.events[0]!.content as Record<string, string>;
    expect(content['msgtype']).toBe('m.notice');
    expect(content['format']).toBe('org.matrix.custom.html');
    expect(content['body']).toContain('broken.example.org: federation is failing');
    // Remote text is escaped: no markup of the checked server reaches the room, no control character either.
    expect(content['formatted_body']).toContain('&lt;b&gt;certificate&lt;/b&gt;');
    expect(content['formatted_body']).not.toContain('<b>certificate');
    expect(content['body']).not.toContain('\u001b');
  });

  it('a wait longer than the channel takes inline ends the attempt with the time to wait', async () => {
    const receiver = await startMatrixReceiver(ca, { token: 't', rateLimitOnceMs: 120_000 });
    closers.push(receiver.close);
    const channel = createMatrixChannel(
      { homeserver: receiver.url, accessToken: new Secret('t', 'test'), roomId: '!ops:example.org' },
      { ca: [ca.certPem] },
    );
    closers.push(channel.close);
    const n = notification('failing', 'id-matrix-2');
    expect(await channel.send(n, renderNotification(n, null))).toMatchObject({ ok: false, retryAfterMs: 120_000 });
    expect(receiver.events).toEqual([]);
  });
});

describe('deliverPending', () => {
  it('a failing channel is retried with back-off, in order, and never stops the others', async () => {
    const webhook = await startWebhookReceiver(ca, { failFirst: 3 });
    const matrix = await startMatrixReceiver(ca, { token: 't' });
    closers.push(webhook.close, matrix.close);
    const channels: NotificationChannel[] = [
      createWebhookChannel({ url: webhook.url }, { ca: [ca.certPem] }),
      createMatrixChannel(
        { homeserver: matrix.url, accessToken: new Secret('t', 'test'), roomId: '!ops:example.org' },
        { ca: [ca.certPem] },
      ),
    ];
    for (const c of channels) closers.push(c.close);
    const alert = notification('failing', 'id-order-1');
    const recovery = notification('recovered', 'id-order-2');
    const due = { attempts: 0, nextAttemptAt: 0, lastError: null };
    let state: NameState = {
      ...initialState('broken.example.org'),
      pending: [
        { notification: alert, channels: { webhook: due, matrix: due } },
        { notification: recovery, channels: { webhook: due, matrix: due } },
      ],
    };
    const events: DeliveryEvent[] = [];
    const retry = { baseDelayMs: 40, maxDelayMs: 1_000, giveUpAfterMs: 60_000 };
    const context = {
      channels: new Map(channels.map((c) => [c.name, c])),
      retry,
      pageUrl: null,
      now: Date.now,
      onEvent: (e: DeliveryEvent) => events.push(e),
    };
    // First pass: Matrix takes both at once; the webhook fails and waits, the recovery behind the alert.
    state = await deliverPending(state, context);
    expect(matrix.events.map((e) => e.txnId)).toEqual(['id-order-1', 'id-order-2']);
    expect(webhook.received).toHaveLength(1);
    expect(state.pending.map((p) => [p.notification.id, Object.keys(p.channels)])).toEqual([
      ['id-order-1', ['webhook']],
      ['id-order-2', ['webhook']],
    ]);
    // Passes until the webhook takes them; each failure waits longer than the one before.
    for (let pass = 0; pass < 50 && state.pending.length > 0; pass++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = await deliverPending(state, context);
    }
    expect(state.pending).toEqual([]);
    const webhookEvents = events.filter((e) => e.channel.name === 'webhook');
    expect(webhookEvents.map((e) => [e.outcome, e.attempt])).toEqual([
      ['failed', 1],
      ['failed', 2],
      ['failed', 3],
      ['sent', 4],
      ['sent', 1],
    ]);
    const bodies = webhook.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
    // The alert until it got through, then the recovery: never the recovery first.
    expect(bodies).toEqual(['id-order-1', 'id-order-1', 'id-order-1', 'id-order-1', 'id-order-2']);
    // Each wait doubles (40, 80, 160 ms plus up to 10 %), and no attempt came before its time.
    const failures = webhookEvents.filter((e) => e.outcome === 'failed');
    const waits = failures.map((e, i) => e.nextAttemptAt! - webhook.received[i]!.at);
    for (const [i, wait] of waits.entries()) {
      expect(wait).toBeGreaterThanOrEqual(retry.baseDelayMs * 2 ** i - 5);
      expect(webhook.received[i + 1]!.at).toBeGreaterThanOrEqual(failures[i]!.nextAttemptAt!);
    }
  });
});
