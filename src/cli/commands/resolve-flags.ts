// The flags of `resolve`: shared by commands/resolve.ts, which declares them, and resolve-run.ts, which reads them.

import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `resolve`. */
export interface ResolveFlags extends NetworkFlagValues, CacheStoreFlagValues {
  readonly json?: boolean;
  readonly trace?: boolean;
}
