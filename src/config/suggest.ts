// "Did you mean ...?": the closest known key to a misspelt one (optimal string alignment distance).

/** Lowercase and without `_`/`-`, so that `serverName` and `server-name` both match `server_name`. */
function squash(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Edit distance where insertion, deletion, substitution and the transposition of two neighbours each cost 1
 * (`server_nmae` is one edit from `server_name`).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    const row = d[i];
    if (row === undefined) continue;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known key `unknown` was most likely meant as, or undefined when none is close enough.
 *
 * Close enough: the same key up to case, `_` and `-`; or at most 1 edit away for keys up to 4 characters,
 * 2 edits for longer ones (a short key two edits away is usually a different word).
 *
 * @example
 * ```ts
 * suggestKey('server_nmae', ['server_name', 'listeners']); // 'server_name'
 * suggestKey('database', ['server_name', 'listeners']);    // undefined
 * ```
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const squashed = squash(unknown);
  const exact = known.find((candidate) => squash(candidate) === squashed);
  if (exact !== undefined) return exact;
  const limit = unknown.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(squashed, squash(candidate));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
