// The report of one check: the resolution, every address, the server well-known per address, the documents, probes, hints.

import type { ErrorCode } from '../errors.js';
import type { ResolveResult, WellKnownStatus } from '../resolver/types.js';
import type { AddressReport } from './address.js';
import type { ClientDocumentReport } from './client-document.js';
import type { Hint } from './hint.js';
import type { ProbeReport } from './probes.js';
import type { SupportDocumentReport } from './support-document.js';

/** The server well-known, fetched from one address of the server name's host. */
export interface WellKnownByAddress {
  readonly ip: string;
  readonly family: 4 | 6;
  readonly status: Exclude<WellKnownStatus, 'skipped'>;
  readonly mServer: string | null;
  readonly code: ErrorCode | null;
  readonly detail: string;
}

/** The server version as read through the first working address (the tester's `Version`). */
export interface CheckVersion {
  readonly name: string | null;
  readonly version: string | null;
  readonly error: string | null;
}

/** The native report of one check. */
export interface CheckReport {
  readonly serverName: string;
  readonly checkedAt: string;
  readonly durationMs: number;
  /** The verdict with matrix-federation-tester's rule (see {@link federationVerdict}). */
  readonly federationOk: boolean;
  /** At least one address works end to end (the native, more forgiving view). */
  readonly reachable: boolean;
  /** One sentence: "Federation works.", "Federation works, but 1 of 3 addresses fails.", ... */
  readonly summary: string;
  readonly resolution: ResolveResult;
  /** The server well-known from every address of the server name's host (empty when skipped). */
  readonly wellKnownByAddress: readonly WellKnownByAddress[];
  readonly addresses: readonly AddressReport[];
  /** The server version as read through the first working address (the tester's `Version`). */
  readonly version: CheckVersion;
  /** `/.well-known/matrix/client` (not part of the federation verdict); null when not checked. */
  readonly client: ClientDocumentReport | null;
  /** `/.well-known/matrix/support` (not part of the federation verdict); null when not checked. */
  readonly support: SupportDocumentReport | null;
  /** Extra evidence for the hints (SRV both ways, the HTTPS port, misplaced well-knowns); see `probes.ts`. */
  readonly probes: ProbeReport;
  readonly hints: readonly Hint[];
}

/**
 * matrix-federation-tester's verdict, kept so that the same server gets the same answer in its format:
 * false when the name is invalid, no address was found, the version request fails, any address has a
 * connection error, or any address fails its checks (keys and `ValidCertificates`).
 *
 * @example
 * ```ts
 * federationVerdict(false, report.addresses) === report.federationOk; // true for a report of checkServer
 * ```
 */
export function federationVerdict(invalidName: boolean, addresses: readonly AddressReport[]): boolean {
  if (invalidName || addresses.length === 0) return false;
  if (!addresses.some((a) => a.version?.ok === true)) return false;
  return addresses.every(
    (a) => a.connectionError === null && a.tls !== null && a.tls.trusted && a.tls.nameMatches && a.keys?.ok === true,
  );
}
