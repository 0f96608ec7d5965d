// serverNameWarnings(): advice about valid server names that are likely to cause trouble (spec appendix "Server Name").

import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.js';
import { localize } from '../i18n/messages.js';
import { formatIPv6Words, normalizeIp, parseIPv6Literal } from './ip-address.js';
import { formatServerName } from './format.js';
import { SERVER_NAME_WARNING_TEXTS } from './rule-texts.js';
import type { ServerName } from './types.js';

/** The spec's recommended maximum length of a server name. */
export const RECOMMENDED_MAX_SERVER_NAME_LENGTH = 230;

/**
 * Advisory notes about a valid server name, for checkers and config validation, in `locale` (English by default);
 * an empty array means nothing to say. None of these make the name invalid.
 *
 * Flags: a name longer than the spec's recommended 230 characters; uppercase letters in a DNS name (DNS,
 * SNI and certificates ignore case, Matrix IDs do not); IPv4 octets with leading zeros (read as octal by
 * some software); IPv6 text not in RFC 5952 form; labels starting or ending with `-` (not valid host names
 * under RFC 952/1123); an all-numeric last label (resolvers may read the name as an address).
 *
 * @example
 * ```ts
 * serverNameWarnings({ host: 'Matrix.org', kind: 'dns' });
 * // ['the host name "Matrix.org" has uppercase letters: ...']
 * ```
 */
export function serverNameWarnings(name: ServerName, locale: Locale = DEFAULT_LOCALE): string[] {
  const t = localize(SERVER_NAME_WARNING_TEXTS, locale);
  const warnings: string[] = [];
  const text = formatServerName(name);
  if (text.length > RECOMMENDED_MAX_SERVER_NAME_LENGTH) {
    warnings.push(t('tooLong', { length: text.length, max: RECOMMENDED_MAX_SERVER_NAME_LENGTH }));
  }
  if (name.kind === 'dns') {
    if (/[A-Z]/.test(name.host)) {
      warnings.push(
        t('uppercase', { host: JSON.stringify(name.host), lower: JSON.stringify(name.host.toLowerCase()) }),
      );
    }
    const labels = name.host.split('.');
    const hyphenated = labels.filter((label) => label.startsWith('-') || label.endsWith('-'));
    if (hyphenated.length > 0) {
      warnings.push(t('hyphens', { labels: hyphenated.map((l) => JSON.stringify(l)).join(', ') }));
    }
    const last = labels[labels.length - 1] ?? '';
    if (/^[0-9]+$/.test(last)) {
      warnings.push(t('numericLast', { label: JSON.stringify(last) }));
    }
  } else if (name.kind === 'ipv4') {
    if (name.host.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'))) {
      warnings.push(t('ipv4Zeros', { address: JSON.stringify(name.host), canonical: normalizeIp(name.host, 'ipv4') }));
    }
  } else {
    const parsed = parseIPv6Literal(name.host);
    if (parsed.ok) {
      const canonical = formatIPv6Words(parsed.words);
      if (canonical !== name.host) {
        warnings.push(t('ipv6Form', { address: name.host, canonical }));
      }
    }
  }
  return warnings;
}
