// RFC 2782 SRV target selection: ascending priority, weighted random order within a priority.

import type { SrvRecord } from './types.js';

/**
 * Orders SRV records the way a client must try them (RFC 2782, "Usage rules"; Matrix server-server API,
 * "Resolving server names" step 4): lowest priority first; within one priority, repeated weighted random
 * selection, so that a record with weight `w` comes first with probability `w / sum`.
 *
 * RFC 2782's algorithm puts the weight-0 records at the start of the list and draws an integer in
 * `[0, sum]` inclusive, selecting the first record whose running weight sum is `>=` the draw. The draw 0
 * is what gives weight-0 records their "very small chance" of being picked early. Taken literally it also
 * hands that extra draw to the first *weighted* record when there is no weight-0 record, skewing weights
 * 1 and 3 to 40/60 instead of 25/75; so the draw 0 is only possible while a weight-0 record remains, which
 * keeps weighted records exactly proportional. With only weight-0 records left, they keep their order.
 *
 * Pure: the input is not modified and all randomness comes from `random` (uniform in [0, 1)).
 *
 * @example
 * ```ts
 * orderSrvRecords([
 *   { priority: 10, weight: 1, port: 8448, target: 'b.example.org' },
 *   { priority: 0, weight: 0, port: 8448, target: 'a.example.org' },
 * ]); // a.example.org first (lower priority), then b.example.org
 * ```
 */
export function orderSrvRecords(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const record of records) {
    const group = byPriority.get(record.priority);
    if (group === undefined) byPriority.set(record.priority, [record]);
    else group.push(record);
  }
  const priorities = [...byPriority.keys()].sort((a, b) => a - b);
  const ordered: SrvRecord[] = [];
  for (const priority of priorities) {
    ordered.push(...weightedOrder(byPriority.get(priority) ?? [], random));
  }
  return ordered;
}

/**
 * True when the records say "service decidedly not available at this domain": exactly one record, whose
 * target is "." (RFC 2782). The Matrix resolver must then fail, without falling back to other steps.
 */
export function isSrvUnavailable(records: readonly SrvRecord[]): boolean {
  return records.length === 1 && records[0]?.target === '.';
}

/** RFC 2782 weighted selection within one priority (see {@link orderSrvRecords} for the zero-draw rule). */
function weightedOrder(group: readonly SrvRecord[], random: () => number): SrvRecord[] {
  // "arrange all the unordered RRs such that all those with weight 0 are placed at the beginning"
  const remaining = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight !== 0)];
  const result: SrvRecord[] = [];
  while (remaining.length > 0) {
    const total = remaining.reduce((sum, r) => sum + r.weight, 0);
    const hasZero = remaining[0]?.weight === 0;
    // Draw in [0, total] when a weight-0 record can take the 0, otherwise in [1, total].
    const low = hasZero ? 0 : 1;
    const draw = low + Math.min(Math.floor(clampUnit(random()) * (total - low + 1)), total - low);
    let running = 0;
    let index = remaining.findIndex((r) => (running += r.weight) >= draw);
    if (index < 0) index = 0; // unreachable with well-formed weights; keeps the loop finite regardless
    const [picked] = remaining.splice(index, 1);
    if (picked !== undefined) result.push(picked);
  }
  return result;
}

/** Guards against injected random sources that step outside [0, 1) (or return NaN). */
function clampUnit(value: number): number {
  if (!(value >= 0)) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}
