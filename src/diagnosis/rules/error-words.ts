// A report's error sentence (a connection's, a DNS lookup's, a well-known fetch's, a body's) said again in a language.

import { CHECKER_ERROR_TEXTS } from '../../check-report/checker-error-texts.js';
import { DNS_ERROR_TEXTS } from '../../dns/dns-error-texts.js';
import type { ErrorCode } from '../../errors.js';
import type { Catalogue, Locale, Translations } from '../../i18n/index.js';
import { NET_ERROR_TEXTS } from '../../net/net-error-texts.js';
import { errorCodeWords } from '../../resolver/describe.js';
import { RESOLVE_ERROR_TEXTS } from '../../resolver/resolve-error-texts.js';
import { WELL_KNOWN_ERROR_TEXTS } from '../../well-known/well-known-error-texts.js';
import { reportWords } from '../text.js';
import { cutWords, isCut } from './cut-words.js';
import { isJsonType } from './document-problems-texts.js';
import { policyReasonWords } from './policy-words.js';
import {
  sayAgain,
  sentenceReader,
  unreadWords,
  type PlaceholderNames,
  type ReadBack,
  type SentenceReader,
} from './read-back.js';

type Names<C extends Catalogue> = { readonly [K in keyof C]: PlaceholderNames<C[K]> };

/** One catalogue of sentences, its reader, and the keys of its catch-all forms (tried after every specific one). */
interface Family<C extends Catalogue> {
  readonly texts: Translations<C>;
  readonly read: SentenceReader<C>;
  readonly keys: readonly (keyof C & string)[];
  readonly last: readonly (keyof C & string)[];
}

function family<C extends Catalogue>(
  texts: Translations<C>,
  names: Names<C>,
  last: readonly (keyof C & string)[],
): Family<C> {
  const keys = (Object.keys(names) as (keyof C & string)[]).filter((k) => !last.includes(k));
  return { texts, read: sentenceReader(texts.en, names), keys, last };
}

const NET = family(
  NET_ERROR_TEXTS,
  {
    tcpTimeout: ['address', 'ms'],
    tlsTimeout: ['address', 'ms'],
    aborted: [],
    noAddressAllowed: ['reasons'],
    noAddress: [],
    probeDenied: ['address', 'reasons'],
    probeHandshakeTimeout: ['address', 'ms'],
    probeTcpTimeout: ['address', 'ms'],
    probeClosed: ['address'],
    certificateUnreadable: ['address', 'system'],
    noCertificate: [],
    notValidFor: ['name', 'inner'],
    portUnusable: ['address', 'port'],
    bodyNotUtf8: [],
    bodyEmpty: [],
    bodyNotJson: ['parser'],
    bodyTooLarge: ['max'],
    operationTimeout: ['ms'],
    systemAt: ['address', 'system'],
  },
  ['systemAt'],
);

const DNS = family(
  DNS_ERROR_TEXTS,
  {
    nxdomain: ['name'],
    nodata: ['name', 'rrtype'],
    servfail: ['server', 'name', 'rrtype'],
    rcode: ['server', 'rcode', 'name', 'rrtype'],
    timeout: ['name', 'rrtype', 'ms'],
    aborted: ['name', 'rrtype'],
    cnameLoop: ['name', 'target'],
    cnameTooLong: ['name', 'max'],
    malformedRecord: ['rrtype', 'name', 'inner'],
    recordNotAddress: [],
    recordNotSrv: [],
    recordNoTarget: [],
    referral: ['name', 'rrtype'],
    noServer: ['system'],
    malformedResponse: ['system'],
    udp: ['system'],
    udpSend: ['system'],
    tcp: ['system'],
    serverFailed: ['server', 'inner'],
  },
  ['serverFailed'],
);

const WELL_KNOWN = family(
  WELL_KNOWN_ERROR_TEXTS,
  {
    noLocation: ['url', 'status'],
    badLocation: ['url', 'location'],
    plainRedirect: ['url', 'next'],
    redirectLoop: ['url', 'next'],
    tooManyRedirects: ['count', 'next'],
    answered: ['url', 'status'],
    budget: ['ms'],
    budgetAt: ['inner', 'url'],
    tooLarge: ['url', 'max'],
    blocked: ['url', 'host', 'reasons'],
    noRecords: ['host'],
    noRecordsBecause: ['host', 'code', 'inner'],
    lookupFailed: ['host', 'code', 'inner'],
    serverError: ['url', 'status'],
    notFound: ['url'],
    status: ['url', 'status'],
    bom: [],
    notUtf8: [],
    empty: [],
    notJson: ['parser'],
    notObject: ['type'],
    noMServer: [],
    mServerNotString: ['type'],
    mServerInvalid: ['inner'],
    failedAt: ['url', 'inner'],
  },
  ['failedAt'],
);

