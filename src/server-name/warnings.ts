// serverNameWarnings(): advice about valid server names that are likely to cause trouble (spec appendix "Server Name").

import { formatIPv6Words, normalizeIp, parseIPv6Literal } from './ip-address.js';
import { formatServerName } from './format.js';
import type { ServerName } from './types.js';

/** The spec's recommended maximum length of a server name. */
export const RECOMMENDED_MAX_SERVER_NAME_LENGTH = 230;

/**
 * Advisory notes about a valid server name, for checkers and config validation; an empty array means
 * nothing to say. None of these make the name invalid.
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
export function serverNameWarnings(name: ServerName): string[] {
  const warnings: string[] = [];
  const text = formatServerName(name);
  if (text.length > RECOMMENDED_MAX_SERVER_NAME_LENGTH) {
    warnings.push(
      `the server name is ${text.length} characters long; the spec recommends at most ${RECOMMENDED_MAX_SERVER_NAME_LENGTH} so that IDs built from it stay within their length limits`,
    );
  }
  if (name.kind === 'dns') {
    if (/[A-Z]/.test(name.host)) {
      warnings.push(
        `the host name ${JSON.stringify(name.host)} has uppercase letters: DNS and TLS ignore case, but Matrix compares server names as text, so ${JSON.stringify(name.host.toLowerCase())} would be a different server; prefer lowercase`,
      );
    }
    const labels = name.host.split('.');
    const hyphenated = labels.filter((label) => label.startsWith('-') || label.endsWith('-'));
    if (hyphenated.length > 0) {
      warnings.push(
        `the host name has parts that start or end with '-' (${hyphenated.map((l) => JSON.stringify(l)).join(', ')}); the Matrix grammar allows it, but such names are not valid DNS host names and may not resolve or get a certificate`,
      );
    }
    const last = labels[labels.length - 1] ?? '';
    if (/^[0-9]+$/.test(last)) {
      warnings.push(
        `the last part of the host name (${JSON.stringify(last)}) is all digits; no top-level domain is, and some resolvers read such names as IP addresses`,
      );
    }
  } else if (name.kind === 'ipv4') {
    if (name.host.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'))) {
      warnings.push(
        `the IPv4 address ${JSON.stringify(name.host)} has leading zeros, which some software reads as octal; write it as ${normalizeIp(name.host, 'ipv4')}`,
      );
    }
  } else {
    const parsed = parseIPv6Literal(name.host);
    if (parsed.ok) {
      const canonical = formatIPv6Words(parsed.words);
      if (canonical !== name.host) {
        warnings.push(
          `the IPv6 address [${name.host}] is not in its canonical form [${canonical}] (RFC 5952); Matrix compares server names as text, so other servers may know it by the other spelling`,
        );
      }
    }
  }
  return warnings;
}
