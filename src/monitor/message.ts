// A notification in words: the subject, plain text, HTML and the webhook's JSON body (remote text escaped for each).

import { escapeTerminalText } from '../report/terminal-text.js';
import type { BaselineChange, Notification } from './types.js';

/** A notification rendered for the channels. */
export interface RenderedNotification {
  /** One line: the e-mail subject, and the first line of the text. */
  readonly subject: string;
  /** Plain text (the e-mail body, the Matrix `body`). */
  readonly text: string;
  /** HTML (the e-mail alternative, the Matrix `formatted_body`); every remote string escaped. */
  readonly html: string;
  /** The webhook's JSON body (see {@link webhookBody}). */
  readonly json: WebhookBody;
}

/** The JSON a webhook receives (docs/monitor.md, "Webhook"). */
export interface WebhookBody {
  /** The notification's id: the same on every retry (an idempotency key). */
  readonly id: string;
  readonly server_name: string;
  readonly event: Notification['kind'];
  /** `failing` or `ok`. */
  readonly state: Notification['state'];
  readonly summary: string;
  readonly hints: readonly { readonly id: string; readonly severity: string; readonly title: string }[];
  /** `<page_url>?server_name=NAME`, or null without `page_url`. */
  readonly report_url: string | null;
  /** When the check that made the notification finished (ISO 8601). */
  readonly checked_at: string;
  readonly consecutive_failures: number;
  readonly changes: readonly BaselineChange[];
  /** The earliest end of the certificates the check saw (ISO 8601; what `certificate-expiring` warns of), or null. */
  readonly certificate_expires_at: string | null;
}

const DAY_MS = 86_400_000;

/** The report page of a name, or null without a page URL. */
export function reportUrl(pageUrl: string | null, serverName: string): string | null {
  if (pageUrl === null) return null;
  const base = pageUrl.includes('?') ? pageUrl.slice(0, pageUrl.indexOf('?')) : pageUrl;
  return `${base}?server_name=${encodeURIComponent(serverName)}`;
}

/** Text safe in a message: control, bidi and invisible characters of remote data shown as escapes. */
function plain(text: string): string {
  return escapeTerminalText(text);
}

/** Text safe in HTML (after {@link plain}). */
function escapeHtml(text: string): string {
  return plain(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function headline(n: Notification): string {
  const name = plain(n.serverName);
  switch (n.kind) {
    case 'failing':
      return `${name}: federation is failing (${n.consecutiveFailures} checks in a row)`;
    case 'recovered':
      return `${name}: federation works again`;
    case 'certificate-expiring': {
      const days = n.certificateExpiresAt === null ? null : Math.floor((n.certificateExpiresAt - n.createdAt) / DAY_MS);
      const when = days === null ? 'soon' : days <= 0 ? 'within a day' : days === 1 ? 'in 1 day' : `in ${days} days`;
      return `${name}: a certificate expires ${when}`;
    }
    case 'changed':
      return `${name}: ${n.changes.map((c) => changeWords(c.what)).join(', ')} changed`;
  }
}

function changeWords(what: BaselineChange['what']): string {
  return what === 'certificate' ? 'the certificate' : what === 'delegation' ? 'the delegation' : 'the server version';
}

/**
 * Renders a notification for every channel. Everything from the checked server (the summary's values, hint titles,
 * a version string) is remote data: control and bidi characters become visible escapes in all forms, and the HTML
 * escapes `& < > " '`; the JSON carries the strings as they are (JSON escapes what it must).
 *
 * @example
 * ```ts
 * const { subject, text, html, json } = renderNotification(notification, 'https://tester.example.org/');
 * ```
 */
export function renderNotification(n: Notification, pageUrl: string | null): RenderedNotification {
  const url = reportUrl(pageUrl, n.serverName);
  const subject = headline(n);
  const lines: string[] = [`${subject}.`, plain(n.summary)];
  const html: string[] = [`<p><strong>${escapeHtml(subject)}.</strong></p>`, `<p>${escapeHtml(n.summary)}</p>`];
  if (n.changes.length > 0) {
    lines.push('Changed:');
    html.push('<p>Changed:</p><ul>');
    for (const c of n.changes) {
      lines.push(`- ${changeWords(c.what)}: ${plain(c.from)} -> ${plain(c.to)}`);
      html.push(
        `<li>${changeWords(c.what)}: <code>${escapeHtml(c.from)}</code> → <code>${escapeHtml(c.to)}</code></li>`,
      );
    }
    html.push('</ul>');
  }
  if (n.kind === 'certificate-expiring' && n.certificateExpiresAt !== null) {
    const at = new Date(n.certificateExpiresAt).toISOString();
    lines.push(`The earliest certificate servers see ends at ${at}: renew it.`);
    html.push(`<p>The earliest certificate servers see ends at ${at}: renew it.</p>`);
  }
  const problems = n.kind === 'recovered' ? [] : n.hints.filter((h) => h.severity !== 'info');
  if (problems.length > 0) {
    lines.push('What is wrong:');
    html.push('<p>What is wrong:</p><ul>');
    for (const h of problems) {
      lines.push(`- [${h.severity}] ${plain(h.title)} (${plain(h.id)})`);
      html.push(`<li>[${h.severity}] ${escapeHtml(h.title)} (<code>${escapeHtml(h.id)}</code>)</li>`);
    }
    html.push('</ul>');
  }
  if (url !== null) {
    lines.push(`Report: ${url}`);
    html.push(`<p><a href="${escapeHtml(url)}">The report, with how to fix each problem</a></p>`);
  }
  return { subject, text: lines.join('\n'), html: html.join('\n'), json: webhookBody(n, url) };
}

/** The webhook's JSON body of a notification. */
export function webhookBody(n: Notification, url: string | null): WebhookBody {
  return {
    id: n.id,
    server_name: n.serverName,
    event: n.kind,
    state: n.state,
    summary: n.summary,
    hints: n.hints.map((h) => ({ id: h.id, severity: h.severity, title: h.title })),
    report_url: url,
    checked_at: new Date(n.createdAt).toISOString(),
    consecutive_failures: n.consecutiveFailures,
    changes: n.changes,
    certificate_expires_at: n.certificateExpiresAt === null ? null : new Date(n.certificateExpiresAt).toISOString(),
  };
}
