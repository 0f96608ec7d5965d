// Any sentence of a check report (an error, a key or document problem, an endpoint's answer) said in a language.

import type { CheckReport } from '../check-report/index.js';
import { CHECKER_VERSION_TEXTS } from '../check-report/checker-error-texts.js';
import { localize, type Locale } from '../i18n/index.js';
import { REMOTE_TEXT_LIMITS, boundRemoteText } from '../remote-text.js';
import { readClientSettingProblem, CLIENT_SETTING_PROBLEM_TEXTS } from './rules/client-settings-texts.js';
import { documentProblemWords } from './rules/document-words.js';
import { cutWords } from './rules/cut-words.js';
import { errorWords } from './rules/error-words.js';
import { keyProblemWords } from './rules/key-problem-words.js';
import { sayAgain, unreadWords } from './rules/read-back.js';
import { trustProblemWords } from './rules/tls-texts.js';

/**
 * What a report sentence is, which decides the reader that reads it back:
 * - `error`: a connection's, TLS handshake's, certificate name's, DNS lookup's, well-known fetch's, body's or
 *   resolution's error sentence (`errorWords`);
 * - `trust`: an untrusted chain (`TlsReport.trustError`, read by trust code);
 * - `version`, `keys`: what the version or key endpoint answered, and the key checks' problems (`keyProblemWords`);
 * - `client`, `support`: a problem of the client or support document (a base URL's error too);
 * - `settings`: a problem of the client settings check;
 * - `check`: the checker's own `version.error` sentences (`no address answered`, `failed`: checker-error-texts.ts).
 */
export type ReportSentenceKind = 'error' | 'trust' | 'version' | 'keys' | 'client' | 'support' | 'settings' | 'check';

/** A document problem in `locale`: read back by its code, else the check's words, marked. */
function documentWords(
  kind: 'client' | 'support',
  code: string,
  message: string,
  cause: string | null,
  locale: Locale,
): string {
  return documentProblemWords(kind, code, message, cause, locale) ?? unreadWords(message, locale);
}

/**
 * A sentence of a check report in `locale`: read back through the readers of the hints (the catalogue beside the
 * module that writes it) and said again with the same values. English: `message` unchanged. A sentence of ours that
 * no form reads (cut by the report's bounds, worded by another version) is shown as it is, marked 检查结果（原文）;
 * a system's words (Node's, OpenSSL's, a parser's) are said by their code and quoted, marked 系统原文 (`errorWords`);
 * the report's cut markers in it are said in the language (`cutWords`).
 * `cause` is a document problem's network code (`DocumentProblem.cause`), for the fetch error nested in it.
 *
 * @example
 * ```ts
 * reportSentenceWords('error', 'CONNECT_REFUSED', '192.0.2.1: connect ECONNREFUSED 192.0.2.1:8448', 'zh-CN');
 * // '192.0.2.1：连接被拒绝（系统原文：connect ECONNREFUSED 192.0.2.1:8448）'
 * ```
 */
export function reportSentenceWords(
  kind: ReportSentenceKind,
  code: string | null,
  message: string,
  locale: Locale,
  cause: string | null = null,
): string {
  if (locale === 'en') return message;
  // A value (or the whole sentence) cut by the report's bounds: its marker said in the language, as in the hints.
  return cutWords(sentenceWords(kind, code, message, locale, cause), locale);
}

/** The checker's sentences without values that a report holds on their own (`version.error`). */
const CHECK_SENTENCES = ['noAddressAnswered', 'versionFailed'] as const;

