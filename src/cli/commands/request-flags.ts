// The flags of `request`: shared by commands/request.ts, which declares them, and request-run.ts, which reads them.

import type { LocaleFlagValues } from '../lang-flag.js';
import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `request`. */
export interface RequestFlags extends NetworkFlagValues, CacheStoreFlagValues, LocaleFlagValues {
  /** [GET, or POST with a body] */
  readonly method?: string;
  readonly json?: boolean;
  /** Sign as this server name (X-Matrix); needs `signingKey`. */
  readonly origin?: string;
  /** Path of the origin's signing key file (Synapse's format). */
  readonly signingKey?: string;
  /** A JSON body, as text. */
  readonly data?: string;
  /** A file holding a JSON body. */
  readonly dataFile?: string;
}
