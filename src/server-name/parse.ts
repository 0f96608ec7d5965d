// parseServerName(): the server-name grammar of the spec appendix "Server Name", with a reason for every rejection.

import { domainToASCII } from 'node:url';
import { MatrixDelegationError } from '../errors.js';
import { validateDnsName } from './dns-name.js';
import { looksLikeIPv4, parseIPv4Literal, parseIPv6Literal } from './ip-address.js';
import { describeChar, quote } from './text.js';
import type { RuleFailure, ServerName, ServerNameResult } from './types.js';

/** The grammar's `port = 1*5DIGIT`. */
const MAX_PORT_DIGITS = 5;

/**
 * Parses and validates a Matrix server name (`hostname [ ":" port ]`, spec appendix "Server Name").
 * Never throws, whatever the string.
 *
 * - `hostname` is an IPv4 literal (`1.2.3.4`), an IPv6 literal in brackets (`[2001:db8::1]`, returned
 *   without brackets) or a DNS name; `host` keeps the text as written (no lowercasing: server names are
 *   case-sensitive identifiers).
 * - `port` must be 1-65535 and at most 5 digits (the grammar's `1*5DIGIT`; leading zeros are allowed).
 * - IPv4 octets may have leading zeros and are read as decimal; four dot-separated numbers with an octet
 *   above 255 (or over 3 digits) are rejected rather than taken as a DNS name.
 * - DNS names: see `validateDnsName` for the decisions on trailing dots (rejected), leading/trailing
 *   hyphens (accepted), label and total length and punycode.
 *
 * @example
 * ```ts
 * parseServerName('matrix.org:8448');
 * // { ok: true, value: { host: 'matrix.org', kind: 'dns', port: 8448 } }
 * parseServerName('[1234:5678::abcd]');
 * // { ok: true, value: { host: '1234:5678::abcd', kind: 'ipv6' } }
 * parseServerName('localhost:http');
 * // { ok: false, error: { code: 'INVALID_SERVER_NAME', rule: 'port-not-numeric', message: '...', input: 'localhost:http' } }
 * ```
 */
export function parseServerName(input: string): ServerNameResult {
  const outcome = parse(input);
  if ('rule' in outcome) {
    return { ok: false, error: { code: 'INVALID_SERVER_NAME', rule: outcome.rule, message: outcome.message, input } };
  }
  return { ok: true, value: outcome };
}

/**
 * Like {@link parseServerName}, for callers whose input must already be valid (configuration, CLI
 * arguments): returns the parsed name or throws.
 *
 * @throws MatrixDelegationError `INVALID_SERVER_NAME`, with `detail: { rule, input }`.
 * @example
 * ```ts
 * const name = parseServerNameOrThrow('example.org:8448'); // { host: 'example.org', kind: 'dns', port: 8448 }
 * ```
 */
export function parseServerNameOrThrow(input: string): ServerName {
  const result = parseServerName(input);
  if (!result.ok) {
    const { rule, message } = result.error;
    throw new MatrixDelegationError('INVALID_SERVER_NAME', message, { detail: { rule, input } });
  }
  return result.value;
}

function parse(input: string): ServerName | RuleFailure {
  if (input === '') {
    return {
      rule: 'empty',
      message:
        'the server name is empty: give a host name such as example.org, optionally with a port (example.org:8448)',
    };
  }
  const characterProblem = checkCharacters(input);
  if (characterProblem !== undefined) return characterProblem;

  if (input.startsWith('[')) return parseBracketed(input);
  const bracket = /[[\]]/.exec(input);
  if (bracket !== null) {
    return {
      rule: 'ipv6-misplaced-bracket',
      message: `${quote(input)} has ${quote(bracket[0])} at position ${bracket.index + 1}; brackets may only enclose an IPv6 address at the start of a server name, as in [2001:db8::1]:8448`,
    };
  }

  const firstColon = input.indexOf(':');
  if (firstColon >= 0 && input.indexOf(':', firstColon + 1) >= 0) {
    // A bare IPv6 address is the usual cause: suggest the bracketed form when it is one.
    if (parseIPv6Literal(input).ok) {
      return {
        rule: 'ipv6-missing-brackets',
        message: `${quote(input)} is an IPv6 address, which must be written in square brackets in a server name: use ${quote(`[${input}]`)} (and [${input}]:port for a port)`,
      };
    }
    return {
      rule: 'too-many-colons',
      message: `${quote(input)} has more than one ':'; a server name has at most one, before the port (example.org:8448), and an IPv6 address must be written in brackets ([2001:db8::1]:8448)`,
    };
  }

  const host = firstColon >= 0 ? input.slice(0, firstColon) : input;
  if (host === '') {
    return {
      rule: 'host-empty',
      message: `${quote(input)} has no host before the ':'; write the host name first, as in example.org${input}`,
    };
  }
  const hostValue = parseUnbracketedHost(host);
  if ('rule' in hostValue) return hostValue;
  if (firstColon < 0) return hostValue;
  const port = parsePort(input.slice(firstColon + 1), input);
  if (typeof port !== 'number') return port;
  return { ...hostValue, port };
}

