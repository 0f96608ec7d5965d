// Resident memory of a process over time, read from /proc/<pid>/status (VmRSS), for the soak's flat-memory checks.

import { readFileSync } from 'node:fs';

/** The resident set size of `pid` in KiB, or null when the process is gone or /proc is not there. */
export function readRssKib(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** What a sampler saw. All sizes in KiB. */
export interface RssSeries {
  /** Every sample, in order. */
  readonly samples: readonly { readonly atMs: number; readonly kib: number }[];
  /** How many samples were taken from the baseline on. */
  readonly counted: number;
  /** The first sample at or after the baseline mark (the first sample when there is no mark). */
  readonly startKib: number;
  /** The largest sample from the baseline on. */
  readonly peakKib: number;
  /** The smallest sample from the baseline on. */
  readonly lowKib: number;
  /** The last sample. */
  readonly endKib: number;
  /** `endKib - startKib`. */
  readonly growthKib: number;
  /** The lowest sample in the first third of the samples from the baseline on (memory right after a collection). */
  readonly firstFloorKib: number;
  /** The lowest sample in the last third. */
  readonly lastFloorKib: number;
  /**
   * `lastFloorKib - firstFloorKib`: how much the floor rose. A process that allocates a lot swings by tens of
   * MiB between garbage collections (a sawtooth), so two single samples say little; a leak raises the floor.
   */
  readonly floorGrowthKib: number;
}

/** A running sampler. */
export interface RssSampler {
  /** Takes a sample now and makes it the baseline (call it after warm-up). */
  markBaseline(): void;
  /** Takes a last sample and stops. */
  stop(): RssSeries;
}

/**
 * Samples the RSS of `pid` every `intervalMs` (a second by default). The baseline is the sample taken by
 * {@link RssSampler.markBaseline}, so that start-up and warm-up growth (JIT, buffers) are not counted as a leak.
 *
 * @example
 * ```ts
 * const sampler = sampleRss(child.pid);
 * await warmUp();
 * sampler.markBaseline();
 * await load();
 * const { growthKib } = sampler.stop();
 * ```
 */
export function sampleRss(pid: number, intervalMs = 1000): RssSampler {
  const started = performance.now();
  const samples: { atMs: number; kib: number }[] = [];
  let baselineIndex = 0;
  const take = (): void => {
    const kib = readRssKib(pid);
    if (kib !== null) samples.push({ atMs: Math.round(performance.now() - started), kib });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    markBaseline() {
      take();
      baselineIndex = Math.max(0, samples.length - 1);
    },
    stop() {
      clearInterval(timer);
      take();
      const window = samples.slice(baselineIndex);
      const startKib = window[0]?.kib ?? 0;
      const endKib = window.at(-1)?.kib ?? 0;
      const peakKib = window.reduce((max, s) => Math.max(max, s.kib), 0);
      const third = Math.max(1, Math.floor(window.length / 3));
      const floor = (part: readonly { kib: number }[]): number =>
        part.reduce((min, x) => Math.min(min, x.kib), Number.POSITIVE_INFINITY);
      const firstFloorKib = window.length === 0 ? 0 : floor(window.slice(0, third));
      const lastFloorKib = window.length === 0 ? 0 : floor(window.slice(-third));
      return {
        samples,
        counted: window.length,
        startKib,
        peakKib,
        lowKib: window.length === 0 ? 0 : floor(window),
        endKib,
        growthKib: endKib - startKib,
        firstFloorKib,
        lastFloorKib,
        floorGrowthKib: lastFloorKib - firstFloorKib,
      };
    },
  };
}

/** KiB as MiB with one decimal, e.g. `83.4 MiB`. */
export function formatMib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}
