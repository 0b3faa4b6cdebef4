/**
 * Candidates within a small edit distance of `word` (case-insensitive), for
 * "did you mean …?" hints.
 * @internal
 */
export function closeMatches(word: string, candidates: Iterable<string>, maxDistance: number = 2): string[] {
  return [...candidates].filter((c) => editDistance(c.toLowerCase(), word.toLowerCase(), maxDistance) <= maxDistance);
}

/** Levenshtein distance, giving up early past `limit`. @internal */
export function editDistance(x: string, y: string, limit: number = Infinity): number {
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}
