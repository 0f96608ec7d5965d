// The flags of `watch` and what its action is given (signals): shared by commands/watch.ts and watch-run.ts.

import type { LocaleFlagValues } from '../lang-flag.js';
import type { NetworkFlagValues } from '../network-flags.js';

/** The parsed flags of `watch`. */
export interface WatchFlags extends NetworkFlagValues, LocaleFlagValues {
  readonly interval?: number;
  /** Hidden (tests): the interval in milliseconds, below the 5 s minimum. */
  readonly intervalMs?: number;
  readonly failuresBeforeAlert?: number;
  readonly certificateWarningDays?: number;
  readonly concurrency?: number;
  readonly config?: string;
  readonly stateFile?: string;
  readonly json?: boolean;
}

/** The signals `watch` stops on. */
export type WatchSignal = 'SIGTERM' | 'SIGINT';

/** Where `watch` receives signals from: the process, or a test's emitter. */
export interface WatchSignalSource {
  on(signal: WatchSignal, listener: () => void): unknown;
  off(signal: WatchSignal, listener: () => void): unknown;
}

/** Injected dependencies of the watch command (tests replace them). */
export interface WatchDependencies {
  /** [process] */
  readonly signals?: WatchSignalSource;
}

/** Bounds of the numeric flags (the `monitor:` config's, so that both accept the same values). */
export const WATCH_LIMITS = {
  interval: { min: 5, max: 86_400 },
  failuresBeforeAlert: { min: 1, max: 100 },
  certificateWarningDays: { min: 0, max: 365 },
  concurrency: { min: 1, max: 256 },
} as const;
