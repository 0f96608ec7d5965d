// IPv4 and IPv6 literals of server names: validation (spec appendix "Server Name", RFC 4291 §2.2) and canonical forms.

import { MatrixDelegationError } from '../errors.js';
import type { RuleFailure } from './types.js';
import { quote } from './text.js';

/** Parsed IPv4 literal: the four octet values. */
export type IPv4Parse =
  { readonly ok: true; readonly octets: readonly number[] } | ({ readonly ok: false } & RuleFailure);

/** Parsed IPv6 literal: the eight 16-bit groups. */
export type IPv6Parse =
  { readonly ok: true; readonly words: readonly number[] } | ({ readonly ok: false } & RuleFailure);

/**
 * True when `text` has the shape of an IPv4 address: four dot-separated runs of digits.
 *
 * Why any number of digits and not the grammar's 1*3DIGIT: a name like `1.2.3.4444` or `1.2.3.300` would
 * otherwise fall through to the dns-name alternative, and many resolvers (getaddrinfo, inet_aton) read
 * all-numeric names as addresses anyway. The spec's intent is clearly an address, so it is validated as one.
 */
export function looksLikeIPv4(text: string): boolean {
  return /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(text);
}

/**
 * Validates a top-level IPv4 literal of a server name.
 *
 * Octets are read as *decimal* (never octal) and may carry leading zeros: the appendix grammar is
 * `1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`, so `01.2.3.4` is a valid server name and means
 * 1.2.3.4. Because other software reads leading zeros as octal, connect only to {@link normalizeIp}'s output,
 * and `serverNameWarnings` flags such names.
 */
export function parseIPv4Literal(text: string): IPv4Parse {
  if (!looksLikeIPv4(text)) {
    return { ok: false, rule: 'ipv4-octet-range', message: `${quote(text)} is not four dot-separated numbers` };
  }
  const parts = text.split('.');
  const octets: number[] = [];
  for (const part of parts) {
    if (part.length > 3) {
      return {
        ok: false,
        rule: 'ipv4-octet-range',
        message: `the IPv4 address ${quote(text)} has the part ${quote(part)} with more than 3 digits; each part must be a number from 0 to 255`,
      };
    }
    const value = Number(part);
    if (value > 255) {
      return {
        ok: false,
        rule: 'ipv4-octet-range',
        message: `the IPv4 address ${quote(text)} has the part ${part}, above 255; each part must be a number from 0 to 255`,
      };
    }
    octets.push(value);
  }
  return { ok: true, octets };
}

/**
 * An IPv4 address embedded at the end of an IPv6 address (`::ffff:1.2.3.4`). Stricter than the top-level
 * form: RFC 3986's dec-octet (no leading zeros), which is also what Node's `net.isIPv6` accepts, so the
 * address can be handed to Node unchanged.
 */
function parseEmbeddedIPv4(part: string): readonly number[] | undefined {
  const pieces = part.split('.');
  if (pieces.length !== 4) return undefined;
  const octets: number[] = [];
  for (const piece of pieces) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(piece)) return undefined;
    const value = Number(piece);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

function ipv6Failure(text: string, reason: string): { ok: false } & RuleFailure {
  return {
    ok: false,
    rule: 'ipv6-invalid',
    message: `[${text}] is not a valid IPv6 address: ${reason}. Write it in a standard form such as [2001:db8::1]`,
  };
}

/** Parses the groups of one side of `::` (or the whole address when there is none) into 16-bit words. */
function parseGroups(
  text: string,
  side: string,
  groups: readonly string[],
  ipv4AllowedLast: boolean,
): number[] | RuleFailure {
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? '';
    if (group === '') {
      return ipv6Failure(
        text,
        `${side} has an empty group (a single ':' at the start or end, or ':' twice where '::' was not meant)`,
      );
    }
    if (group.includes('.')) {
      if (!ipv4AllowedLast || i !== groups.length - 1) {
        return ipv6Failure(text, `an embedded IPv4 address (${quote(group)}) may only stand at the very end`);
      }
      const octets = parseEmbeddedIPv4(group);
      if (octets === undefined) {
        return ipv6Failure(
          text,
          `${quote(group)} is not a valid embedded IPv4 address (four numbers 0-255 without leading zeros)`,
        );
      }
      const [a = 0, b = 0, c = 0, d = 0] = octets;
      words.push((a << 8) | b, (c << 8) | d);
      continue;
    }
    if (group.length > 4) {
      return ipv6Failure(text, `the group ${quote(group)} has more than 4 hex digits`);
    }
    words.push(Number.parseInt(group, 16));
  }
  return words;
}

/**
 * Validates the text between the brackets of an IPv6 server name, accepting every RFC 4291 §2.2 text form:
 * full (`1:2:3:4:5:6:7:8`), zero-compressed (`::`, `::1`, `1::`, `1:2::3`), embedded IPv4
 * (`::ffff:1.2.3.4`, `::1.2.3.4`, `64:ff9b::192.0.2.1`), either case, 1-4 hex digits per group.
 *
 * Rejected with rule `ipv6-zone-id`: zone ids (`fe80::1%eth0`, meaningful only on one machine). Rejected with
 * `ipv6-invalid`: more than one `::`, groups over 4 hex digits, a wrong number of groups, empty groups, other
 * characters, an embedded IPv4 address that is not last or not a valid dotted quad.
 *
 * Hand-written (not ipaddr.js) because ipaddr.js accepts non-RFC forms such as zone ids and IPv4-style
 * shorthands, and this is Matrix input validation whose every branch the tests pin down.
 */
