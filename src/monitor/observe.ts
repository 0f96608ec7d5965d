// What the monitor keeps of a check report: the verdict, the hints, and the facts whose change is worth knowing.

import type { CheckReport } from '../checker/types.js';
import type { Baseline, HintHeadline, Observation } from './types.js';

/** Hints kept per observation: what a notification lists (the report has all of them). */
const MAX_HINTS = 20;

/**
 * Reduces a check report, finished at `finishedAt` (ms since the epoch), to an {@link Observation}. The certificate expiry is the earliest `notAfter` of every
 * certificate in every chain servers sent, as blackbox_exporter's `probe_ssl_earliest_cert_expiry` takes it: an
 * intermediate that expires first breaks federation as surely as the leaf.
 *
 * @example
 * ```ts
 * const observation = observeReport(await checkServer('example.org'));
 * observation.ok; // report.federationOk
 * ```
 */
export function observeReport(report: CheckReport, finishedAt: number = Date.now()): Observation {
  let expiry: number | null = null;
  const certificates = new Set<string>();
  let addressesOk = 0;
  for (const address of report.addresses) {
    if (address.ok) addressesOk += 1;
    const chain = address.tls?.chain ?? [];
    const leaf = chain[0];
    if (leaf !== undefined) certificates.add(leaf.sha256Fingerprint);
    for (const certificate of chain) {
      const notAfter = Date.parse(certificate.validTo);
      if (Number.isFinite(notAfter) && (expiry === null || notAfter < expiry)) expiry = notAfter;
    }
  }
  const delegation = new Set(report.resolution.targets.map((t) => `${t.tlsServerName}:${t.port}`));
  return {
    ok: report.federationOk,
    checkedAt: finishedAt,
    durationMs: report.durationMs,
    summary: report.summary,
    hints: report.hints
      .slice(0, MAX_HINTS)
      .map((h): HintHeadline => ({ id: h.id, severity: h.severity, title: h.title })),
    addressesOk,
    addressesFailed: report.addresses.length - addressesOk,
    certificateExpiresAt: expiry,
    certificates: [...certificates].sort(),
    delegation: [...delegation].sort(),
    wellKnownDelegated: report.resolution.wellKnown.status === 'delegated',
    serverVersion: { name: report.version.name, version: report.version.version },
  };
}

/** The facts of an observation that a `changed` notification compares. */
export function baselineOf(observation: Observation): Baseline {
  const { name, version } = observation.serverVersion;
  const serverVersion = name === null && version === null ? null : [name, version].filter((v) => v !== null).join(' ');
  return { certificates: observation.certificates, delegation: observation.delegation, serverVersion };
}
