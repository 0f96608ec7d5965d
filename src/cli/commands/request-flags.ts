// The flags of `request`: shared by commands/request.ts, which declares them, and request-run.ts, which reads them.

import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `request`. */
export interface RequestFlags extends NetworkFlagValues, CacheStoreFlagValues {
  readonly method: string;
  readonly json?: boolean;
}
