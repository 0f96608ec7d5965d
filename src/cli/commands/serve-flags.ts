// The flags of `serve` and what its action is given (signals, start): shared by commands/serve.ts and serve-run.ts.

import type { startServer } from '../../server/serve.js';
import type { LocaleFlagValues } from '../lang-flag.js';
import type { NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `serve`. */
export interface ServeFlags extends NetworkFlagValues, LocaleFlagValues {
  readonly config?: string;
}

/** The signals `serve` reacts to. */
export type ServeSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT';

/** Where `serve` receives signals from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: ServeSignal, listener: () => void): unknown;
  off(signal: ServeSignal, listener: () => void): unknown;
}

/** Injected dependencies of the serve command (tests replace them). */
export interface ServeDependencies {
  /** [process] */
  readonly signals?: SignalSource;
  /** [startServer] */
  readonly start?: typeof startServer;
}
