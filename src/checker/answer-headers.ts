// What an answer's headers say answered it (a CDN, a firewall), and when an answer calls for a retry as a browser.

import type { AnswerHeaders, BrowserRetryTrigger } from '../check-report/index.js';
import { REMOTE_TEXT_LIMITS, boundRemoteTextOrNull } from '../remote-text.js';

/**
 * The User-Agent of the one retry made when an answer looks like a firewall's or bot protection's: a current
 * desktop Firefox's. Such rules block clients by User-Agent (homeservers send `Synapse/1.x` and the like), so the
 * same request as a browser tells a rule against robots from a server that refuses everyone.
 */
export const BROWSER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/**
 * Statuses firewalls and bot protection answer robots with: 401 and 403 (refused), 429 (rate limited), 503 (a
 * challenge page, as some protections send). Other statuses are the homeserver's or the proxy's own and are never
 * retried.
 */
export const BROWSER_RETRY_STATUSES: ReadonlySet<number> = new Set([401, 403, 429, 503]);

type HeaderValue = string | readonly string[] | undefined;

function one(headers: Readonly<Record<string, HeaderValue>>, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return boundRemoteTextOrNull(typeof value === 'string' ? value : value.join(', '), REMOTE_TEXT_LIMITS.name);
}

/**
 * The headers of an answer that say what answered it (`Server`, Cloudflare's `CF-Ray` and `cf-mitigated`, the
 * Content-Type), each bounded to 256 characters. Header names must be lowercase, as undici and Node give them.
 *
 * @example
 * ```ts
 * answerHeaders({ server: 'cloudflare', 'cf-ray': '8c0f3e-AMS' }); // { server: 'cloudflare', cfRay: '8c0f3e-AMS', ... }
 * ```
 */
export function answerHeaders(headers: Readonly<Record<string, HeaderValue>>): AnswerHeaders {
  return {
    server: one(headers, 'server'),
    cfRay: one(headers, 'cf-ray'),
    cfMitigated: one(headers, 'cf-mitigated'),
    contentType: one(headers, 'content-type'),
  };
}

/** True for an HTML Content-Type (`text/html`, with or without parameters). */
export function isHtmlType(contentType: string | null): boolean {
  return contentType !== null && /^\s*text\/html\b/i.test(contentType);
}

/**
 * Why an answer calls for one retry with a browser's User-Agent (see {@link BROWSER_USER_AGENT}): its status is
 * 401, 403, 429 or 503, or it is an HTML page; null for every other answer, which is never retried.
 */
export function browserRetryTrigger(status: number | null, contentType: string | null): BrowserRetryTrigger | null {
  if (status !== null && BROWSER_RETRY_STATUSES.has(status)) return 'status';
  if (isHtmlType(contentType)) return 'html';
  return null;
}

/**
 * True when the browser's answer is another than the first one: another status, or not an HTML page where the
 * first one was. The same refusal twice says nothing about User-Agents.
 */
export function answersDiffer(
  first: { readonly status: number | null; readonly contentType: string | null },
  second: { readonly status: number | null; readonly contentType: string | null },
): boolean {
  if (second.status === null) return false;
  if (first.status !== second.status) return true;
  return isHtmlType(first.contentType) && !isHtmlType(second.contentType);
}