/** `"[" IPv6address "]" [ ":" port ]`. */
function parseBracketed(input: string): ServerName | RuleFailure {
  const close = input.indexOf(']');
  if (close < 0) {
    return {
      rule: 'ipv6-unclosed-bracket',
      message: `${quote(input)} opens a '[' that is never closed; write an IPv6 address as [2001:db8::1], with the port after the ']'`,
    };
  }
  const inner = input.slice(1, close);
  const rest = input.slice(close + 1);
  if (inner.includes('[')) {
    return {
      rule: 'ipv6-misplaced-bracket',
      message: `${quote(input)} has a second '[' inside the brackets; write an IPv6 address as [2001:db8::1]`,
    };
  }
  if (inner !== '' && /^[0-9.]+$/.test(inner) && inner.includes('.')) {
    return {
      rule: 'ipv4-in-brackets',
      message: `${quote(input)} puts an IPv4 address in brackets; brackets are only for IPv6, write it without them: ${quote(inner + rest)}`,
    };
  }
  const address = parseIPv6Literal(inner);
  if (!address.ok) return { rule: address.rule, message: address.message };
  const host: ServerName = { host: inner, kind: 'ipv6' };
  if (rest === '') return host;
  if (!rest.startsWith(':')) {
    return {
      rule: 'ipv6-trailing-characters',
      message: `${quote(input)} has ${quote(rest)} after the closing ']'; only a port may follow, as in [${inner}]:8448`,
    };
  }
  const port = parsePort(rest.slice(1), input);
  if (typeof port !== 'number') return port;
  return { ...host, port };
}

/** An IPv4 literal or a dns-name (the input has no brackets and at most one colon, already split off). */
function parseUnbracketedHost(host: string): ServerName | RuleFailure {
  if (looksLikeIPv4(host)) {
    const address = parseIPv4Literal(host);
    if (!address.ok) return { rule: address.rule, message: address.message };
    return { host, kind: 'ipv4' };
  }
  const failure = validateDnsName(host);
  return failure ?? { host, kind: 'dns' };
}

/** `port = 1*5DIGIT`, and 1-65535 (the ABNF alone would allow 0 and 99999). */
function parsePort(text: string, input: string): number | RuleFailure {
  if (text === '') {
    return {
      rule: 'port-empty',
      message: `${quote(input)} ends with ':' but no port; add the port number (e.g. :8448) or remove the ':'`,
    };
  }
  if (!/^[0-9]+$/.test(text)) {
    return {
      rule: 'port-not-numeric',
      message: `the port ${quote(text)} is not a number; a port is written with digits only (e.g. :8448), not a service name or sign`,
    };
  }
  if (text.length > MAX_PORT_DIGITS) {
    return {
      rule: 'port-too-long',
      message: `the port ${quote(text)} has more than ${MAX_PORT_DIGITS} digits; use a port from 1 to 65535`,
    };
  }
  const port = Number(text);
  if (port < 1 || port > 65535) {
    return { rule: 'port-range', message: `the port ${port} is out of range; use a port from 1 to 65535` };
  }
  return port;
}

/**
 * Rejects white space, control characters and non-ASCII before any structure is looked at, so the message
 * names the real problem (a pasted line break, an internationalised name) rather than a grammar symptom.
 */
function checkCharacters(input: string): RuleFailure | undefined {
  let position = 0;
  for (const char of input) {
    position++;
    if (/^\s$/u.test(char)) {
      // Suggest the trimmed name only when the white space was all at the ends (no recursion on inner space).
      const trimmed = input.trim();
      const suggestion =
        trimmed !== '' && !/\s/u.test(trimmed) && !('rule' in parse(trimmed))
          ? ` (did you mean ${quote(trimmed)}?)`
          : '';
      return {
        rule: 'whitespace',
        message: `${quote(input)} contains ${describeChar(char)} at position ${position}; server names cannot contain spaces or line breaks, which often come from copy and paste: remove it${suggestion}`,
      };
    }
    if (/^\p{Cc}$/u.test(char)) {
      return {
        rule: 'control-character',
        message: `${quote(input)} contains the control character ${describeChar(char)} at position ${position}; remove it`,
      };
    }
  }
  position = 0;
  for (const char of input) {
    position++;
    if (char.charCodeAt(0) > 0x7e) {
      return {
        rule: 'non-ascii',
        message: `${quote(input)} contains the non-ASCII character ${describeChar(char)} at position ${position}; internationalised names must be written in punycode: ${punycodeSuggestion(input)}`,
      };
    }
  }
  return undefined;
}

/** "use xn--..." with the converted name when `url.domainToASCII` can convert it into a valid server name. */
function punycodeSuggestion(input: string): string {
  // Keep an explicit port out of the IDNA conversion, which would reject or mangle it.
  const portMatch = /:([0-9]+)$/.exec(input);
  const hostPart = portMatch === null ? input : input.slice(0, portMatch.index);
  let ascii = '';
  try {
    ascii = domainToASCII(hostPart);
  } catch {
    ascii = '';
  }
  const candidate = ascii === '' ? '' : `${ascii}${portMatch === null ? '' : portMatch[0]}`;
  if (candidate !== '' && /^[\x21-\x7e]+$/.test(candidate) && !('rule' in parse(candidate))) {
    return `use ${quote(candidate)}`;
  }
  return 'this name could not be converted automatically (check it for typos or characters not allowed in host names), then write it as xn--...';
}
