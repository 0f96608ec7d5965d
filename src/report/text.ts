// Renders a check report for people: verdict, resolution path, per-address table, documents, hints with fixes.

import {
  HINT_AREAS,
  HINT_SEVERITY_ORDER,
  type AddressReport,
  type CheckProblem,
  type CheckReport,
  type Hint,
  type HintArea,
} from '../check-report/index.js';
import type { TraceEntry } from '../resolver/types.js';
import { formatMs, targetLines, traceLines, wellKnownLine } from './resolution.js';
import { quoteTerminalText, terminalSafe } from './terminal-text.js';

/** Options of {@link renderCheckText}. */
export interface TextRenderOptions {
  /** Use ANSI colours [false]. The CLI turns them on for a terminal only, and never when NO_COLOR is set. */
  readonly color?: boolean;
  /** Show every resolution step on its own line with its start time [false]. */
  readonly trace?: boolean;
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

const NOT_CHECKED = 'Not checked (an IP literal server name has no well-known documents, or document checks were off).';

const AREA_TITLES: Readonly<Record<HintArea, string>> = {
  federation: 'Federation',
  client: 'Client discovery (/.well-known/matrix/client)',
  support: 'Support contacts (/.well-known/matrix/support)',
};

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
  // Every string of the report escaped first (remote versions, URLs, contacts, key ids, messages, hints quoting
  // them): the colour codes and line breaks added below are the only control characters that reach the terminal.
  const report = terminalSafe(input);
  const style = createStyle(options.color === true);
  const out: string[] = [];
  header(report, style, out);
  resolutionSection(report, options.trace === true, style, out);
  addressSection(report, style, out);
  wellKnownByAddressSection(report, style, out);
  clientSection(report, style, out);
  supportSection(report, style, out);
  hintSection(report.hints, style, out);
  return out.join('\n') + '\n';
}

function header(report: CheckReport, style: Style, out: string[]): void {
  out.push(style.bold(`Federation check of ${report.serverName}`));
  const verdict = report.federationOk ? style.green(style.bold('PASS')) : style.red(style.bold('FAIL'));
  out.push(`${verdict}  ${report.summary}`);
  if (!report.federationOk && report.reachable) {
    // The tester's verdict is strict (every address must work); say why FAIL while some servers still get through.
    out.push(style.dim("      FAIL by matrix-federation-tester's rule: every address must work. Some do."));
  }
  out.push(style.dim(`      Checked ${report.checkedAt} in ${formatMs(report.durationMs)}.`));
}

function section(title: string, style: Style, out: string[]): void {
  out.push('', style.bold(style.cyan(title)));
}

function resolutionSection(report: CheckReport, withTrace: boolean, style: Style, out: string[]): void {
  section('How other servers find you', style, out);
  const colour: Readonly<Record<TraceEntry['status'], (s: string) => string>> = {
    taken: style.green,
    skipped: style.dim,
    empty: (s) => s,
    failed: style.red,
  };
  for (const line of traceLines(report.resolution, withTrace)) out.push(`  ${colour[line.status](line.text)}`);
  out.push('', `  ${wellKnownLine(report.resolution)}`);
  for (const line of targetLines(report.resolution)) out.push(`  ${line}`);
}

/** The problems found on one address, in the order they happened: connection, certificate, version, keys. */
export function addressProblems(a: AddressReport): CheckProblem[] {
  const problems: CheckProblem[] = [];
  if (a.connectionError) problems.push(a.connectionError);
  if (a.tls?.trustError) problems.push(a.tls.trustError);
  if (a.tls?.nameError) problems.push(a.tls.nameError);
  if (a.version && !a.version.ok)
    problems.push(a.version.error ?? { code: 'VERSION_FAILED', message: 'the version request failed' });
  if (a.keys) problems.push(...a.keys.problems);
  if (a.keys && !a.keys.ok && a.keys.problems.length === 0)
    problems.push({ code: 'KEYS_INVALID', message: 'the key response did not pass the checks' });
  return problems;
}