/** {@link reportSentenceWords} in another language than English, before the cut markers are said. */
function sentenceWords(
  kind: ReportSentenceKind,
  code: string | null,
  message: string,
  locale: Locale,
  cause: string | null,
): string {
  switch (kind) {
    case 'error':
      return errorWords(code, message, locale);
    case 'trust':
      return code === null ? errorWords(code, message, locale) : trustProblemWords(code, message, locale);
    case 'version':
    case 'keys':
      // As the endpoint hints say them (rules/endpoints.ts): a key check's sentence no form reads is ours, marked.
      return keyProblemWords(message, kind, locale, (m, l) =>
        code?.startsWith('KEYS_') === true ? unreadWords(m, l) : errorWords(code, m, l),
      );
    case 'client':
    case 'support':
      return code === null ? unreadWords(message, locale) : documentWords(kind, code, message, cause, locale);
    case 'settings': {
      const read = code === null ? null : readClientSettingProblem(code, message);
      return read === null ? unreadWords(message, locale) : sayAgain(CLIENT_SETTING_PROBLEM_TEXTS, locale, read);
    }
    case 'check': {
      // The report's own words for a version nobody answered (check.ts, through the checker's catalogue).
      const key = CHECK_SENTENCES.find((k) => CHECKER_VERSION_TEXTS.en[k] === message);
      return key === undefined ? unreadWords(message, locale) : localize(CHECKER_VERSION_TEXTS, locale)(key);
    }
  }
}

/** One sentence of a report, with what it is. */
export interface ReportSentence {
  readonly kind: ReportSentenceKind;
  readonly code: string | null;
  readonly message: string;
  readonly cause: string | null;
}

/**
 * Every sentence of `report` that a person reads in its text or on the page, in the report's order: the resolution's
 * error and well-known detail, the server well-known by address, each address's connection, certificate, version and
 * key problems, the client document's (its base URLs' errors included), the support document's and the client
 * settings' problems. Empty sentences are left out.
 */
export function reportSentences(report: CheckReport): ReportSentence[] {
  const out: ReportSentence[] = [];
  const add = (kind: ReportSentenceKind, code: string | null, message: string, cause: string | null = null): void => {
    if (message !== '') out.push({ kind, code, message, cause });
  };
  const resolution = report.resolution;
  if (resolution.error !== null) add('error', resolution.error.code, resolution.error.message);
  add('error', resolution.wellKnown.code, resolution.wellKnown.detail);
  for (const w of report.wellKnownByAddress) add('error', w.code, w.detail);
  for (const a of report.addresses) {
    if (a.connectionError) add('error', a.connectionError.code, a.connectionError.message);
    if (a.tls?.trustError) add('trust', a.tls.trustError.code, a.tls.trustError.message);
    if (a.tls?.nameError) add('error', a.tls.nameError.code, a.tls.nameError.message);
    if (a.version?.error) add('version', a.version.error.code, a.version.error.message);
    for (const p of a.keys?.problems ?? []) add('keys', p.code, p.message);
  }
  const client = report.client;
  if (client !== null) {
    for (const base of [client.homeserver, client.identityServer])
      if (base?.error) add('client', base.error.code, base.error.message, base.error.cause);
    for (const p of client.problems) add('client', p.code, p.message, p.cause);
    for (const p of client.settings?.problems ?? []) add('settings', p.code, p.message, p.cause);
  }
  for (const p of report.support?.problems ?? []) add('support', p.code, p.message, p.cause);
  return out;
}

/**
 * The report's sentences in `locale`, by their English words: what `/api/check` and `/api/monitor` add to an answer in
 * another language as `messages` (the JSON keeps its English `message` values, which scripts read; the page shows
 * `messages[message] ?? message`). Only sentences whose words differ are listed; each is bounded like any string of
 * a report (`REMOTE_TEXT_LIMITS.any`), and there are no more of them than sentences in the (bounded) report. A
 * sentence written twice with two kinds keeps the first kind's words. English: empty.
 *
 * @example
 * ```ts
 * const messages = reportMessages(report, 'zh-CN'); // { '<English sentence>': '<中文句子>', ... }
 * ```
 */
export function reportMessages(report: CheckReport, locale: Locale): Record<string, string> {
  const messages: Record<string, string> = {};
  if (locale === 'en') return messages;
  for (const s of reportSentences(report)) {
    if (Object.hasOwn(messages, s.message)) continue;
    const words = reportSentenceWords(s.kind, s.code, s.message, locale, s.cause);
    // defineProperty: a sentence such as "__proto__" is an ordinary key.
    if (words !== s.message)
      Object.defineProperty(messages, s.message, {
        value: boundRemoteText(words, REMOTE_TEXT_LIMITS.any),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return messages;
}
