// The options of a federation check; the report it returns is the model of src/check-report/, re-exported here.

import type { ResolveOptions } from '../resolver/types.js';

// The checker hands out the report model: its users import the types from the checker, as before the model moved.
export type {
  AddressReport,
  CertificateSummary,
  CheckProblem,
  CheckReport,
  Ed25519KeyCheck,
  Hint,
  KeysReport,
  TlsReport,
  VersionReport,
  WellKnownByAddress,
} from '../check-report/index.js';
import type { Locale } from '../i18n/index.js';

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
   * The language of what people read in the report: the hints' titles, details and fixes, and the summary ['en'].
   * Everything a script reads (ids, codes, JSON keys) is the same in every language.
   */
  readonly locale?: Locale;
  /**
   * Cancels the whole check (resolution, address checks, documents, probes): `checkServer` then rejects with the
   * signal's reason and stops its network work (see `checkServer`).
   */
  readonly signal?: AbortSignal;
}
