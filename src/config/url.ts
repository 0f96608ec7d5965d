// Checks the http(s) URLs of the config (public_baseurl, default_identity_server, support_page).

import type { ConfigIssues } from './issues.js';
import type { ConfigPathSegment } from './types.js';

/** What kind of URL a key holds, which decides the extra rules. */
export interface UrlRule {
  /** An example for the fix text. */
  readonly example: string;
  /**
   * Base URLs (homeserver, identity server) get paths appended by clients (`<base_url>/_matrix/...`, spec
   * client-server API "Well-known URIs"), so a query or fragment would end up in the middle of every request.
   */
  readonly baseUrl: boolean;
}

/**
 * Validates an absolute http(s) URL and returns the text as written (Synapse serves the configured text, not a
 * re-serialised URL), or undefined after recording an error. No user name or password: documents are public.
 */
export function checkHttpUrl(
  issues: ConfigIssues,
  path: readonly ConfigPathSegment[],
  text: string,
  rule: UrlRule,
): string | undefined {
  // `host:port` would parse as a URL whose scheme is the host, so a missing scheme is caught before parsing.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text) || (!text.includes('://') && /^[\w.-]+(:\d+)?(\/.*)?$/.test(text))) {
    const fix = /^[\w.-]+(:\d+)?(\/.*)?$/.test(text)
      ? `add the scheme: https://${text}`
      : `write a full URL, e.g. ${rule.example}`;
    issues.error(path, 'invalid-url', `${JSON.stringify(text)} is not an absolute URL (no http:// or https://)`, fix);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} is not a valid URL`,
      `write a full URL, e.g. ${rule.example}`,
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} uses the scheme ${url.protocol.slice(0, -1)}, not http or https`,
      `use an https:// URL, e.g. ${rule.example}`,
    );
    return undefined;
  }
  if (!/^https?:\/\//i.test(text)) {
    // WHATWG URL parsing forgives `https:host` and `https:\\host`; clients reading the served text may not.
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} does not start with http:// or https://`,
      `write it as ${url.href}`,
    );
    return undefined;
  }
  if (url.hostname === '') {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} has no host name`,
      `write a full URL, e.g. ${rule.example}`,
    );
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} contains a user name or password, which would be published in a public document`,
      'remove the "user:password@" part',
    );
    return undefined;
  }
  if (/\s/.test(text)) {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} contains white space`,
      'remove the spaces, or percent-encode them as %20',
    );
    return undefined;
  }
  if (rule.baseUrl && (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#'))) {
    issues.error(
      path,
      'invalid-url',
      `${JSON.stringify(text)} has a query or fragment; clients append API paths to a base URL`,
      `remove everything from "?" or "#" on, e.g. ${rule.example}`,
    );
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    issues.warn(
      path,
      `${JSON.stringify(text)} uses plain http; clients on https pages cannot use it and traffic is unencrypted: prefer https://`,
    );
  }
  return text;
}

function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.startsWith('127.') || hostname === '[::1]'
  );
}
