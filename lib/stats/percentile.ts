/**
 * Percentiles exactly as numpy.percentile(xs, p) computes them by default ("linear", Hyndman & Fan
 * type 7): the virtual index (n − 1)·p/100 interpolated between its two neighbours.
 */
import { cleanSample, sortedCopy, type Sample } from "./sample";
import { scaleAll, scaleExponent, unscale } from "./scale";

/**
 * The p-th percentile (0 ≤ p ≤ 100) of `xs`; null and undefined values are skipped, null when none
 * remain. Equals numpy.percentile(xs, p) and scipy.stats.scoreatpercentile's default.
 */
export function percentile(xs: Sample, p: number): number | null {
  checkP(p);
  const sorted = sortedCopy(cleanSample(xs, "xs"));
  if (sorted.length === 0) return null;
  // Interpolating between −1e308 and 1e308 overflows; on a power-of-two scale it does not (scale.ts).
  const e = scaleExponent(sorted);
  return unscale(percentileOfSorted(scaleAll(sorted, e), p), e, "percentile", "percentile");
}

/** The same on an already sorted, already clean, non-empty sample (no copy, no checks). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  const index = (n - 1) * (p / 100);
  const below = Math.floor(index);
  const above = Math.min(below + 1, n - 1);
  const gamma = index - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  // numpy's _lerp: from the nearer end, so p = 100 lands exactly on the maximum
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

function checkP(p: number): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 100)) {
    throw new RangeError(`percentile: p must be a number from 0 to 100, got ${String(p)}`);
  }
}
