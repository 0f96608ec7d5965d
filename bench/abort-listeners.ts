// Benchmark: the cost per operation of following a shared AbortSignal (a listener each, AbortSignal.any, onAbort's fan-out).

import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { onAbort } from '../src/net/abort.js';
import { cpuModel, median, numberOption, runAsScript } from './_shared.js';

/** One way for an operation to follow its caller's signal: returns the function that lets go of it. */
type Follow = (parent: AbortSignal) => () => void;

const noop = (): void => undefined;

/**
 * The three ways compared. `listener` is what each operation did before (one `'abort'` listener on the shared signal:
 * Node warns past 10); `any` derives a child signal per operation (`AbortSignal.any`, no listener on the parent);
 * `fan-out` is `onAbort` (one real listener per signal, a Set entry per operation).
 */
export const WAYS: Readonly<Record<string, Follow>> = {
  listener: (parent) => {
    parent.addEventListener('abort', noop, { once: true });
    return () => parent.removeEventListener('abort', noop);
  },
  any: (parent) => {
    const child = AbortSignal.any([parent]);
    child.addEventListener('abort', noop, { once: true });
    return () => child.removeEventListener('abort', noop);
  },
  'fan-out': (parent) => onAbort(parent, noop),
};

/** Nanoseconds per operation: `perSignal` operations register on a fresh signal, then all let go, `total` in all. */
export function nsPerOperation(follow: Follow, total: number, perSignal: number): number {
  const started = process.hrtime.bigint();
  for (let done = 0; done < total; done += perSignal) {
    const parent = new AbortController().signal;
    // Only so that the `listener` way can be measured past 10 without printing the warning it is about.
    setMaxListeners(perSignal + 1, parent);
    const stops: (() => void)[] = [];
    for (let i = 0; i < perSignal; i += 1) stops.push(follow(parent));
    for (const stop of stops) stop();
  }
  return Number(process.hrtime.bigint() - started) / total;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string' }, operations: { type: 'string' }, 'per-signal': { type: 'string' } },
  });
  const rounds = numberOption('rounds', values.rounds, 15, { integer: true, sign: 'positive' });
  const operations = numberOption('operations', values.operations, 200_000, { integer: true, sign: 'positive' });
  const perSignal = numberOption('per-signal', values['per-signal'], 32, { integer: true, sign: 'positive' });
  const names = Object.keys(WAYS);
  // Warm-up, then rounds in which the ways alternate, so that the machine's drift touches them alike.
  for (const name of names) nsPerOperation(WAYS[name] as Follow, operations / 4, perSignal);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name]?.push(nsPerOperation(WAYS[name] as Follow, operations, perSignal));
  }
  const ratio = (a: string, b: string): number =>
    median((samples[a] ?? []).map((x, i) => x / (samples[b]?.[i] ?? Number.NaN)).sort((x, y) => x - y));
  process.stdout.write(
    `abort-listeners: ${operations} operations per round, ${perSignal} per signal, ${rounds} rounds; Node ${process.version}, ${cpuModel()}\n`,
  );
  for (const name of names) {
    const sorted = [...(samples[name] ?? [])].sort((x, y) => x - y);
    process.stdout.write(`  ${name.padEnd(9)} ${median(sorted).toFixed(0).padStart(6)} ns per operation (median)\n`);
  }
  process.stdout.write(
    `  any / fan-out: ${ratio('any', 'fan-out').toFixed(1)}x   listener / fan-out: ${ratio('listener', 'fan-out').toFixed(2)}x (median of pairwise ratios)\n`,
  );
  return 0;
}

runAsScript(import.meta.url, main, { name: 'abort-listeners', watchdogMs: 300_000 });
