// The dns-name alternative of the server-name grammar (spec appendix "Server Name"), with DNS's own limits.

import { domainToASCII, domainToUnicode } from 'node:url';
import type { RuleFailure } from './types.js';
import { describeChar, quote } from './text.js';

/** The grammar's limit: `dns-name = 1*255dns-char`. */
export const MAX_DNS_NAME_LENGTH = 255;
/** RFC 1035 §2.3.4: a label is at most 63 octets. */
export const MAX_DNS_LABEL_LENGTH = 63;

/**
 * Validates a dns-name host. Returns `undefined` when valid, or the first rule it breaks.
 *
 * Decisions, where the spec leaves room:
 * - Characters: only ASCII letters, digits, `-` and `.` (the grammar's dns-char).
 * - Empty labels (leading dot, `..`) are rejected: no DNS name has them.
 * - A trailing dot (`matrix.org.`) is rejected although the grammar's character set allows it: the dotted
 *   and undotted names would be two different Matrix servers (IDs compare as strings) for one DNS host,
 *   TLS SNI forbids the trailing dot (RFC 6066 §3) and certificates never carry it. Synapse accepts it; the
 *   message tells the admin to drop the dot.
 * - Labels starting or ending with `-` are accepted (the grammar allows them and Synapse accepts them);
 *   `serverNameWarnings` flags them because RFC 952/1123 host names may not have them.
 * - `xn--` labels (any case) must be valid punycode that round-trips through IDNA (UTS #46, as Node's
 *   `url.domainToUnicode` / `domainToASCII` implement it).
 */
export function validateDnsName(host: string): RuleFailure | undefined {
  const bad = /[^A-Za-z0-9.-]/.exec(host);
  if (bad !== null) {
    return {
      rule: 'dns-invalid-character',
      message: `the host name ${quote(host)} contains ${describeChar(bad[0])} at position ${bad.index + 1}; host names may only contain the letters a-z, digits, '-' and '.'`,
    };
  }
  if (host.length > MAX_DNS_NAME_LENGTH) {
    return {
      rule: 'dns-too-long',
      message: `the host name is ${host.length} characters long; it may be at most ${MAX_DNS_NAME_LENGTH} (and the spec recommends keeping the whole server name within 230)`,
    };
  }
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? '';
    if (label !== '') continue;
    if (i === labels.length - 1 && labels.length > 1 && labels.slice(0, -1).every((l) => l !== '')) {
      return {
        rule: 'dns-trailing-dot',
        message: `the host name ${quote(host)} ends with a dot; remove it (use ${quote(host.slice(0, -1))}): Matrix compares server names as text, so the dotted form would be a different server, and TLS does not accept it`,
      };
    }
    const where = i === 0 ? 'starts with a dot' : 'has two dots in a row';
    return {
      rule: 'dns-empty-label',
      message: `the host name ${quote(host)} ${where}, leaving an empty label; every part between dots must have at least one character`,
    };
  }
  for (const label of labels) {
    if (label.length > MAX_DNS_LABEL_LENGTH) {
      return {
        rule: 'dns-label-too-long',
        message: `the part ${quote(label)} of the host name is ${label.length} characters long; each part between dots may be at most ${MAX_DNS_LABEL_LENGTH}`,
      };
    }
  }
  for (const label of labels) {
    if (label.slice(0, 4).toLowerCase() === 'xn--' && !isValidPunycodeLabel(label)) {
      return {
        rule: 'punycode-invalid',
        message: `the part ${quote(label)} starts with "xn--" but is not valid punycode; re-encode the internationalised name (for example with an IDNA converter) or fix the typo`,
      };
    }
  }
  return undefined;
}

/** True when an `xn--` label decodes to Unicode and encodes back to itself (ignoring ASCII case). */
function isValidPunycodeLabel(label: string): boolean {
  let decoded: string;
  let reencoded: string;
  try {
    decoded = domainToUnicode(label);
    if (decoded === '' || decoded.includes('.')) return false;
    reencoded = domainToASCII(decoded);
  } catch {
    return false;
  }
  return reencoded === label.toLowerCase();
}
