// The body of `/api/monitor`: every watched name's state and last report, as JSON text built without re-serialising reports.

import type { Monitor, WatchedName } from './monitor.js';
import { reportUrl } from './message.js';

/** The `schema` of `/api/monitor` answers. */
export const MONITOR_SCHEMA = 'matrix-delegation/monitor/v1';

/** What a watched name is now, in one word. */
function stateWord(w: WatchedName): 'unknown' | 'ok' | 'failing' | 'alerting' {
  const s = w.state;
  if (s === null || s.last === null) return 'unknown';
  if (s.alerting) return 'alerting';
  if (s.consecutiveFailures > 0) return 'failing';
  return 'ok';
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/**
 * The JSON text of `/api/monitor` (docs/monitor.md): whether the tester answers on this server (`tester`: the page shows
 * its form only then), `monitor: true` (a server without a monitor answers {@link noMonitorBody}), the settings that matter to a reader, then one entry per watched
 * name (all, or the one `only` names) with its state (`unknown` before the first check, `ok`, `failing` below the
 * alert threshold, `alerting` once an alert went out), the facts of its last check, and its last report as the native
 * JSON (`report`, null when none is known yet). The reports are spliced in as the text already serialised after the
 * check, so an answer costs no re-serialising of reports.
 *
 * @example
 * ```ts
 * const body = monitorBody(monitor, null, true); // every name
 * ```
 */
export function monitorBody(monitor: Monitor, only: string | null, tester: boolean): string {
  const settings = monitor.settings;
  const names = only === null ? monitor.names() : [monitor.name(only)].filter((w) => w !== undefined);
  const entries = names.map((w) => {
    const last = w.state?.last ?? null;
    const head = {
      server_name: w.serverName,
      state: stateWord(w),
      federation_ok: last === null ? null : last.ok,
      consecutive_failures: w.state?.consecutiveFailures ?? 0,
      alerting: w.state?.alerting ?? false,
      summary: last?.summary ?? null,
      last_checked_at: iso(last?.checkedAt),
      next_check_at: iso(w.nextCheckAt),
      checking: w.running,
      certificate_expires_at: iso(last?.certificateExpiresAt),
      hints: last?.hints ?? [],
      pending_notifications: w.state?.pending.length ?? 0,
      report_url: reportUrl(settings.pageUrl, w.serverName),
    };
    const text = JSON.stringify(head);
    return `${text.slice(0, -1)},"report":${w.reportJson ?? 'null'}}`;
  });
  const top = JSON.stringify({
    schema: MONITOR_SCHEMA,
    tester,
    monitor: true,
    interval_seconds: monitor.intervalMs / 1000,
    failures_before_alert: settings.failuresBeforeAlert,
    certificate_warning_days: settings.certificateWarningDays,
  });
  return `${top.slice(0, -1)},"servers":[${entries.join(',')}]}`;
}

/** The body of `/api/monitor` on a server without a monitor: nothing is watched here. */
export function noMonitorBody(tester: boolean): string {
  return JSON.stringify({ schema: MONITOR_SCHEMA, tester, monitor: false, servers: [] });
}
