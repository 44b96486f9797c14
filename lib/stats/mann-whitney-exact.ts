/**
 * The exact null distribution of the Mann-Whitney U statistic for sample sizes m and n (no ties):
 * the number of orderings with U = u is the coefficient of q^u in the Gaussian binomial coefficient
 * [m + n choose m]_q = ∏_{i=1..s} (1 − q^(L+i)) / (1 − q^i), with s = min(m, n), L = max(m, n).
 * Counted in BigInt, so it is exact for any size; the cost is O(s² · L) additions.
 */

/** Counts of each U = 0 … m·n; they sum to C(m + n, m). */
export function uCounts(m: number, n: number): bigint[] {
  const s = Math.min(m, n);
  const big = Math.max(m, n);
  const counts: bigint[] = new Array<bigint>(s * big + 1).fill(0n);
  counts[0] = 1n;
  for (let i = 1; i <= s; i++) {
    const degree = i * big;
    // divide by (1 − q^i): running sums with stride i (the series, cut at the new degree)
    for (let u = i; u <= degree; u++) counts[u] += counts[u - i];
    // multiply by (1 − q^(big + i)); descending, so each subtrahend is still the divided series
    for (let u = degree; u >= big + i; u--) counts[u] -= counts[u - big - i];
  }
  return counts;
}

/** P(U ≥ k) under H0 (SciPy's exact `sf`, U taken as an integer as SciPy does). */
export function uSurvival(k: number, m: number, n: number): number {
  const counts = uCounts(m, n);
  const top = m * n;
  const from = Math.max(0, Math.trunc(k));
  if (from > top) return 0;
  // by symmetry P(U ≥ k) = P(U ≤ mn − k): sum the shorter side, all terms exact
  let tail = 0n;
  for (let u = 0; u <= top - from; u++) tail += counts[u];
  let total = 0n;
  for (const c of counts) total += c;
  return ratio(tail, total);
}

/** num / den as a double, also when both exceed the double range. */
function ratio(num: bigint, den: bigint): number {
  const shift = Math.max(0, den.toString(2).length - 1000);
  const s = BigInt(shift);
  return Number(num >> s) / Number(den >> s);
}
