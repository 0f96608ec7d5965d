// The resolution as the JSON contract of issue #3: apart from the text renderers, so that `resolve --json` loads no words.

import type { ResolveResult, ResolvedTarget, TraceEntry } from '../resolver/types.js';

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