const TLS_NAMES: Readonly<Record<string, string>> = {
  'TLSv1.3': 'TLS 1.3',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.1': 'TLS 1.1',
  TLSv1: 'TLS 1.0',
};

function expiryCell(a: AddressReport): string {
  const leaf = a.tls?.chain[0];
  const days = a.tls?.expiresInDays ?? null;
  if (!leaf && days === null) return '-';
  const date = leaf ? leaf.validTo.slice(0, 10) : '';
  if (days === null) return date;
  const when = days < 0 ? `expired ${-days} d ago` : days === 0 ? 'expires today' : `in ${days} d`;
  return date === '' ? when : `${date} (${when})`;
}

function addressRow(a: AddressReport): string[] {
  const tls = a.tls;
  const certificate =
    tls === null ? '-' : `${tls.trusted ? 'trusted' : 'NOT TRUSTED'}, ${tls.nameMatches ? 'name ok' : 'WRONG NAME'}`;
  const version =
    a.version === null
      ? '-'
      : a.version.ok
        ? [a.version.name, a.version.version].filter((s) => s !== null).join(' ') || 'ok'
        : 'FAILED';
  let keys = '-';
  if (a.keys) keys = a.keys.ok ? `valid (${Object.keys(a.keys.verifyKeys).join(', ') || 'no key id'})` : 'INVALID';
  return [
    a.address,
    a.family === 6 ? 'IPv6' : 'IPv4',
    tls === null ? (a.connectionError ? 'no connection' : '-') : (TLS_NAMES[tls.protocol ?? ''] ?? tls.protocol ?? '-'),
    certificate,
    expiryCell(a),
    version,
    keys,
    a.ok ? 'OK' : 'FAIL',
  ];
}

function addressSection(report: CheckReport, style: Style, out: string[]): void {
  section('Addresses', style, out);
  if (report.addresses.length === 0) {
    out.push(`  No address to check: ${report.resolution.error?.message ?? 'the resolution found none'}.`);
    return;
  }
  const head = ['ADDRESS', 'FAMILY', 'TLS', 'CERTIFICATE', 'EXPIRES', 'VERSION', 'KEYS', 'RESULT'];
  const rows = report.addresses.map(addressRow);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Pad before colouring, so that escape codes do not upset the alignment.
  const line = (cells: readonly string[], paint: (cell: string, i: number) => string): string =>
    `  ${cells.map((c, i) => paint(i === cells.length - 1 ? c : c.padEnd(widths[i]!), i)).join('  ')}`.trimEnd();
  out.push(line(head, (c) => style.bold(c)));
  report.addresses.forEach((a, index) => {
    const row = rows[index]!;
    out.push(line(row, (c, i) => (i === row.length - 1 ? (a.ok ? style.green(c) : style.red(c)) : c)));
    for (const p of addressProblems(a)) out.push(`      ${style.red('-')} ${p.code}: ${p.message}`);
  });
  const v = report.version;
  const software = [v.name, v.version].filter((s) => s !== null).join(' ');
  out.push(
    '',
    `  Server version: ${software !== '' ? software : `unknown (${v.error ?? 'the answer names no software'})`}`,
  );
}

function wellKnownByAddressSection(report: CheckReport, style: Style, out: string[]): void {
  const list = report.wellKnownByAddress;
  const distinct = new Set(list.map((w) => `${w.status}\u0000${w.mServer ?? ''}`));
  if (distinct.size < 2) return;
  section('The server well-known differs between addresses', style, out);
  out.push('  Homeservers pick one of these addresses: some see the delegation and others do not.');
  const width = Math.max(...list.map((w) => `${w.ip} (IPv${w.family})`.length));
  for (const w of list) {
    const what =
      w.status === 'delegated'
        ? `delegated to ${quoteTerminalText(w.mServer ?? '')}`
        : `${w.status}${w.code ? ` (${w.code})` : ''}: ${w.detail}`;
    out.push(`  ${`${w.ip} (IPv${w.family})`.padEnd(width)}  ${w.status === 'delegated' ? what : style.yellow(what)}`);
  }
}

