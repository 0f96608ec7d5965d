// Checks the http(s) URLs of the config (public_baseurl, default_identity_server, support_page).

import { configText } from './fields.js';
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
  const t = configText(issues);
  const shown = JSON.stringify(text);
  // `host:port` would parse as a URL whose scheme is the host, so a missing scheme is caught before parsing.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text) || (!text.includes('://') && /^[\w.-]+(:\d+)?(\/.*)?$/.test(text))) {
    const fix = /^[\w.-]+(:\d+)?(\/.*)?$/.test(text)
      ? t('url.addScheme', { url: text })
      : t('url.writeFull', { example: rule.example });
    issues.error(path, 'invalid-url', t('url.noSchemeProblem', { text: shown }), fix);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    issues.error(
      path,
      'invalid-url',
      t('url.invalidProblem', { text: shown }),
      t('url.writeFull', { example: rule.example }),
    );
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    issues.error(
      path,
      'invalid-url',
      t('url.schemeProblem', { text: shown, scheme: url.protocol.slice(0, -1) }),
      t('url.useHttps', { example: rule.example }),
    );
    return undefined;
  }
  if (!/^https?:\/\//i.test(text)) {
    // WHATWG URL parsing forgives `https:host` and `https:\\host`; clients reading the served text may not.
    issues.error(path, 'invalid-url', t('url.slashesProblem', { text: shown }), t('url.writeAs', { url: url.href }));
    return undefined;
  }
  if (url.hostname === '') {
    issues.error(
      path,
      'invalid-url',
      t('url.noHostProblem', { text: shown }),
      t('url.writeFull', { example: rule.example }),
    );
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    issues.error(path, 'invalid-url', t('url.userProblem', { text: shown }), t('url.userFix'));
    return undefined;
  }
  if (/\s/.test(text)) {
    issues.error(path, 'invalid-url', t('url.spaceProblem', { text: shown }), t('url.spaceFix'));
    return undefined;
  }
  if (rule.baseUrl && (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#'))) {
    issues.error(
      path,
      'invalid-url',
      t('url.queryProblem', { text: shown }),
      t('url.queryFix', { example: rule.example }),
    );
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    issues.warn(path, t('url.plainHttp', { text: shown }));
  }
  return text;
}

function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.startsWith('127.') || hostname === '[::1]'
  );
}
