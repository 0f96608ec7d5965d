// Types of a federation check: per-address results, the document checks, and the native report.

import type { ErrorCode } from '../errors.js';
import type { ClientDocumentReport } from './client-document.js';
import type { SupportDocumentReport } from './support-document.js';
import type { ResolveOptions, ResolveResult, ResolvedTarget, WellKnownStatus } from '../resolver/types.js';
import type { ProbeReport } from './probes.js';

/** A problem found by one check, in stable terms. */
export interface CheckProblem {
  /** An error code of `src/errors.ts`, or a check-specific code (e.g. `KEYS_BAD_SIGNATURE`). */
  readonly code: ErrorCode | (string & {});
  readonly message: string;
}

/** One certificate of the chain a server sent (leaf first). */
export interface CertificateSummary {
  readonly subjectCommonName: string;
  readonly issuerCommonName: string;
  /** SHA-256 of the DER, unpadded standard base64 (as matrix-federation-tester prints it). */
  readonly sha256Fingerprint: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly selfSigned: boolean;
}

/** The TLS handshake with one address. */
export interface TlsReport {
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly chain: readonly CertificateSummary[];
  /** The chain verifies against the trusted CAs. */
  readonly trusted: boolean;
  readonly trustError: CheckProblem | null;
  /** The leaf is valid for the target's `tlsServerName`. */
  readonly nameMatches: boolean;
  readonly nameError: CheckProblem | null;
  readonly expiresInDays: number | null;
  readonly durationMs: number;
}

/** `GET /_matrix/federation/v1/version` on one address. */
export interface VersionReport {
  readonly ok: boolean;
  readonly httpStatus: number | null;
  readonly name: string | null;
  readonly version: string | null;
  readonly contentType: string | null;
  readonly error: CheckProblem | null;
  readonly durationMs: number;
}

/** Per-key checks, named as matrix-federation-tester names them. */
export interface Ed25519KeyCheck {
  readonly ValidEd25519: boolean;
  readonly MatchingSignature: boolean;
}

/** `GET /_matrix/key/v2/server` on one address. */
export interface KeysReport {
  readonly ok: boolean;
  readonly httpStatus: number | null;
  readonly matchingServerName: boolean;
  readonly futureValidUntilTs: boolean;
  readonly hasEd25519Key: boolean;
  readonly allEd25519ChecksOk: boolean;
  readonly ed25519Checks: Readonly<Record<string, Ed25519KeyCheck>>;
  /** Key id to unpadded base64 public key. */
  readonly verifyKeys: Readonly<Record<string, string>>;
  /** The `server_name` the response claims, when it has one. */
  readonly serverName: string | null;
  readonly validUntilTs: number | null;
  /** The response body as parsed JSON (null when it was not JSON). */
  readonly raw: unknown;
  readonly problems: readonly CheckProblem[];
  readonly durationMs: number;
}

/** Everything checked on one target address. */
export interface AddressReport {
  readonly target: ResolvedTarget;
  /** `ip:port` (IPv6 bracketed), the key used in the federation-tester format. */
  readonly address: string;
  readonly family: 4 | 6;
  /** Could not connect or complete TLS at all. */
  readonly connectionError: CheckProblem | null;
  readonly tls: TlsReport | null;
  readonly version: VersionReport | null;
  readonly keys: KeysReport | null;
  /** Certificate trusted and named right, version answered, keys valid. */
  readonly ok: boolean;
}

/** The server well-known, fetched from one address of the server name's host. */
export interface WellKnownByAddress {
  readonly ip: string;
  readonly family: 4 | 6;
  readonly status: Exclude<WellKnownStatus, 'skipped'>;
  readonly mServer: string | null;
  readonly code: ErrorCode | null;
  readonly detail: string;
}

/** A hint: what is wrong (or worth knowing), and how to fix it. See `src/diagnosis/`. */
export interface Hint {
  /** Stable id, e.g. `well-known-m-server-has-scheme`. */
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** Which verdict it is about. */
  readonly area: 'federation' | 'client' | 'support';
  readonly title: string;
  /** What was seen, with the concrete values. */
  readonly detail: string;
  /** What to change, in plain words. */
  readonly fix: string;
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
  readonly version: { readonly name: string | null; readonly version: string | null; readonly error: string | null };
  /** `/.well-known/matrix/client` (not part of the federation verdict); null when not checked. */
  readonly client: ClientDocumentReport | null;
  /** `/.well-known/matrix/support` (not part of the federation verdict); null when not checked. */
  readonly support: SupportDocumentReport | null;
  /** Extra evidence for the hints (SRV both ways, the HTTPS port, misplaced well-knowns); see `probes.ts`. */
  readonly probes: ProbeReport;
  readonly hints: readonly Hint[];
}

/** Options of a check: the resolver's, plus budgets. Defaults in brackets. */
export interface CheckOptions extends ResolveOptions {
  /**
   * Budget of the whole check in milliseconds, 1 to 2^31 - 1 [45000]: the report comes within it, with whatever did
   * not finish in time marked `TIMEOUT` (see `checkServer`). Unlike `resolveServerName`'s, it is not the resolution's
   * budget: the resolution gets at most 40 % of it (and at most 15 s), its well-known fetch at most 60 % of that.
   */
  readonly timeoutMs?: number;
  /**
   * Most any one remote operation (TLS handshake, one HTTP request, one DNS question of the probes) may take, in
   * milliseconds [10000]; each also gets at most its share of what is left of `timeoutMs`.
   */
  readonly operationTimeoutMs?: number;
  /** Check the client and support documents too [true]. */
  readonly checkDocuments?: boolean;
  /**
   * Most target addresses checked (in resolution order), and most addresses the server well-known is fetched from
   * [32]. The rest are listed in the resolution but never contacted, so a name with a thousand addresses cannot make
   * one check open a thousand connections to other people's servers.
   */
  readonly maxAddresses?: number;
  /** The clock, for key validity [Date.now]. */
  readonly now?: () => number;
  /**
   * Cancels the whole check (resolution, address checks, documents, probes): `checkServer` then rejects with the
   * signal's reason and stops its network work (see `checkServer`).
   */
  readonly signal?: AbortSignal;
}