const RESOLVE = family(
  RESOLVE_ERROR_TEXTS,
  {
    addressLookupFailed: ['host', 'inner'],
    srvLookupFailed: ['srvName', 'inner'],
    srvUnavailable: ['srvName'],
    denied: ['addresses'],
    noTargets: [],
    wellKnownStopped: ['inner'],
    budget: ['ms'],
  },
  [],
);

const CHECKER = family(
  CHECKER_ERROR_TEXTS,
  {
    targetFailed: ['address', 'step', 'name', 'inner'],
    addressTimedOut: ['address', 'inner'],
    budgetExpired: ['ms'],
  },
  ['addressTimedOut'],
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- families of different catalogues, read alike
const FAMILIES: readonly Family<any>[] = [CHECKER, RESOLVE, WELL_KNOWN, DNS, NET];

/** An IP address, bracketed or not, with or without a port: what a connection's or DNS server's sentence starts with. */
const ADDRESS = /^(?:\[[0-9a-f:.]+\]|[0-9a-f]*:[0-9a-f:.]+|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?$/i;
/** An absolute http(s) URL without spaces. */
const URL_SHAPE = /^https?:\/\/\S+$/;

/** What each kind of value looks like (by placeholder name): a form reads only sentences whose values fit. */
const SHAPES: Readonly<Record<string, RegExp>> = {
  url: URL_SHAPE,
  next: URL_SHAPE,
  address: ADDRESS,
  server: ADDRESS,
  status: /^\d{3}$/,
  ms: /^\d+$/,
  max: /^\d+$/,
  count: /^\d+$/,
  port: /^\d+$/,
  code: /^[A-Z][A-Z0-9_]*$/,
  host: /^\S+$/,
  name: /^\S+$/,
  srvName: /^\S+$/,
  target: /^\S+$/,
  rrtype: /^[A-Z0-9]+$/,
  rcode: /^[A-Z0-9]+$/,
  step: /^\d(?:\.\d)?$/,
};

/** The DNS transport's sentences, which alone follow a DNS server's address (`127.0.0.1:53: UDP: ...`). */
const TRANSPORT = /^(?:malformed DNS response|UDP|UDP send|TCP): /;

/** True when every value read has the shape of its kind, so that a form reads only what it was written for. */
function plausible(read: ReadBack<Catalogue>): boolean {
  for (const [name, value] of Object.entries(read.params)) {
    const shape = SHAPES[name];
    if (shape !== undefined && !shape.test(value)) return false;
  }
  if (read.key === 'serverFailed') return TRANSPORT.test(read.params['inner'] ?? '');
  // `<address>: <inner>` is the checker's only when `inner` is its budget's sentence (else Node's words: systemAt).
  if (read.key === 'addressTimedOut') return CHECKER.read(read.params['inner'] ?? '', ['budgetExpired']) !== null;
  return true;
}

/** Node's (or OpenSSL's) words for a failure, told by the error code they carry when the report gives none. */
const SYSTEM_CODES: readonly (readonly [RegExp, ErrorCode])[] = [
  [/ECONNREFUSED/, 'CONNECT_REFUSED'],
  [/EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|ENETDOWN|EHOSTDOWN/, 'CONNECT_UNREACHABLE'],
  [/ETIMEDOUT|Connect Timeout/i, 'CONNECT_TIMEOUT'],
  [/ECONNRESET|socket hang up|other side closed/i, 'CONNECTION_RESET'],
  [/altnames|does not match certificate/i, 'TLS_NAME_MISMATCH'],
  [/certificate has expired/i, 'TLS_EXPIRED'],
  [/certificate is not yet valid/i, 'TLS_NOT_YET_VALID'],
  [/self[- ]signed certificate/i, 'TLS_SELF_SIGNED'],
  [/unable to verify the first certificate|unable to get (?:local )?issuer/i, 'TLS_INCOMPLETE_CHAIN'],
  [/SSL routines|\bTLS\b|\bSSL\b/i, 'TLS_ERROR'],
];

/** The Chinese name of what a system text says, from the report's code, else the code Node's words carry. */
function systemPhrase(code: string | null, text: string, locale: Locale): string | null {
  const known = code !== null && /^(?:CONNECT|CONNECTION|TLS|DNS)_|^(?:TIMEOUT|BODY_TOO_LARGE)$/.test(code);
  const found = known ? (code as ErrorCode) : (SYSTEM_CODES.find(([pattern]) => pattern.test(text))?.[1] ?? null);
  return found === null ? null : errorCodeWords(found, locale);
}

/** The marker of text that is not ours (Node's, OpenSSL's, V8's, a remote server's), quoted as it is. */
const SYSTEM_MARK = { 'zh-CN': '系统原文' } as const;

/** Text that is not ours, in `locale`: what happened (from the code), then the original marked (`（系统原文：...）`). */
export function systemWords(code: string | null, text: string, locale: Locale): string {
  if (locale === 'en') return text;
  const phrase = systemPhrase(code, text, locale);
  return `${phrase ?? ''}（${SYSTEM_MARK[locale]}：${text}）`;
}

/** Reads one sentence with every form, the specific ones first. */
function readSentence(message: string): { family: Family<Catalogue>; read: ReadBack<Catalogue> } | null {
  for (const pass of ['keys', 'last'] as const) {
    for (const f of FAMILIES as readonly Family<Catalogue>[]) {
      for (const key of f[pass]) {
        const read = f.read(message, [key]);
        if (read !== null && plausible(read)) return { family: f, read };
      }
    }
  }
  return null;
}

const MAX_DEPTH = 6;

/** The values read, each said as its placeholder's role asks (nested sentences in turn, system text marked). */
function sayValues(read: ReadBack<Catalogue>, code: string | null, locale: Locale, depth: number): ReadBack<Catalogue> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(read.params)) {
    if (name === 'inner') params[name] = said(code, value, locale, depth + 1) ?? systemWords(code, value, locale);
    else if (name === 'system') params[name] = systemWords(code, value, locale);
    else if (name === 'parser') params[name] = `（${SYSTEM_MARK[locale as 'zh-CN']}：${value}）`;
    else if (name === 'reasons') params[name] = policyReasonWords(value, locale) ?? unreadWords(value, locale);
    else if (name === 'type') params[name] = isJsonType(value).slice(1);
    else params[name] = value;
  }
  return { key: read.key, params };
}

