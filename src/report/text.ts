// Renders a check report for people: verdict, resolution path, per-address table, documents, hints with fixes.

import {
  HINT_AREAS,
  HINT_SEVERITY_ORDER,
  type AddressReport,
  type CheckProblem,
  type CheckReport,
  type Hint,
} from '../check-report/index.js';
import { reportSentenceWords, type ReportSentenceKind } from '../diagnosis/problem-words.js';
import { DEFAULT_LOCALE, localize, type Locale, type Localized } from '../i18n/index.js';
import type { TraceEntry } from '../resolver/types.js';
import { formatMs, resolutionWords, targetLines, traceLines, wellKnownLine } from './resolution.js';
import { CHECK_TEXT_WORDS } from './text-texts.js';
import { displayWidth, escapeTerminalText, padDisplay, quoteTerminalText, terminalSafe } from './terminal-text.js';

/** Options of {@link renderCheckText}. */
export interface TextRenderOptions {
  /** Use ANSI colours [false]. The CLI turns them on for a terminal only, and never when NO_COLOR is set. */
  readonly color?: boolean;
  /** Show every resolution step on its own line with its start time [false]. */
  readonly trace?: boolean;
  /**
   * The language of the words [en]: headings, table labels, verdict words, the resolution's steps, and the report's
   * sentences (connection errors, key and document problems, ...: said again from the English ones the report keeps,
   * `reportSentenceWords`). The summary and hints are in the language the check (or `diagnose`) made them in; codes
   * and remote values stay as they are.
   */
  readonly locale?: Locale;
}

/** What every section needs: the styling, the words and the language. */
interface Context {
  readonly style: Style;
  readonly t: Localized<(typeof CHECK_TEXT_WORDS)['en']>;
  readonly locale: Locale;
  /** `padEnd` in English (as always), terminal columns in other languages. */
  readonly pad: (text: string, width: number) => string;
  /** Terminal columns of a text (code units in English, as always). */
  readonly width: (text: string) => number;
}

/** ANSI styling, or none: every function returns its input unchanged when colours are off. */
interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