function severityLabel(severity: 'error' | 'warning' | 'info', style: Style): string {
  const label = severity.toUpperCase().padEnd(7);
  return severity === 'error' ? style.red(label) : severity === 'warning' ? style.yellow(label) : style.dim(label);
}

function problemLines(
  problems: readonly {
    readonly code: string;
    readonly severity: 'error' | 'warning' | 'info';
    readonly message: string;
  }[],
  style: Style,
  out: string[],
): void {
  const sorted = [...problems].sort((a, b) => HINT_SEVERITY_ORDER[a.severity] - HINT_SEVERITY_ORDER[b.severity]);
  for (const p of sorted) out.push(`    ${severityLabel(p.severity, style)} ${p.code}: ${p.message}`);
}

function clientSection(report: CheckReport, style: Style, out: string[]): void {
  section('Client discovery (/.well-known/matrix/client)', style, out);
  const c = report.client;
  if (c === null) {
    out.push(`  ${NOT_CHECKED}`);
    return;
  }
  const good = c.status === 'SUCCESS';
  const status = good ? style.green(c.status) : c.status === 'IGNORE' ? style.yellow(c.status) : style.red(c.status);
  out.push(`  ${status}  ${c.url}${c.httpStatus !== null ? ` answered ${c.httpStatus}` : ': no answer'}`);
  if (c.homeserver?.baseUrl) {
    const versions = c.homeserver.versions;
    const latest = versions && versions.length > 0 ? `, spec versions up to ${versions[versions.length - 1]}` : '';
    out.push(`  Homeserver: ${c.homeserver.baseUrl}${c.homeserver.error === null ? ` (works${latest})` : ''}`);
  }
  if (c.identityServer?.baseUrl)
    out.push(`  Identity server: ${c.identityServer.baseUrl}${c.identityServer.error === null ? ' (works)' : ''}`);
  problemLines(c.problems, style, out);
}

function supportSection(report: CheckReport, style: Style, out: string[]): void {
  section('Support contacts (/.well-known/matrix/support)', style, out);
  const s = report.support;
  if (s === null) {
    out.push(`  ${NOT_CHECKED}`);
    return;
  }
  const status =
    s.status === 'valid' ? style.green(s.status) : s.status === 'absent' ? style.dim(s.status) : style.red(s.status);
  const note = s.status === 'absent' ? ' (optional: none published)' : '';
  out.push(`  ${status}  ${s.url}${s.httpStatus !== null ? ` answered ${s.httpStatus}` : ': no answer'}${note}`);
  const contacts = s.contacts.filter((c) => c.valid).length;
  if (s.status === 'valid')
    out.push(`  ${contacts} usable contact(s)${s.supportPage !== null ? `, support page ${s.supportPage}` : ''}`);
  problemLines(s.problems, style, out);
}

/** Hints grouped by area (the area with the worst hint first), errors first within each. */
function hintSection(hints: readonly Hint[], style: Style, out: string[]): void {
  section('What to fix', style, out);
  if (hints.length === 0) {
    out.push('  No hints.');
    return;
  }
  const worst = (area: Hint['area']): number =>
    Math.min(...hints.filter((h) => h.area === area).map((h) => HINT_SEVERITY_ORDER[h.severity]));
  const areas = HINT_AREAS.filter((area) => hints.some((h) => h.area === area)).sort(
    (a, b) => worst(a) - worst(b) || HINT_AREAS.indexOf(a) - HINT_AREAS.indexOf(b),
  );
  for (const area of areas) {
    out.push(`  ${style.bold(AREA_TITLES[area])}`);
    const inArea = hints
      .filter((h) => h.area === area)
      .sort((a, b) => HINT_SEVERITY_ORDER[a.severity] - HINT_SEVERITY_ORDER[b.severity]);
    for (const h of inArea) {
      out.push(`    ${severityLabel(h.severity, style)} ${style.bold(h.title)}`);
      for (const line of h.detail.split('\n')) out.push(`            ${line}`);
      const [first = '', ...rest] = h.fix.split('\n');
      out.push(`            ${style.green('Fix:')} ${first}`);
      for (const line of rest) out.push(`                 ${line}`);
    }
  }
}
