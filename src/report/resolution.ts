// Renders a resolution for people (the steps taken and skipped, then the targets) and as the JSON contract.

import type { ResolveResult, ResolvedTarget, TraceEntry } from '../resolver/types.js';
import { formatAddress } from '../check-report/address.js';
import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { describeResolutionError, describeTrace, describeWellKnown } from '../resolver/describe.js';
import { RESOLUTION_TEXT_WORDS } from './resolution-texts.js';
import { escapeTerminalText, padDisplay, quoteTerminalText, terminalSafe } from './terminal-text.js';

export { resolveJson, targetJson, type ResolveJson, type TargetJson } from './resolution-json.js';

/** Options of the resolution's text renderers. */
export interface ResolutionTextOptions {
  /** The language of the words [en]. Step labels, codes and remote values stay as they are. */
  readonly locale?: Locale;
  /**
   * What each trace step says, one string per trace entry [`describeTrace(result, locale)`]: `resolve --trace`
   * appends its cache notes this way. Given unescaped; every line is escaped for the terminal.
   */
  readonly reasons?: readonly string[];
  /** The well-known outcome's detail [`describeWellKnown(result, locale)`], unescaped. */
  readonly wellKnownDetail?: string;
  /** Why there are no targets [`describeResolutionError(result, locale)`], unescaped. */
  readonly error?: string | null;
}

/**
 * The words of a resolution described in `locale` from the result as it came (before it is escaped for the
 * terminal: a server name is described by parsing it, and escaping would change what the parser sees).
 */
export function resolutionWords(
  result: ResolveResult,
  locale: Locale = DEFAULT_LOCALE,
): Required<Pick<ResolutionTextOptions, 'reasons' | 'wellKnownDetail' | 'error'>> {
  return {
    reasons: describeTrace(result, locale),
    wellKnownDetail: describeWellKnown(result, locale),
    error: describeResolutionError(result, locale),
  };
}

/** `text` padded to `width` columns: code units in English (as always), terminal columns in other languages. */
function pad(text: string, width: number, locale: Locale): string {
  return locale === 'en' ? text.padEnd(width) : padDisplay(text, width);
}

/** One line of the step account, with what it says, for renderers that colour by status. */
export interface TraceLine {
  readonly status: TraceEntry['status'];
  readonly text: string;
}

/**
 * The account of each step, taken or skipped, and why: one line per step, except that steps skipped only because
 * of a decision already shown share one line per reason (unless `withTrace`, which also shows start times).
 * Like every line helper here, its text is escaped for a terminal (see `escapeTerminalText`). In `options.locale`
 * (English by default): the labels and statuses from the catalogue, each step's reason described from the typed
 * result (see `describeTrace`).
 */
export function traceLines(
  result: ResolveResult,
  withTrace: boolean,
  options: ResolutionTextOptions = {},
): TraceLine[] {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const t = localize(RESOLUTION_TEXT_WORDS, locale);
  const reasons = options.reasons ?? describeTrace(result, locale);
  // Widths of the label and status columns: English as always; Chinese words are two columns wide each.
  const [labelWidth, statusWidth] = locale === 'en' ? [9, 10] : [10, 6];
  const lines: TraceLine[] = [];
  const trace = result.trace;
  for (let i = 0; i < trace.length; i += 1) {
    const entry = trace[i]!;
    const reason = reasons[i] ?? entry.reason;
    if (entry.status === 'skipped' && !withTrace && isUninteresting(entry)) {
      // The contract asks for every step, skipped ones included; those skipped for one reason share a line.
      const steps = [entry.step];
      while (trace[i + 1]?.status === 'skipped' && trace[i + 1]?.reason === entry.reason)
        steps.push(trace[(i += 1)]!.step);
      const label = steps.length === 1 ? t('label.step', { step: entry.step }) : t('label.steps', { steps });
      lines.push({
        status: 'skipped',
        text: escapeTerminalText(
          `${pad(label, labelWidth, locale)} ${pad(t('status.skipped'), statusWidth, locale)} ${reason}`,
        ),
      });
      continue;
    }
    const step =
      entry.step === 'policy'
        ? t('label.policy')
        : entry.step === 'parse'
          ? t('label.name')
          : t('label.step', { step: entry.step });
    // The time in the language's parentheses (full-width in Chinese text).
    const time =
      entry.durationMs <= 0
        ? ''
        : locale === 'en'
          ? ` (${formatMs(entry.durationMs)})`
          : `（${formatMs(entry.durationMs, locale)}）`;
    const at = withTrace ? `+${formatMs(entry.startMs, locale)} ` : '';
    lines.push({
      status: entry.status,
      text: escapeTerminalText(
        `${at}${pad(step, labelWidth, locale)} ${pad(t(`status.${entry.status}`), statusWidth, locale)} ${reason}${time}`,
      ),
    });
  }
  return lines;
}

