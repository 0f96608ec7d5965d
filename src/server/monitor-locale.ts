// The monitor as /api/monitor shows it in another language: each watched name's hints (and summary) diagnosed again.

import type { CheckReport } from '../checker/types.js';
import { hintTitle } from '../diagnosis/index.js';
import type { HintId } from '../diagnosis/index.js';
import type { Locale } from '../i18n/locale.js';
import type { Monitor, WatchedName } from '../monitor/monitor.js';
import { toNativeJson } from '../report/native.js';
import { localizeReport } from './tester/localize-report.js';

/** A watched name's last report in one language, and the English report text it was made from. */
interface Translated {
  readonly source: string;
  readonly json: string;
}

/** Translated reports by language and name; a name's entry is replaced when its report changes. */
const translatedReports = new Map<string, Translated>();

/** Entries kept at most (names ever watched by this process, times languages): past it the map starts again. */
const MAX_TRANSLATED = 10_000;

/**
 * The last report of `serverName` (native JSON text) with its hints in `locale`, made once per report and language:
 * `/api/monitor` is polled by the page, and the monitor replaces a name's report text only when it checks it again.
 */
function reportJsonIn(serverName: string, reportJson: string, locale: Locale): string {
  const key = `${locale}\n${serverName}`;
  const known = translatedReports.get(key);
  if (known !== undefined && known.source === reportJson) return known.json;
  // The native JSON's types are the report model's (report/native.ts only orders the keys).
  const report = JSON.parse(reportJson) as CheckReport;
  const json = JSON.stringify(toNativeJson(localizeReport(report, locale)));
  if (translatedReports.size >= MAX_TRANSLATED) translatedReports.clear();
  translatedReports.set(key, { source: reportJson, json });
  return json;
}

/** One watched name with its last report's hints and its hint headlines' titles in `locale`. */
function watchedNameIn(w: WatchedName, locale: Locale): WatchedName {
  const last = w.state?.last ?? null;
  const state =
    w.state === null || last === null
      ? w.state
      : {
          ...w.state,
          last: {
            ...last,
            // TODO(issue 17, wiring): the summary in `locale` once the "texts" part exports its summary function.
            hints: last.hints.map((h) => ({ ...h, title: hintTitle(h.id as HintId, locale) })),
          },
        };
  const reportJson = w.reportJson === null ? null : reportJsonIn(w.serverName, w.reportJson, locale);
  return { ...w, state, reportJson };
}

/**
 * A view of `monitor` whose watched names carry their hints in `locale` (`/api/monitor?lang=`): the hint headlines'
 * titles, and each last report diagnosed again (`localizeReport`). Ids, states and every other field are the
 * monitor's; nothing is checked again. English is the monitor itself.
 *
 * @example
 * ```ts
 * const body = monitorBody(monitorIn(monitor, 'zh-CN'), null, true);
 * ```
 */
export function monitorIn(monitor: Monitor, locale: Locale): Monitor {
  if (locale === 'en') return monitor;
  return {
    settings: monitor.settings,
    intervalMs: monitor.intervalMs,
    names: () => monitor.names().map((w) => watchedNameIn(w, locale)),
    name: (serverName) => {
      const w = monitor.name(serverName);
      return w === undefined ? undefined : watchedNameIn(w, locale);
    },
    update: (settings, channels, checkOptions) => monitor.update(settings, channels, checkOptions),
    close: () => monitor.close(),
  };
}
