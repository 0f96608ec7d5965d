// The flags of `resolve`: shared by commands/resolve.ts, which declares them, and resolve-run.ts, which reads them.

import type { LocaleFlagValues } from '../lang-flag.js';
import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `resolve`. */
export interface ResolveFlags extends NetworkFlagValues, CacheStoreFlagValues, LocaleFlagValues {
  readonly json?: boolean;
  readonly trace?: boolean;
}
