// The tester's answers for one report, serialised once and sent as the same bytes to every client that asks.

import type { CheckReport } from '../../checker/types.js';
import { toFederationTesterReport } from '../../report/federation-tester.js';
import { toNativeJson, type NativeCheckJson } from '../../report/native.js';

/** The JSON answers of the tester API: `/api/check` (native) and `/api/report` (matrix-federation-tester's). */
export type ReportBodyFormat = 'native' | 'federation-tester';

/**
 * Serialised answers by report object. The result cache hands out one object per cached result while the store
 * keeps it (`ResultCache.get`), so these live exactly as long as the cached result does, and no answer is
 * serialised twice: before, every cache hit turned the report into JSON again, and 30 clients asking at once for a
 * 16.6 MB report held 30 copies of it (RSS 152 -> 606 MiB) and kept the event loop busy for seconds.
 */
const bodies = new WeakMap<CheckReport, Partial<Record<ReportBodyFormat, Buffer>>>();

/**
 * The report's sentences in the language of a localized report (`localizeReport`), by their English words: sent with
 * its native document as `messages`. Kept as long as that report object (the cached result's).
 */
const messagesOf = new WeakMap<CheckReport, Readonly<Record<string, string>>>();

/**
 * Gives `report` (a report in another language than English) the member `messages` in its native document: its
 * sentences in that language by their English words (`reportMessages`). The JSON keeps the English `message` values,
 * which scripts read; the page shows `messages[message] ?? message`. Only for a report no body was made of yet.
 */
export function setReportMessages(report: CheckReport, messages: Readonly<Record<string, string>>): void {
  messagesOf.set(report, messages);
}

/** The native document of `report`: `toNativeJson`, then its `messages` when it is in another language. */
export function nativeDocument(report: CheckReport): NativeCheckJson & { readonly messages?: Record<string, string> } {
  const messages = messagesOf.get(report);
  return messages === undefined ? toNativeJson(report) : { ...toNativeJson(report), messages };
}

/**
 * The UTF-8 JSON of `report` in `format`, made on the first call for this report object and the same Buffer on
 * every later one (Node writes a Buffer to each socket without copying it).
 *
 * @example
 * ```ts
 * res.end(reportBody(answer.report, 'native'));
 * ```
 */
export function reportBody(report: CheckReport, format: ReportBodyFormat): Buffer {
  let forReport = bodies.get(report);
  if (forReport === undefined) {
    forReport = {};
    bodies.set(report, forReport);
  }
  const known = forReport[format];
  if (known !== undefined) return known;
  const body = Buffer.from(
    JSON.stringify(format === 'native' ? nativeDocument(report) : toFederationTesterReport(report)),
    'utf8',
  );
  forReport[format] = body;
  return body;
}
