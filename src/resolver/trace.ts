// Records the resolution trace: every step taken or skipped, with its reason and timing.

import type { TraceEntry } from './types.js';

/** A trace entry as a step records it: its times are added by the recorder (distributes over the union). */
export type TraceEntryInput<E extends TraceEntry = TraceEntry> = E extends TraceEntry
  ? Omit<E, 'startMs' | 'durationMs'>
  : never;

/**
 * Milliseconds on a monotonic clock. `process.hrtime` rather than the global `performance`, whose first use loads a part
 * of Node (perf_hooks) that a short command, such as resolving an IP literal, otherwise never needs: about 1 ms.
 */
function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}

/** Collects trace entries with times relative to the start of the resolution. */
export class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  readonly #now: () => number;
  readonly #origin: number;

  constructor(now: () => number = monotonicMs) {
    this.#now = now;
    this.#origin = now();
  }

  /** Milliseconds since the resolution started. */
  elapsed(): number {
    return this.#now() - this.#origin;
  }

  /** Records a step that did no work (skipped, or decided instantly). */
  note(entry: TraceEntryInput): void {
    this.entries.push({ ...entry, startMs: round(this.elapsed()), durationMs: 0 } as TraceEntry);
  }

  /** Starts timing a step; the returned function records it when the step ends. */
  begin(): (entry: TraceEntryInput) => void {
    const start = this.elapsed();
    return (entry) => {
      this.entries.push({ ...entry, startMs: round(start), durationMs: round(this.elapsed() - start) } as TraceEntry);
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