/** `Well-known: <status> (m.server "...")": <detail>`, in `options.locale`. */
export function wellKnownLine(result: ResolveResult, options: ResolutionTextOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const t = localize(RESOLUTION_TEXT_WORDS, locale);
  const wk = result.wellKnown;
  return escapeTerminalText(
    t('wellKnown', {
      status: t(`wkStatus.${wk.status}`),
      mServer: wk.mServer !== null ? quoteTerminalText(wk.mServer) : null,
      detail: options.wellKnownDetail ?? describeWellKnown(result, locale),
    }),
  );
}

/** The targets in order ("1. ip:port  step ...  Host: ..."), or the reason there are none, in `options.locale`. */
export function targetLines(result: ResolveResult, options: ResolutionTextOptions = {}): string[] {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const t = localize(RESOLUTION_TEXT_WORDS, locale);
  if (result.targets.length === 0) {
    const error = options.error !== undefined ? options.error : describeResolutionError(result, locale);
    return [
      escapeTerminalText(
        t('noTargets', { code: result.error?.code ?? 'NO_TARGETS', problem: error ?? t('nothingToConnect') }),
      ),
    ];
  }
  return [t('targetsHeading'), ...result.targets.map((target, i) => `  ${i + 1}. ${targetLine(target, options)}`)];
}

/**
 * A readable account of each step, taken or skipped, and why, then the well-known outcome and the targets, in
 * `options.locale` (English by default).
 *
 * @example
 * ```ts
 * process.stdout.write(resolveText(await resolveServerName('example.com'), false, { locale: 'zh-CN' }));
 * ```
 */
export function resolveText(input: ResolveResult, withTrace: boolean, options: ResolutionTextOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const t = localize(RESOLUTION_TEXT_WORDS, locale);
  // Described before escaping (the descriptions parse names), then escaped line by line.
  const words = { ...resolutionWords(input, locale), ...options, locale };
  // Escaped before formatting: CNAME targets, m.server values and error texts come from other people's servers.
  const result = terminalSafe(input);
  const lines: string[] = [t('resolving', { name: quoteTerminalText(result.serverName) }), ''];
  for (const line of traceLines(result, withTrace, words)) lines.push(`  ${line.text}`);
  lines.push('', wellKnownLine(result, words), '', ...targetLines(result, words));
  return lines.join('\n') + '\n';
}

// `ip:port`, the IPv6 address bracketed: the report model's address key, written the same way here.
export { formatAddress };

/** One target: address, step, Host header, certificate name and SNI, and where the address came from. */
export function targetLine(t: ResolvedTarget, options: ResolutionTextOptions = {}): string {
  const text = localize(RESOLUTION_TEXT_WORDS, options.locale ?? DEFAULT_LOCALE);
  return escapeTerminalText(
    text('target', {
      address: formatAddress(t.ip, t.port),
      step: t.step,
      host: t.hostHeader,
      certificate: t.tlsServerName,
      sni: t.sni,
      srv: t.srv,
      addressOf: t.addressOf,
    }),
  );
}

/** Skipped steps that only restate a decision already shown: without --trace they share one line per reason. */
function isUninteresting(entry: TraceEntry): boolean {
  return /\(step [0-9.]+\)$/.test(entry.reason);
}

/** Milliseconds for people: `12 ms`, `1.50 s` (in Chinese `12 毫秒`, `1.50 秒`). */
export function formatMs(ms: number, locale: Locale = DEFAULT_LOCALE): string {
  const t = localize(RESOLUTION_TEXT_WORDS, locale);
  return ms >= 1000 ? t('seconds', { n: (ms / 1000).toFixed(2) }) : t('milliseconds', { n: Math.round(ms) });
}
