/**
 * The exact null distribution of the Mann-Whitney U statistic for sample sizes m and n (no ties):
 * the number of orderings with U = u is the coefficient of q^u in the Gaussian binomial coefficient
 * [m + n choose m]_q = ∏_{i=1..s} (1 − q^(L+i)) / (1 − q^i), with s = min(m, n), L = max(m, n).
 * Counted in BigInt, so it is exact for any size. A coefficient depends only on lower ones, so a tail
 * needs the counts up to the shorter side only (≤ m·n / 2); the cost is about Σ_i min(i·L, m·n / 2)
 * big-integer additions, which grows like s²·L: sizes whose cost exceeds EXACT_BUDGET are refused.
 */

/** Big-integer additions the exact p-value may take (about a second); above it, it is refused. */
export const EXACT_BUDGET = 2_500_000;

/** Counts of each U = 0 … limit (default m·n, the whole distribution, which sums to C(m + n, m)). */
export function uCounts(m: number, n: number, limit = m * n): bigint[] {
  const s = Math.min(m, n);
  const big = Math.max(m, n);
  const top = Math.min(limit, m * n);
  const counts: bigint[] = new Array<bigint>(top + 1).fill(0n);
  counts[0] = 1n;
  for (let i = 1; i <= s; i++) {
    const degree = Math.min(i * big, top);
    // divide by (1 − q^i): running sums with stride i (the series, cut at the new degree)
    for (let u = i; u <= degree; u++) counts[u] += counts[u - i];
    // multiply by (1 − q^(big + i)); descending, so each subtrahend is still the divided series
    for (let u = degree; u >= big + i; u--) counts[u] -= counts[u - big - i];
  }
  return counts;
}

/** The additions uCounts(m, n, ⌊m·n / 2⌋) makes: the worst case of one exact p-value. */
export function exactCost(m: number, n: number): number {
  const s = Math.min(m, n);
  const big = Math.max(m, n);
  const half = Math.floor((m * n) / 2);
  let cost = 0;
  for (let i = 1; i <= s; i++) cost += Math.max(0, Math.min(i * big, half) - i + 1);
  return cost;
}

/** Why the exact p-value of sizes m and n is refused, or null when it is affordable. */
export function exactRefusal(m: number, n: number): string | null {
  const cost = exactCost(m, n);
  if (cost <= EXACT_BUDGET) return null;
  return (
    `the exact p-value of ${m} and ${n} values needs about ${cost.toPrecision(2)} big-integer additions, ` +
    `more than the ${EXACT_BUDGET.toPrecision(2)} (about a second) it may take; use method ` +
    `"asymptotic" (or "auto"), whose normal approximation is accurate at these sizes`
  );
}

/** P(U ≥ k) under H0 (SciPy's exact `sf`, U taken as an integer as SciPy does). */
export function uSurvival(k: number, m: number, n: number): number {
  const top = m * n;
  const from = Math.max(0, Math.trunc(k));
  if (from > top) return 0;
  if (from === 0) return 1;
  const total = binomial(m + n, Math.min(m, n));
  // By symmetry P(U ≥ k) = P(U ≤ mn − k); else it is 1 − P(U ≤ k − 1). Either way only the counts
  // up to the shorter side are summed, and every term stays exact.
  if (top - from <= from - 1) return ratio(sumTo(uCounts(m, n, top - from)), total);
  return ratio(total - sumTo(uCounts(m, n, from - 1)), total);
}

function sumTo(counts: readonly bigint[]): bigint {
  let sum = 0n;
  for (const c of counts) sum += c;
  return sum;
}

/** C(n, k), exactly. */
function binomial(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/** num / den as a double, also when both exceed the double range. */
function ratio(num: bigint, den: bigint): number {
  const shift = Math.max(0, den.toString(2).length - 1000);
  const s = BigInt(shift);
  return Number(num >> s) / Number(den >> s);
}
