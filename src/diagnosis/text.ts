// Small helpers the rules share: lists in plain words, certificate name matching, cleaning an "m.server" value.

import type { AddressReport, CertificateSummary } from '../check-report/index.js';
import { parseServerName } from '../server-name/index.js';
import type { Facts } from './facts.js';
import { needsSpace, zh } from '../i18n/zh-spacing.js';
import {
  DEFAULT_LOCALE,
  formattersFor,
  localize,
  type Catalogue,
  type Locale,
  type Translation,
} from '../i18n/index.js';

/** The words the shared helpers put into details and fixes, in English. */
const en = {
  addressOf: (p: { address: string; host: string }) => `${p.address} (${p.host})`,
  'faults.whiteSpace': 'white space',
  'faults.scheme': (p: { scheme: string }) => `a scheme ("${p.scheme}")`,
  'faults.path': (p: { path: string }) => `a path ("${p.path}")`,
  'faults.userInfo': (p: { userInfo: string }) => `user information ("${p.userInfo}")`,
  'faults.trailingDot': 'a trailing dot',
  example: (p: { document: string }) => `${p.document} (an example: put your homeserver's host and port)`,
} satisfies Catalogue;

/** The same words in Simplified Chinese. */
const zhCN: Translation<typeof en> = {
  addressOf: (p) => `${p.address}（${p.host}）`,
  'faults.whiteSpace': '空白字符',
  'faults.scheme': (p) => `协议前缀（“${p.scheme}”）`,
  'faults.path': (p) => `路径（“${p.path}”）`,
  'faults.userInfo': (p) => `用户信息（“${p.userInfo}”）`,
  'faults.trailingDot': '末尾的点',
  example: (p) => `${p.document}（仅为示例：请填写你的 homeserver 的主机名和端口）`,
};

/** The words of the shared helpers in every language (tested for completeness in test/i18n). */
export const TEXT_HELPER_TEXTS = { en, 'zh-CN': zhCN };

/**
 * The federation port servers fall back to (server-server API "Resolving server names", steps 3.5 and 6): what a hint
 * names when the report has no target to take a port from.
 */
export const SPEC_FEDERATION_PORT = 8448;

/**
 * "a", "a and b", "a, b and c", "a, b, c and 2 more"; in zh-CN "a、b 和 c", "a、b、c 等 5 项" (the language's list
 * through `Intl.ListFormat`, with a space between "和" and a Latin value, as the house style writes them).
 */