function createStyle(color: boolean): Style {
  const sgr = (open: number, close: number) => (s: string) =>
    color && s !== '' ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/**
 * The human report of a check: a header with the server name and the verdict, "How other servers find you"
 * (the resolution path), a table of the addresses with each failure explained under its row, the server
 * well-known per address when the addresses disagree, the client and support documents, then the hints with
 * their fixes, grouped by area, errors first.
 *
 * @example
 * ```ts
 * process.stdout.write(renderCheckText(await checkServer('example.com'), { color: process.stdout.isTTY }));
 * ```
 */
export function renderCheckText(input: CheckReport, options: TextRenderOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  // The resolution's words are described from the report as it came (they parse names), then escaped line by line.
  const words = sentencesOfResolution(input, resolutionWords(input.resolution, locale), locale);
  // Every string of the report escaped first (remote versions, URLs, contacts, key ids, messages, hints quoting
  // them): the colour codes and line breaks added below are the only control characters that reach the terminal.
  // In another language the report's sentences are said again before (read back from the words the check wrote),
  // so that the values read back out of them are escaped like every other remote text.
  const report = terminalSafe(locale === 'en' ? input : sentencesIn(input, locale));
  const english = locale === 'en';
  const ctx: Context = {
    style: createStyle(options.color === true),
    t: localize(CHECK_TEXT_WORDS, locale),
    locale,
    pad: english ? (text, width) => text.padEnd(width) : padDisplay,
    width: english ? (text) => text.length : displayWidth,
  };
  const out: string[] = [];
  header(report, ctx, out);
  resolutionSection(report, options.trace === true, { ...words, locale }, ctx, out);
  addressSection(report, words.error, ctx, out);
  wellKnownByAddressSection(report, ctx, out);
  clientSection(report, ctx, out);
  supportSection(report, ctx, out);
  hintSection(report.hints, ctx, out);
  return out.join('\n') + '\n';
}

function header(report: CheckReport, ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  out.push(style.bold(t('heading', { name: report.serverName })));
  const word = report.federationOk ? t('pass') : t('fail');
  const verdict = report.federationOk ? style.green(style.bold(word)) : style.red(style.bold(word));
  out.push(`${verdict}  ${report.summary}`);
  // The notes line up under the summary (six columns in English: "FAIL" and two spaces).
  const indent = ' '.repeat(Math.max(6, ctx.width(t('fail')) + 2));
  if (!report.federationOk && report.reachable) {
    // The tester's verdict is strict (every address must work); say why FAIL while some servers still get through.
    out.push(style.dim(`${indent}${t('strictRule')}`));
  }
  out.push(
    style.dim(`${indent}${t('checked', { at: report.checkedAt, duration: formatMs(report.durationMs, ctx.locale) })}`),
  );
}

function section(title: string, style: Style, out: string[]): void {
  out.push('', style.bold(style.cyan(title)));
}

function resolutionSection(
  report: CheckReport,
  withTrace: boolean,
  words: Parameters<typeof traceLines>[2],
  ctx: Context,
  out: string[],
): void {
  const { style, t } = ctx;
  section(t('section.resolution'), style, out);
  const colour: Readonly<Record<TraceEntry['status'], (s: string) => string>> = {
    taken: style.green,
    skipped: style.dim,
    empty: (s) => s,
    failed: style.red,
  };
  for (const line of traceLines(report.resolution, withTrace, words)) out.push(`  ${colour[line.status](line.text)}`);
  out.push('', `  ${wellKnownLine(report.resolution, words)}`);
  for (const line of targetLines(report.resolution, words)) out.push(`  ${line}`);
}

/** The problems found on one address with what each is, in the order they happened. */
function problemsOf(a: AddressReport, locale: Locale): { kind: ReportSentenceKind; problem: CheckProblem }[] {
  const t = localize(CHECK_TEXT_WORDS, locale);
  const problems: { kind: ReportSentenceKind; problem: CheckProblem }[] = [];
  if (a.connectionError) problems.push({ kind: 'error', problem: a.connectionError });
  if (a.tls?.trustError) problems.push({ kind: 'trust', problem: a.tls.trustError });
  if (a.tls?.nameError) problems.push({ kind: 'error', problem: a.tls.nameError });
  if (a.version && !a.version.ok)
    problems.push({
      kind: 'version',
      problem: a.version.error ?? { code: 'VERSION_FAILED', message: t('problem.versionFailed') },
    });
  if (a.keys) problems.push(...a.keys.problems.map((problem) => ({ kind: 'keys' as const, problem })));
  if (a.keys && !a.keys.ok && a.keys.problems.length === 0)
    problems.push({ kind: 'keys', problem: { code: 'KEYS_INVALID', message: t('problem.keysInvalid') } });
  return problems;
}

/**
 * The problems found on one address, in the order they happened: connection, certificate, version, keys; the words
 * of a failure the address report gives none for in `locale` [en].
 */
export function addressProblems(a: AddressReport, locale: Locale = DEFAULT_LOCALE): CheckProblem[] {
  return problemsOf(a, locale).map((p) => p.problem);
}

/** A problem with its message in `locale`. */
function problemIn<P extends CheckProblem>(
  kind: ReportSentenceKind,
  p: P,
  locale: Locale,
  cause: string | null = null,
): P {
  return { ...p, message: reportSentenceWords(kind, p.code, p.message, locale, cause) };
}

/**
 * `report` with its sentences said in `locale` (`reportSentenceWords`): each address's problems, the server
 * well-known by address, the version's error, the client and support documents' problems. Nothing else changes.
 */
function sentencesIn(report: CheckReport, locale: Locale): CheckReport {
  const say = (kind: ReportSentenceKind, code: string | null, message: string): string =>
    reportSentenceWords(kind, code, message, locale);
  const versionError = report.version.error;
  // The version's error is the first failing address's (its code there), or the check's own words.
  const versionOf = report.addresses.find((a) => a.version?.error?.message === versionError)?.version?.error;
  return {
    ...report,
    wellKnownByAddress: report.wellKnownByAddress.map((w) => ({ ...w, detail: say('error', w.code, w.detail) })),
    addresses: report.addresses.map((a) => ({
      ...a,
      connectionError: a.connectionError && problemIn('error', a.connectionError, locale),
      tls: a.tls && {
        ...a.tls,
        trustError: a.tls.trustError && problemIn('trust', a.tls.trustError, locale),
        nameError: a.tls.nameError && problemIn('error', a.tls.nameError, locale),
      },
      version: a.version && { ...a.version, error: a.version.error && problemIn('version', a.version.error, locale) },
      keys: a.keys && { ...a.keys, problems: a.keys.problems.map((p) => problemIn('keys', p, locale)) },
    })),
    version: {
      ...report.version,
      error:
        versionError === null
          ? null
          : versionOf
            ? say('version', versionOf.code, versionError)
            : say('check', null, versionError),
    },
    client: report.client && {
      ...report.client,
      problems: report.client.problems.map((p) => problemIn('client', p, locale, p.cause)),
    },
    support: report.support && {
      ...report.support,
      problems: report.support.problems.map((p) => problemIn('support', p, locale, p.cause)),
    },
  };
}

/**
 * The resolution's words with its error and well-known detail said in `locale` where the describers keep the
 * resolver's English words (`describeResolutionError`, `describeWellKnown` return them when they cannot describe).
 */
function sentencesOfResolution(
  report: CheckReport,
  words: ReturnType<typeof resolutionWords>,
  locale: Locale,
): ReturnType<typeof resolutionWords> {
  if (locale === 'en') return words;
  const { error, wellKnown } = report.resolution;
  return {
    ...words,
    error:
      error !== null && words.error === error.message
        ? reportSentenceWords('error', error.code, error.message, locale)
        : words.error,
    wellKnownDetail:
      words.wellKnownDetail === wellKnown.detail && wellKnown.detail !== ''
        ? reportSentenceWords('error', wellKnown.code, wellKnown.detail, locale)
        : words.wellKnownDetail,
  };
}

const TLS_NAMES: Readonly<Record<string, string>> = {
  'TLSv1.3': 'TLS 1.3',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.1': 'TLS 1.1',
  TLSv1: 'TLS 1.0',
};

function expiryCell(a: AddressReport, t: Context['t']): string {
  const leaf = a.tls?.chain[0];
  const days = a.tls?.expiresInDays ?? null;
  if (!leaf && days === null) return '-';
  const date = leaf ? leaf.validTo.slice(0, 10) : '';
  if (days === null) return date;
  const when = days < 0 ? t('expiredAgo', { days: -days }) : days === 0 ? t('expiresToday') : t('expiresIn', { days });
  return date === '' ? when : t('dateAndWhen', { date, when });
}

function addressRow(a: AddressReport, t: Context['t']): string[] {
  const tls = a.tls;
  const certificate = tls === null ? '-' : t('certificate', { trusted: tls.trusted, nameMatches: tls.nameMatches });
  const version =
    a.version === null
      ? '-'
      : a.version.ok
        ? [a.version.name, a.version.version].filter((s) => s !== null).join(' ') || t('versionOk')
        : t('versionFailed');
  let keys = '-';
  if (a.keys) keys = a.keys.ok ? t('keysValid', { ids: Object.keys(a.keys.verifyKeys) }) : t('keysInvalid');
  return [
    a.address,
    a.family === 6 ? 'IPv6' : 'IPv4',
    tls === null
      ? a.connectionError
        ? t('noConnection')
        : '-'
      : (TLS_NAMES[tls.protocol ?? ''] ?? tls.protocol ?? '-'),
    certificate,
    expiryCell(a, t),
    version,
    keys,
    a.ok ? t('resultOk') : t('resultFail'),
  ];
}

function addressSection(report: CheckReport, error: string | null, ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  section(t('section.addresses'), style, out);
  if (report.addresses.length === 0) {
    // `error` is described from the report before it was escaped: escape it like every other remote text.
    out.push(`  ${t('noAddress', { problem: error === null ? t('noneFound') : escapeTerminalText(error) })}`);
    return;
  }
  const head = (['address', 'family', 'tls', 'certificate', 'expires', 'version', 'keys', 'result'] as const).map(
    (column) => t(`column.${column}`),
  );
  const rows = report.addresses.map((a) => addressRow(a, t));
  const widths = head.map((h, i) => Math.max(ctx.width(h), ...rows.map((r) => ctx.width(r[i]!))));
  // Pad before colouring, so that escape codes do not upset the alignment.
  const line = (cells: readonly string[], paint: (cell: string, i: number) => string): string =>
    `  ${cells.map((c, i) => paint(i === cells.length - 1 ? c : ctx.pad(c, widths[i]!), i)).join('  ')}`.trimEnd();
  out.push(line(head, (c) => style.bold(c)));
  report.addresses.forEach((a, index) => {
    const row = rows[index]!;
    out.push(line(row, (c, i) => (i === row.length - 1 ? (a.ok ? style.green(c) : style.red(c)) : c)));
    for (const p of addressProblems(a, ctx.locale)) out.push(`      ${style.red('-')} ${p.code}: ${p.message}`);
  });
  const v = report.version;
  const software = [v.name, v.version].filter((s) => s !== null).join(' ');
  out.push(
    '',
    `  ${t('serverVersion', { software: software !== '' ? software : t('unknownVersion', { why: v.error }) })}`,
  );
}

function wellKnownByAddressSection(report: CheckReport, ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  const list = report.wellKnownByAddress;
  const distinct = new Set(list.map((w) => `${w.status}\u0000${w.mServer ?? ''}`));
  if (distinct.size < 2) return;
  section(t('section.wellKnownDiffers'), style, out);
  out.push(`  ${t('wellKnownDiffers')}`);
  const width = Math.max(...list.map((w) => `${w.ip} (IPv${w.family})`.length));
  for (const w of list) {
    const status = ctx.locale === 'en' ? w.status : t(`status.${w.status}`);
    const what =
      w.status === 'delegated'
        ? t('delegatedTo', { mServer: quoteTerminalText(w.mServer ?? '') })
        : ctx.locale === 'en'
          ? `${status}${w.code ? ` (${w.code})` : ''}: ${w.detail}`
          : `${status}${w.code ? `（${w.code}）` : ''}：${w.detail}`;
    out.push(`  ${`${w.ip} (IPv${w.family})`.padEnd(width)}  ${w.status === 'delegated' ? what : style.yellow(what)}`);
  }
}

function severityLabel(severity: 'error' | 'warning' | 'info', ctx: Context): string {
  const { style, t } = ctx;
  // Seven columns, so that the hints' details line up under their titles in every language.
  const label = ctx.pad(t(`severity.${severity}`), 7);
  return severity === 'error' ? style.red(label) : severity === 'warning' ? style.yellow(label) : style.dim(label);
}

function problemLines(
  problems: readonly {
    readonly code: string;
    readonly severity: 'error' | 'warning' | 'info';
    readonly message: string;
  }[],
  ctx: Context,
  out: string[],
): void {
  const sorted = [...problems].sort((a, b) => HINT_SEVERITY_ORDER[a.severity] - HINT_SEVERITY_ORDER[b.severity]);
  for (const p of sorted) out.push(`    ${severityLabel(p.severity, ctx)} ${p.code}: ${p.message}`);
}

function clientSection(report: CheckReport, ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  section(t('section.client'), style, out);
  const c = report.client;
  if (c === null) {
    out.push(`  ${t('notChecked')}`);
    return;
  }
  // The status is the client discovery state of the spec (SUCCESS, IGNORE, FAIL_PROMPT, FAIL_ERROR): a value.
  const good = c.status === 'SUCCESS';
  const status = good ? style.green(c.status) : c.status === 'IGNORE' ? style.yellow(c.status) : style.red(c.status);
  out.push(`  ${status}  ${t('answered', { url: c.url, status: c.httpStatus })}`);
  if (c.homeserver?.baseUrl) {
    const versions = c.homeserver.versions;
    const latest = versions && versions.length > 0 ? (versions[versions.length - 1] ?? null) : null;
    out.push(`  ${t('homeserver', { url: c.homeserver.baseUrl, works: c.homeserver.error === null, latest })}`);
  }
  if (c.identityServer?.baseUrl)
    out.push(`  ${t('identityServer', { url: c.identityServer.baseUrl, works: c.identityServer.error === null })}`);
  problemLines(c.problems, ctx, out);
}

function supportSection(report: CheckReport, ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  section(t('section.support'), style, out);
  const s = report.support;
  if (s === null) {
    out.push(`  ${t('notChecked')}`);
    return;
  }
  const word = t(`status.${s.status}`);
  const status = s.status === 'valid' ? style.green(word) : s.status === 'absent' ? style.dim(word) : style.red(word);
  const note = s.status === 'absent' ? t('optionalAbsent') : '';
  out.push(`  ${status}  ${t('answered', { url: s.url, status: s.httpStatus })}${note}`);
  const contacts = s.contacts.filter((c) => c.valid).length;
  if (s.status === 'valid') out.push(`  ${t('contacts', { count: contacts, page: s.supportPage })}`);
  problemLines(s.problems, ctx, out);
}

/** Hints grouped by area (the area with the worst hint first), errors first within each. */
function hintSection(hints: readonly Hint[], ctx: Context, out: string[]): void {
  const { style, t } = ctx;
  section(t('section.hints'), style, out);
  if (hints.length === 0) {
    out.push(`  ${t('noHints')}`);
    return;
  }
  const worst = (area: Hint['area']): number =>
    Math.min(...hints.filter((h) => h.area === area).map((h) => HINT_SEVERITY_ORDER[h.severity]));
  const areas = HINT_AREAS.filter((area) => hints.some((h) => h.area === area)).sort(
    (a, b) => worst(a) - worst(b) || HINT_AREAS.indexOf(a) - HINT_AREAS.indexOf(b),
  );
  // "Fix:" and a space in English; Chinese puts the fix right after its full-width colon.
  const fix = ctx.locale === 'en' ? `${t('fix')} ` : t('fix');
  const fixIndent = ' '.repeat(12 + ctx.width(fix));
  for (const area of areas) {
    out.push(`  ${style.bold(t(`area.${area}`))}`);
    const inArea = hints
      .filter((h) => h.area === area)
      .sort((a, b) => HINT_SEVERITY_ORDER[a.severity] - HINT_SEVERITY_ORDER[b.severity]);
    for (const h of inArea) {
      out.push(`    ${severityLabel(h.severity, ctx)} ${style.bold(h.title)}`);
      for (const line of h.detail.split('\n')) out.push(`            ${line}`);
      const [first = '', ...rest] = h.fix.split('\n');
      out.push(`            ${style.green(fix.trimEnd())}${fix.endsWith(' ') ? ' ' : ''}${first}`);
      for (const line of rest) out.push(`${fixIndent}${line}`);
    }
  }
}
