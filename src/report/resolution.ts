// Renders a resolution for people (the steps taken and skipped, then the targets) and as the JSON contract.

import type { ResolveResult, ResolvedTarget, TraceEntry } from '../resolver/types.js';
import { formatAddress } from '../check-report/address.js';
import { escapeTerminalText, quoteTerminalText, terminalSafe } from './terminal-text.js';

/** A target as the JSON contract shows it (issue #3): where to dial and the names to use there. */
export interface TargetJson {
  readonly step: ResolvedTarget['step'];
  readonly ip: string;
  readonly port: number;
  readonly hostHeader: string;
  readonly tlsServerName: string;
  readonly sni: string | null;
}

/** The `resolve --json` document (issue #3); `trace` only when asked for. */
export interface ResolveJson {
  readonly serverName: string;
  readonly wellKnown: {
    readonly status: ResolveResult['wellKnown']['status'];
    readonly mServer: string | null;
    readonly detail: string;
  };
  readonly targets: readonly TargetJson[];
  readonly trace?: readonly TraceEntry[];
  readonly error: ResolveResult['error'];
}

/** One target in the JSON contract's six fields. */
export function targetJson(t: ResolvedTarget): TargetJson {
  return { step: t.step, ip: t.ip, port: t.port, hostHeader: t.hostHeader, tlsServerName: t.tlsServerName, sni: t.sni };
}

/**
 * The `resolve --json` document: the contract of issue #3 (`trace` only when asked for). The check report's
 * native JSON embeds the same document with the trace.
 *
 * @example
 * ```ts
 * const doc = resolveJson(await resolveServerName('example.com'), true);
 * ```
 */
export function resolveJson(result: ResolveResult, withTrace: boolean): ResolveJson {
  return {
    serverName: result.serverName,
    wellKnown: { status: result.wellKnown.status, mServer: result.wellKnown.mServer, detail: result.wellKnown.detail },
    targets: result.targets.map(targetJson),
    ...(withTrace ? { trace: result.trace } : {}),
    error: result.error,
  };
}

const STATUS_WORDS: Readonly<Record<TraceEntry['status'], string>> = {
  taken: 'taken',
  skipped: 'skipped',
  empty: 'no records',
  failed: 'failed',
};

/** One line of the step account, with what it says, for renderers that colour by status. */
export interface TraceLine {
  readonly status: TraceEntry['status'];
  readonly text: string;
}

/**
 * The account of each step, taken or skipped, and why: one line per step, except that steps skipped only because
 * of a decision already shown share one line per reason (unless `withTrace`, which also shows start times).
 * Like every line helper here, its text is escaped for a terminal (see `escapeTerminalText`).
 */
export function traceLines(result: ResolveResult, withTrace: boolean): TraceLine[] {
  const lines: TraceLine[] = [];
  const trace = result.trace;
  for (let i = 0; i < trace.length; i += 1) {
    const entry = trace[i]!;
    if (entry.status === 'skipped' && !withTrace && isUninteresting(entry)) {
      // The contract asks for every step, skipped ones included; those skipped for one reason share a line.
      const steps = [entry.step];
      while (trace[i + 1]?.status === 'skipped' && trace[i + 1]?.reason === entry.reason)
        steps.push(trace[(i += 1)]!.step);
      const label = steps.length === 1 ? `step ${entry.step}` : `steps ${steps.join(', ')}`;
      lines.push({
        status: 'skipped',
        text: escapeTerminalText(`${label.padEnd(9)} ${STATUS_WORDS.skipped.padEnd(10)} ${entry.reason}`),
      });
      continue;
    }
    const step = entry.step === 'policy' ? 'policy' : entry.step === 'parse' ? 'name' : `step ${entry.step}`;
    const time = entry.durationMs > 0 ? ` (${formatMs(entry.durationMs)})` : '';
    const at = withTrace ? `+${formatMs(entry.startMs)} ` : '';
    lines.push({
      status: entry.status,
      text: escapeTerminalText(
        `${at}${step.padEnd(9)} ${STATUS_WORDS[entry.status].padEnd(10)} ${entry.reason}${time}`,
      ),
    });
  }
  return lines;
}

/** `Well-known: <status> (m.server "...")": <detail>`. */
export function wellKnownLine(result: ResolveResult): string {
  const wk = result.wellKnown;
  return escapeTerminalText(
    `Well-known: ${wk.status}${wk.mServer !== null ? ` (m.server ${quoteTerminalText(wk.mServer)})` : ''}: ${wk.detail}`,
  );
}

/** The targets in order ("1. ip:port  step ...  Host: ..."), or the reason there are none. */
export function targetLines(result: ResolveResult): string[] {
  if (result.targets.length === 0) {
    return [
      escapeTerminalText(
        `No targets: ${result.error?.code ?? 'NO_TARGETS'}: ${result.error?.message ?? 'nothing to connect to'}`,
      ),
    ];
  }
  return ['Targets, in the order to try them:', ...result.targets.map((t, i) => `  ${i + 1}. ${targetLine(t)}`)];
}

/**
 * A readable account of each step, taken or skipped, and why, then the well-known outcome and the targets.
 *
 * @example
 * ```ts
 * process.stdout.write(resolveText(await resolveServerName('example.com'), false));
 * ```
 */
export function resolveText(input: ResolveResult, withTrace: boolean): string {
  // Escaped before formatting: CNAME targets, m.server values and error texts come from other people's servers.
  const result = terminalSafe(input);
  const lines: string[] = [`Resolving ${quoteTerminalText(result.serverName)}`, ''];
  for (const line of traceLines(result, withTrace)) lines.push(`  ${line.text}`);
  lines.push('', wellKnownLine(result), '', ...targetLines(result));
  return lines.join('\n') + '\n';
}

// `ip:port`, the IPv6 address bracketed: the report model's address key, written the same way here.
export { formatAddress };

/** One target: address, step, Host header, certificate name and SNI, and where the address came from. */
export function targetLine(t: ResolvedTarget): string {
  const sni = t.sni === null ? 'no SNI' : `SNI ${t.sni}`;
  const via = t.srv ? `, from SRV ${t.srv.name} -> ${t.srv.target}` : t.addressOf ? `, address of ${t.addressOf}` : '';
  return escapeTerminalText(
    `${formatAddress(t.ip, t.port)}  step ${t.step}  Host: ${t.hostHeader}  certificate for ${t.tlsServerName}, ${sni}${via}`,
  );
}

/** Skipped steps that only restate a decision already shown: without --trace they share one line per reason. */
function isUninteresting(entry: TraceEntry): boolean {
  return /\(step [0-9.]+\)$/.test(entry.reason);
}

/** Milliseconds for people: `12 ms`, `1.50 s`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
