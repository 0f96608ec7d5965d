// The key checks in matrix-federation-tester's names (its ConnectionReports[addr].Checks), from the generic inspection of src/keys/.

import { ed25519KeyChecks, ed25519VerifyKeys, type Ed25519KeyCheck } from '../check-report/index.js';
import { inspectServerKeys, type ServerKeysInspection } from '../keys/key-response.js';
import type { KeyCheckError } from '../keys/types.js';

/** One key's checks in matrix-federation-tester's report (`Checks.Ed25519Checks[keyId]`). */
export type FederationTesterEd25519Checks = Ed25519KeyCheck;

/**
 * The key checks in matrix-federation-tester's names (its `ConnectionReports[addr].Checks`, without
 * `AllChecksOK` and `ValidCertificates`, which need the TLS result too), plus `Ed25519VerifyKeys` and errors.
 */
export interface FederationTesterKeyChecks {
  readonly MatchingServerName: boolean;
  readonly FutureValidUntilTS: boolean;
  readonly HasEd25519Key: boolean;
  /**
   * All ed25519 checks passed. `null` when the response had no ed25519 key to check, exactly as the tester
   * writes it (a Go `*bool` left nil), so that scripts reading its JSON see the same value.
   */
  readonly AllEd25519ChecksOK: boolean | null;
  readonly Ed25519Checks: Readonly<Record<string, FederationTesterEd25519Checks>>;
  /** Key id -> public key as unpadded standard base64 (as sent when it did not decode). */
  readonly Ed25519VerifyKeys: Readonly<Record<string, string>>;
  readonly errors: readonly KeyCheckError[];
}

/**
 * Checks a `GET /_matrix/key/v2/server` response and returns matrix-federation-tester's key checks
 * (`MatchingServerName`, `FutureValidUntilTS`, `HasEd25519Key`, `AllEd25519ChecksOK`, `Ed25519Checks`,
 * `Ed25519VerifyKeys`) plus coded errors. Derived from `inspectServerKeys`; never throws.
 *
 * @example
 * ```ts
 * const checks = checkServerKeys(body, 'example.org', Date.now());
 * // { MatchingServerName: true, FutureValidUntilTS: true, HasEd25519Key: true, AllEd25519ChecksOK: true,
 * //   Ed25519Checks: { 'ed25519:a_AbCd': { ValidEd25519: true, MatchingSignature: true } },
 * //   Ed25519VerifyKeys: { 'ed25519:a_AbCd': 'l8Hft5qXKn1vfHrg3p4+W8gELQVo8N13JkluMfmn2sQ' }, errors: [] }
 * ```
 */
export function checkServerKeys(body: unknown, expectedServerName: string, now: number): FederationTesterKeyChecks {
  return toFederationTesterKeyChecks(inspectServerKeys(body, expectedServerName, now));
}

/** Derives matrix-federation-tester's key checks from a native {@link ServerKeysInspection}. */
export function toFederationTesterKeyChecks(inspection: ServerKeysInspection): FederationTesterKeyChecks {
  return {
    MatchingServerName: inspection.matchingServerName,
    FutureValidUntilTS: inspection.futureValidUntilTs,
    HasEd25519Key: inspection.hasEd25519Key,
    AllEd25519ChecksOK: inspection.hasEd25519Key ? inspection.allEd25519ChecksOk : null,
    Ed25519Checks: ed25519KeyChecks(inspection),
    Ed25519VerifyKeys: ed25519VerifyKeys(inspection),
    errors: inspection.errors,
  };
}
