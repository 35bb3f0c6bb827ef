/**
 * Levenshtein distance between `a` and `b` when it is below `limit`, else `limit` (the answer to "closer than
 * limit?" is all triage asks). Common ends are trimmed, then only the diagonal band |i - j| < limit is
 * computed, and the search stops once a whole row is past the limit: O(n · limit) instead of O(n · m).
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (limit <= 0) return a === b ? 0 : limit;
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (Math.abs(n - m) >= limit) return limit;
  if (n === 0 || m === 0) return Math.max(n, m);
  const band = limit - 1;
  const over = limit;
  // row[j - i + band] holds the distance of a[0..i) to b[0..j) for j within the band.
  const width = 2 * band + 1;
  let prev = new Int32Array(width + 2).fill(over);
  let row = new Int32Array(width + 2).fill(over);
  for (let d = 0; d <= Math.min(band, m); d++) prev[d + band] = d;
  for (let i = 1; i <= n; i++) {
    const ca = a.charCodeAt(start + i - 1);
    const lo = Math.max(0, i - band);
    const hi = Math.min(m, i + band);
    row.fill(over);
    let best = over;
    for (let j = lo; j <= hi; j++) {
      const k = j - i + band;
      let v: number;
      if (j === 0) {
        v = i;
      } else {
        const sub = (prev[k] ?? over) + (ca === b.charCodeAt(start + j - 1) ? 0 : 1);
        const del = (prev[k + 1] ?? over) + 1;
        const ins = (row[k - 1] ?? over) + 1;
        v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      }
      if (v > over) v = over;
      row[k] = v;
      if (v < best) best = v;
    }
    if (best >= limit) return limit;
    [prev, row] = [row, prev];
  }
  const last = prev[m - n + band] ?? over;
  return last < limit ? last : limit;
}