export function parseIPv6Literal(text: string): IPv6Parse {
  if (text === '') {
    return {
      ok: false,
      rule: 'ipv6-empty',
      message: 'the brackets are empty: put an IPv6 address between them, e.g. [2001:db8::1]',
    };
  }
  const percent = text.indexOf('%');
  if (percent >= 0) {
    return {
      ok: false,
      rule: 'ipv6-zone-id',
      message: `[${text}] has a zone id (${quote(text.slice(percent))}), which only means something on one machine and cannot be used in a server name: remove it`,
    };
  }
  const bad = /[^0-9A-Fa-f:.]/.exec(text);
  if (bad !== null) {
    if (!text.includes(':')) {
      return {
        ok: false,
        rule: 'ipv6-invalid',
        message: `[${text}] is not an IPv6 address: brackets are only for IPv6 addresses, write a host name without them (${quote(text)})`,
      };
    }
    return ipv6Failure(text, `${quote(bad[0])} is not allowed (only hex digits, ':' and '.')`);
  }
  const first = text.indexOf('::');
  if (first >= 0 && text.indexOf('::', first + 1) >= 0) {
    return ipv6Failure(text, "'::' may appear only once");
  }
  if (first < 0) {
    const words = parseGroups(text, 'the address', text.split(':'), true);
    if (!Array.isArray(words)) return { ok: false, ...words };
    if (words.length !== 8) {
      return ipv6Failure(
        text,
        `it has ${words.length} groups of 16 bits where 8 are needed (use '::' to stand for a run of zero groups)`,
      );
    }
    return { ok: true, words };
  }
  const headText = text.slice(0, first);
  const tailText = text.slice(first + 2);
  const head = parseGroups(text, 'the part before ::', headText === '' ? [] : headText.split(':'), false);
  if (!Array.isArray(head)) return { ok: false, ...head };
  const tail = parseGroups(text, 'the part after ::', tailText === '' ? [] : tailText.split(':'), true);
  if (!Array.isArray(tail)) return { ok: false, ...tail };
  // '::' stands for one or more zero groups (RFC 4291 §2.2 item 2), so at most 7 groups may be written.
  if (head.length + tail.length > 7) {
    return ipv6Failure(
      text,
      `it has ${head.length + tail.length} groups besides '::', but '::' must stand for at least one of the 8 groups`,
    );
  }
  const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
  return { ok: true, words: [...head, ...zeros, ...tail] };
}

/**
 * Writes eight 16-bit groups in RFC 5952 form: lowercase, no leading zeros, the longest run of two or more
 * zero groups (the first on ties) compressed to `::`. IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible
 * (`::a.b.c.d`, when the last two groups do not fit in one) addresses keep a dotted tail, exactly as Node
 * prints addresses (libuv's inet_ntop), so the result equals what Node reports for a socket.
 */
export function formatIPv6Words(words: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart + 1;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestLength < 2) bestStart = -1;
  const hex = (i: number): string => (words[i] ?? 0).toString(16);
  const dottedTail = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
  const groupCount = dottedTail ? 6 : 8;
  let out = '';
  for (let i = 0; i < groupCount; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLength - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += hex(i);
  }
  if (dottedTail) {
    const w6 = words[6] ?? 0;
    const w7 = words[7] ?? 0;
    if (!out.endsWith(':')) out += ':';
    out += `${w6 >> 8}.${w6 & 0xff}.${w7 >> 8}.${w7 & 0xff}`;
  }
  return out;
}

/**
 * The canonical address to connect to for an IP-literal host: dotted decimal for IPv4 (leading zeros
 * dropped, read as decimal), RFC 5952 for IPv6 (see {@link formatIPv6Words}).
 *
 * Server names compare as strings, so the parsed `host` keeps the text as written; use this wherever an
 * address is needed (sockets, address policy, the certificate's IP SAN).
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` when `host` is not a valid literal of that kind
 *   (programmer misuse: pass the `host` and `kind` of a parsed server name).
 * @example
 * ```ts
 * normalizeIp('2001:DB8:0:0:0:0:0:1', 'ipv6'); // '2001:db8::1'
 * normalizeIp('010.001.002.003', 'ipv4');      // '10.1.2.3'
 * ```
 */
export function normalizeIp(host: string, kind: 'ipv4' | 'ipv6'): string {
  if (kind === 'ipv4') {
    const parsed = parseIPv4Literal(host);
    if (!parsed.ok) throw new MatrixDelegationError('INVALID_ARGUMENT', `normalizeIp: ${parsed.message}`);
    return parsed.octets.join('.');
  }
  const parsed = parseIPv6Literal(host);
  if (!parsed.ok) throw new MatrixDelegationError('INVALID_ARGUMENT', `normalizeIp: ${parsed.message}`);
  return formatIPv6Words(parsed.words);
}
