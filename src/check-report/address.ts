// The report of one target address: TLS handshake and certificates, the federation version, the server keys.

import type { ServerKeysInspection } from '../keys/key-response.js';
import type { ResolvedTarget } from '../resolver/types.js';
import type { AddressRetries, AnswerHeaders } from './field.js';
import type { CheckProblem } from './problem.js';

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
  /** What the answer's headers say answered it (a CDN, a firewall); null when no answer came. Set by `checkServer`. */
  readonly answer?: AnswerHeaders | null;
}

/** Per-key checks, named as matrix-federation-tester names them (the native report keeps its names). */
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
  /** What the answer's headers say answered it (a CDN, a firewall); null when no answer came. Set by `checkServer`. */
  readonly answer?: AnswerHeaders | null;
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
  /**
   * Requests repeated to tell a firewall or a proxy's routing from a missing homeserver (see `AddressRetries`); null
   * when no answer called for one. Set by `checkServer`.
   */
  readonly retries?: AddressRetries | null;
}

/** `ip:port` with IPv6 in brackets: the address key of reports. */
export function formatAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The per-key checks of `verify_keys` by key id (`ed25519Checks` of {@link KeysReport}). Built with
 * `Object.fromEntries`, which defines own properties: no key id can touch a prototype.
 */
export function ed25519KeyChecks(inspection: ServerKeysInspection): Record<string, Ed25519KeyCheck> {
  return Object.fromEntries(
    inspection.verifyKeys.map((k) => [
      k.keyId,
      { ValidEd25519: k.validEd25519, MatchingSignature: k.matchingSignature },
    ]),
  );
}

/** Key id -> public key as unpadded standard base64 (as sent when it did not decode); keys without one are left out. */
export function ed25519VerifyKeys(inspection: ServerKeysInspection): Record<string, string> {
  return Object.fromEntries(
    inspection.verifyKeys.flatMap((k) => {
      const key = k.normalizedKey ?? k.key;
      return key === null ? [] : [[k.keyId, key]];
    }),
  );
}
