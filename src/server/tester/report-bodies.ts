// The tester's answers for one report, serialised once and sent as the same bytes to every client that asks.

import type { CheckReport } from '../../checker/types.js';
import { toFederationTesterReport } from '../../report/federation-tester.js';
import { toNativeJson } from '../../report/native.js';

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
    JSON.stringify(format === 'native' ? toNativeJson(report) : toFederationTesterReport(report)),
    'utf8',
  );
  forReport[format] = body;
  return body;
}
