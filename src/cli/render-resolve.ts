// Renders a resolution for people (the steps taken and skipped, then the targets) and as the JSON contract.

import type { ResolveResult, ResolvedTarget, TraceEntry } from '../resolver/types.js';

/** The `resolve --json` document: the contract of issue #3 (`trace` only when asked for). */
export function resolveJson(result: ResolveResult, withTrace: boolean): Record<string, unknown> {
  return {
    serverName: result.serverName,
    wellKnown: { status: result.wellKnown.status, mServer: result.wellKnown.mServer, detail: result.wellKnown.detail },
    targets: result.targets.map((t) => ({
      step: t.step,
      ip: t.ip,
      port: t.port,
      hostHeader: t.hostHeader,
      tlsServerName: t.tlsServerName,
      sni: t.sni,
    })),
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

/** A readable account of each step, taken or skipped, and why, then the targets. */
export function resolveText(result: ResolveResult, withTrace: boolean): string {
  const lines: string[] = [`Resolving ${JSON.stringify(result.serverName)}`, ''];
  const trace = result.trace;
  for (let i = 0; i < trace.length; i += 1) {
    const entry = trace[i]!;
    if (entry.status === 'skipped' && !withTrace && isUninteresting(entry)) {
      // The contract asks for every step, skipped ones included; those skipped for one reason share a line.
      const steps = [entry.step];
      while (trace[i + 1]?.status === 'skipped' && trace[i + 1]?.reason === entry.reason) steps.push(trace[(i += 1)]!.step);
      const label = steps.length === 1 ? `step ${entry.step}` : `steps ${steps.join(', ')}`;
      lines.push(`  ${label.padEnd(9)} ${STATUS_WORDS.skipped.padEnd(10)} ${entry.reason}`);
      continue;
    }
    const step = entry.step === 'policy' ? 'policy' : entry.step === 'parse' ? 'name' : `step ${entry.step}`;
    const time = entry.durationMs > 0 ? ` (${formatMs(entry.durationMs)})` : '';
    const at = withTrace ? `+${formatMs(entry.startMs)} ` : '';
    lines.push(`  ${at}${step.padEnd(9)} ${STATUS_WORDS[entry.status].padEnd(10)} ${entry.reason}${time}`);
  }
  lines.push('');
  lines.push(`Well-known: ${result.wellKnown.status}${result.wellKnown.mServer !== null ? ` (m.server ${JSON.stringify(result.wellKnown.mServer)})` : ''}: ${result.wellKnown.detail}`);
  lines.push('');
  if (result.targets.length === 0) {
    lines.push(`No targets: ${result.error?.code ?? 'NO_TARGETS'}: ${result.error?.message ?? 'nothing to connect to'}`);
  } else {
    lines.push('Targets, in the order to try them:');
    result.targets.forEach((t, i) => lines.push(`  ${i + 1}. ${targetLine(t)}`));
  }
  return lines.join('\n') + '\n';
}

function targetLine(t: ResolvedTarget): string {
  const address = t.ip.includes(':') ? `[${t.ip}]:${t.port}` : `${t.ip}:${t.port}`;
  const sni = t.sni === null ? 'no SNI' : `SNI ${t.sni}`;
  const via = t.srv ? `, from SRV ${t.srv.name} -> ${t.srv.target}` : t.addressOf ? `, address of ${t.addressOf}` : '';
  return `${address}  step ${t.step}  Host: ${t.hostHeader}  certificate for ${t.tlsServerName}, ${sni}${via}`;
}

/** Skipped steps that only restate a decision already shown: without --trace they share one line per reason. */
function isUninteresting(entry: TraceEntry): boolean {
  return /\(step [0-9.]+\)$/.test(entry.reason);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
