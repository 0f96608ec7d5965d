// The report model read back from its native JSON (a monitor's stored report), for diagnosing it in another language.

import type { CheckReport } from '../../checker/types.js';
import type { NativeCheckJson } from '../../report/native.js';
import type { ResolvedTarget, ResolveResult } from '../../resolver/types.js';
import { parseServerName } from '../../server-name/index.js';

/** What identifies a target among a resolution's: the six fields of the JSON contract. */
function targetKey(t: Pick<ResolvedTarget, 'step' | 'ip' | 'port' | 'hostHeader' | 'tlsServerName' | 'sni'>): string {
  return JSON.stringify([t.step, t.ip, t.port, t.hostHeader, t.tlsServerName, t.sni]);
}

/**
 * The report a native document (`toNativeJson`, docs/check-report.md) was made from, as far as the diagnosis and the
 * summary read it. The document is the model but for its resolution, written as `resolve --json --trace` writes it;
 * what that leaves out is made again as the resolver makes it: the parsed server name and the parsed `m.server` of a
 * delegation (both parsed from the strings the document keeps, as the well-known cache parses a stored `m.server`),
 * the well-known step's error code (from its trace entry), and where each target's address came from (`addressOf`,
 * `srv`: from the checked addresses, which carry them; null for a target past the checked ones). A caller that needs
 * the same hints as the original checks them against the document's own (`localizeMonitorReport` does).
 *
 * @example
 * ```ts
 * diagnose(reportFromNativeJson(JSON.parse(reportJson)), { locale: 'zh-CN' });
 * ```
 */
export function reportFromNativeJson(doc: NativeCheckJson): CheckReport {
  const { schema: _schema, resolution: json, ...rest } = doc;
  const checked = new Map(doc.addresses.map((a) => [targetKey(a.target), a.target]));
  const parsed = parseServerName(json.serverName);
  const delegated =
    json.wellKnown.status === 'delegated' && json.wellKnown.mServer !== null
      ? parseServerName(json.wellKnown.mServer)
      : null;
  const trace = json.trace ?? [];
  const resolution: ResolveResult = {
    serverName: json.serverName,
    parsed: parsed.ok ? parsed.value : null,
    wellKnown: {
      ...json.wellKnown,
      serverName: delegated?.ok === true ? delegated.value : null,
      code: trace.find((e) => e.step === '3')?.code ?? null,
    },
    targets: json.targets.map((t) => checked.get(targetKey(t)) ?? { ...t, addressOf: null, srv: null }),
    trace,
    error: json.error,
  };
  return { ...rest, resolution };
}