export function list(items: readonly string[], max = 4, locale: Locale = DEFAULT_LOCALE): string {
  if (items.length === 0) return '';
  if (locale !== 'en') {
    const format = formattersFor(locale);
    if (items.length > max) return zh`${items.slice(0, max).join('、')}等 ${format.number(items.length)} 项`;
    return spacedList(items, locale);
  }
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

const LIST_FORMATS = new Map<Locale, Intl.ListFormat>();

/** `Intl.ListFormat`'s list in `locale`, with a space where a Han word of the pattern meets a Latin value. */
function spacedList(items: readonly string[], locale: Locale): string {
  let format = LIST_FORMATS.get(locale);
  if (format === undefined) {
    format = new Intl.ListFormat(locale, { type: 'conjunction' });
    LIST_FORMATS.set(locale, format);
  }
  let out = '';
  for (const part of format.formatToParts(items)) {
    if (out !== '' && part.value !== '' && needsSpace(out.at(-1), part.value[0])) out += ' ';
    out += part.value;
  }
  return out;
}

/** `host:port`, IPv6 in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The well-known document with this `m.server`, written as an admin would put it in the file. */
export function serverDocument(mServer: string): string {
  return `{"m.server": ${JSON.stringify(mServer)}}`;
}

/** The names a certificate is valid for: DNS names then IP addresses of its subjectAltName. */
export function certificateNames(cert: CertificateSummary | undefined): string[] {
  if (cert === undefined) return [];
  return [...cert.dnsNames, ...cert.ipAddresses];
}

/** True when a certificate name (possibly `*.example.com`) covers `host` (RFC 6125: one leftmost label only). */
export function nameCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/**
 * How an address is reached, for details: `127.0.0.1:8448 (matrix.example.com)`. English: it takes only the address,
 * so that `.map(describeAddress)` keeps working; in a language, map with {@link describeAddressIn}.
 */
export function describeAddress(a: AddressReport): string {
  return describeAddressIn(DEFAULT_LOCALE)(a);
}

/**
 * {@link describeAddress} in `locale`, for `addresses.map(describeAddressIn(facts.locale))`: in zh-CN
 * `127.0.0.1:8448（matrix.example.com）`.
 */
export function describeAddressIn(locale: Locale): (a: AddressReport) => string {
  const t = localize(TEXT_HELPER_TEXTS, locale);
  return (a) => {
    const of = a.target.addressOf;
    return of !== null && of !== a.target.ip ? t('addressOf', { address: a.address, host: of }) : a.address;
  };
}

/** What is wrong with an invalid `m.server` (or server name) string, and the value it was probably meant to be. */
export interface CleanedServerName {
  /** Plain-words faults: `a scheme ("https://")`, `a path ("/")`, ... */
  readonly faults: readonly string[];
  /** The value without those faults, when it then passes the grammar; else null. */
  readonly cleaned: string | null;
  /** The value had an `https://` scheme (its author probably means port 443). */
  readonly hadHttpsScheme: boolean;
}

/**
 * Finds the usual mistakes in a server-name string: a scheme, a path, white space, a trailing dot; the faults in
 * `locale`'s words ['en'].
 */
export function cleanServerName(raw: string, locale: Locale = DEFAULT_LOCALE): CleanedServerName {
  const t = localize(TEXT_HELPER_TEXTS, locale);
  const faults: string[] = [];
  let value = raw;
  if (/\s/.test(value)) {
    faults.push(t('faults.whiteSpace'));
    value = value.replace(/\s+/g, '');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  const hadHttpsScheme = scheme?.[1]?.toLowerCase() === 'https';
  if (scheme !== null) {
    faults.push(t('faults.scheme', { scheme: scheme[0] }));
    value = value.slice(scheme[0].length);
  }
  const slash = value.search(/[/?#]/);
  if (slash >= 0) {
    faults.push(t('faults.path', { path: value.slice(slash) }));
    value = value.slice(0, slash);
  }
  const at = value.lastIndexOf('@');
  if (at >= 0) {
    faults.push(t('faults.userInfo', { userInfo: value.slice(0, at + 1) }));
    value = value.slice(at + 1);
  }
  const trailingDot = /^([^:[\]]+)\.(:\d+)?$/.exec(value);
  if (trailingDot !== null) {
    faults.push(t('faults.trailingDot'));
    value = `${trailingDot[1] ?? ''}${trailingDot[2] ?? ''}`;
  }
  const parsed = value === '' ? null : parseServerName(value);
  return { faults, cleaned: parsed?.ok === true ? value : null, hadHttpsScheme };
}

/**
 * The `m.server` value to suggest in a fix: what the evidence says works (a delegating document served elsewhere,
 * port 443 answering, a working address), else an example. `certain` is false for the example.
 */
export function suggestMServer(facts: Facts): { value: string; certain: boolean } {
  const elsewhere = facts.input.probes.wellKnownElsewhere.find((p) => p.status === 'delegated' && p.mServer !== null);
  if (elsewhere?.mServer) return { value: elsewhere.mServer, certain: true };
  const https = facts.input.probes.httpsPort;
  if (https?.ok === true) return { value: `${https.host}:${https.port}`, certain: true };
  // A working address reached by name and port (not through SRV, whose target's certificate may not fit).
  const working = facts.input.addresses.find((a) => a.ok && a.target.srv === null && a.target.sni !== null);
  if (working !== undefined) return { value: `${working.target.tlsServerName}:${working.target.port}`, certain: true };
  return { value: `matrix.${facts.host ?? 'example.com'}:443`, certain: false };
}

/** A value to put in a fix, said to be an example (in `locale` ['en']) when it is only one. */
export function suggestion(s: { value: string; certain: boolean }, locale: Locale = DEFAULT_LOCALE): string {
  return s.certain
    ? serverDocument(s.value)
    : localize(TEXT_HELPER_TEXTS, locale)('example', { document: serverDocument(s.value) });
}

// The `zh` template (spaces where Han meets Latin at a value) lives in i18n, below the catalogues that use it.
export { zh };

/** Clauses joined in `locale`: `a; b` in English, `a；b` in Chinese. */
export function joinClauses(items: readonly string[], locale: Locale = DEFAULT_LOCALE): string {
  return items.join(locale === 'zh-CN' ? '；' : '; ');
}

/** Sentences joined in `locale`: a space between them in English, nothing in Chinese (each ends with 。). */
export function joinSentences(items: readonly string[], locale: Locale = DEFAULT_LOCALE): string {
  return items.join(locale === 'zh-CN' ? '' : ' ');
}

/**
 * The values a text shows that a reader acts on: URLs, bracketed IPv6 and IPv4 addresses, host names (each with its
 * port), and numbers of two digits or more (ports, statuses, sizes). What must survive a translation.
 */
export function valuesOf(text: string): string[] {
  const pattern =
    /https?:\/\/[^\s"'，。；）]+|\[[0-9a-fA-F:.]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b[\w-]+(?:\.[\w-]+)+(?::\d+)?\b|\b\d{2,}\b/g;
  return [...new Set([...text.matchAll(pattern)].map((m) => m[0].replace(/[.:;,]+$/, '')))];
}

/**
 * Words of the report itself (a fetch's detail, a trace step's reason, an error message: English, as the report
 * keeps them) or their description in `locale` (e.g. from `describeWellKnown`), for a hint: the description when it
 * shows every value the English words show, except those in `shownAnyway` (which the hint's own text shows), else
 * the English words, so that no address, port or URL the admin needs is lost in translation. English: `english`.
 */
export function reportWords(
  english: string,
  described: string | null,
  locale: Locale,
  shownAnyway: readonly string[] = [],
): string {
  if (locale === 'en' || described === null) return english;
  const lost = valuesOf(english).filter((v) => !described.includes(v) && !shownAnyway.some((s) => s.includes(v)));
  return lost.length === 0 ? described : english;
}