function said(code: string | null, message: string, locale: Locale, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  const found = readSentence(message);
  if (found !== null) return sayAgain(found.family.texts, locale, sayValues(found.read, code, locale, depth));
  // A failure with its code after it (`<sentence> (CONNECT_REFUSED)`, as the client settings check writes it).
  const coded = /^([\s\S]+) \(([A-Z][A-Z0-9_]+)\)$/.exec(message);
  if (coded?.[1] !== undefined && coded[2] !== undefined) {
    const inner = said(coded[2], coded[1], locale, depth + 1);
    if (inner !== null) return `${inner}（${coded[2]}）`;
  }
  return null;
}

/**
 * A report's error sentence in `locale`, or null when no form of ours writes it (English: the sentence itself). The
 * sentence is read back through the catalogues of the modules that write it (src/net, src/dns, src/well-known,
 * src/resolver), nested sentences (`<url>: <inner>`, `address lookup of X failed: <inner>`) in turn; Node's,
 * OpenSSL's and the JSON parser's words inside it are kept as they are, marked 系统原文, after what they mean.
 *
 * @example
 * ```ts
 * readErrorWords('DNS_NXDOMAIN', 'lk.example.org does not exist (NXDOMAIN)', 'zh-CN'); // 'lk.example.org 不存在（NXDOMAIN）'
 * ```
 */
export function readErrorWords(code: string | null, message: string, locale: Locale): string | null {
  if (locale === 'en') return message;
  return said(code, message, locale, 0);
}

/**
 * A report's error sentence in `locale` (see {@link readErrorWords}); a sentence no form reads is taken for a
 * system's text: what the code means, then the text as it is, marked (`连接被拒绝（系统原文：connect ECONNREFUSED
 * 192.0.2.1:8448）`). English: the message unchanged.
 *
 * @example
 * ```ts
 * errorWords('CONNECT_REFUSED', '192.0.2.1: connect ECONNREFUSED 192.0.2.1:8448', 'zh-CN');
 * // '192.0.2.1：连接被拒绝（系统原文：connect ECONNREFUSED 192.0.2.1:8448）'
 * ```
 */
export function errorWords(code: string | null, message: string, locale: Locale): string {
  if (locale === 'en') return message;
  const read = said(code, message, locale, 0);
  if (read !== null) return read;
  // A sentence cut by the report's bounds cannot be read back: it is ours (a system's text is never that long), so it
  // is shown as the check's words, its cut marker said in the hint's language.
  if (isCut(message)) return unreadWords(cutWords(message, locale), locale);
  return systemWords(code, message, locale);
}

/**
 * A report's words for a hint (see `reportWords`): the description in `locale` when it keeps every value the English
 * words show, else the English words said again through {@link errorWords}, so that no value is lost and no English
 * sentence of ours is left in a Chinese hint. English: `english`.
 */
export function reportErrorWords(
  english: string,
  described: string | null,
  code: string | null,
  locale: Locale,
  shownAnyway: readonly string[] = [],
): string {
  const words = reportWords(english, described, locale, shownAnyway);
  return locale === 'en' || words !== english ? words : errorWords(code, english, locale);
}
