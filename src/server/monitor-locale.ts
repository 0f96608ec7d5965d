// The monitor as /api/monitor shows it in another language: each watched name's hints (and summary) diagnosed again.

import { hintTitle } from '../diagnosis/index.js';
import type { HintId } from '../diagnosis/index.js';
import type { Locale } from '../i18n/locale.js';
import type { Monitor, WatchedName } from '../monitor/monitor.js';
import type { NativeCheckJson } from '../report/native.js';
import { localizeReport } from './tester/localize-report.js';
import { nativeDocument } from './tester/report-bodies.js';
import { reportFromNativeJson } from './tester/native-report.js';

/** A watched name's last report in one language, and the English report text it was made from. */
interface Translated {
  readonly source: string;
  readonly json: string;
  /** The report's summary in English (what the state's observation holds when it is the same check) and in the language. */
  readonly summary: { readonly en: string; readonly translated: string };
}

/** Translated reports by language and name; a name's entry is replaced when its report changes. */
const translatedReports = new Map<string, Translated>();

/** Entries kept at most (names ever watched by this process, times languages): past it the map starts again. */
const MAX_TRANSLATED = 10_000;

/**
 * The last report of `serverName` (native JSON text) with its summary and hints in `locale`, made once per report and
 * language: `/api/monitor` is polled by the page, and the monitor replaces a name's report text only when it checks
 * it again. The monitor keeps (and, with Redis, shares) its reports as native JSON: the report is read back from it
 * (`reportFromNativeJson`) and diagnosed again. Should that give other hints than the document's own (ids in order:
 * the same in every language), the document stays as it is, in English, rather than show other hints.
 */
function reportIn(serverName: string, reportJson: string, locale: Locale): Translated {
  const key = `${locale}\n${serverName}`;
  const known = translatedReports.get(key);
  if (known !== undefined && known.source === reportJson) return known;
  const doc = JSON.parse(reportJson) as NativeCheckJson;
  const translated = localizeReport(reportFromNativeJson(doc), locale);
  const ids = (hints: readonly { readonly id: string }[]): string => hints.map((h) => h.id).join(' ');
  const made: Translated =
    ids(translated.hints) === ids(doc.hints)
      ? {
          source: reportJson,
          // With the report's sentences in the language (`messages`), as /api/check gives them.
          json: JSON.stringify(nativeDocument(translated)),
          summary: { en: doc.summary, translated: translated.summary },
        }
      : { source: reportJson, json: reportJson, summary: { en: doc.summary, translated: doc.summary } };
  if (translatedReports.size >= MAX_TRANSLATED) translatedReports.clear();
  translatedReports.set(key, made);
  return made;
}

/**
 * One watched name with its last report (summary and hints), its hint headlines' titles and its summary in
 * `locale`. The state's summary is the report's when both come from the same check (the same English sentence);
 * while this instance has not yet read the report of a check another instance made, it stays as it is.
 */
function watchedNameIn(w: WatchedName, locale: Locale): WatchedName {
  const report = w.reportJson === null ? null : reportIn(w.serverName, w.reportJson, locale);
  const last = w.state?.last ?? null;
  const state =
    w.state === null || last === null
      ? w.state
      : {
          ...w.state,
          last: {
            ...last,
            summary: report !== null && report.summary.en === last.summary ? report.summary.translated : last.summary,
            hints: last.hints.map((h) => ({ ...h, title: hintTitle(h.id as HintId, locale) })),
          },
        };
  return { ...w, state, reportJson: report === null ? null : report.json };
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
