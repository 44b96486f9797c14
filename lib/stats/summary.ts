/** Descriptive statistics of one sample, with confidence intervals of its mean and median. */
import { binomialHalfCdf, studentTQuantile } from "./distributions";
import { percentileOfSorted } from "./percentile";
import { cleanSample, mean, sampleVariance, sortedCopy, type Sample } from "./sample";
import { scaleAll, scaleExponent, unscale } from "./scale";

export interface SummaryOptions {
  /**
   * Fraction cut from EACH end for `trimmedMean`, 0 ≤ trim < 0.5 (default 0.2, aws-lambda-power-tuning's
   * `discardTopBottom`): floor(trim·n) values are dropped from the bottom and as many from the top —
   * the same as scipy.stats.trim_mean(xs, trim).
   */
  trim?: number;
  /** Confidence level of `ciMean` and `ciMedian`, 0 < confidence < 1 (default 0.95). */
  confidence?: number;
}

export interface Summary {
  /** Values used: nulls/undefined are skipped (a failed invocation), NaN and ±Infinity throw. */
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null when n < 2. */
  sd: number | null;
  /** Coefficient of variation sd / mean; null when sd is null or the mean is 0. */
  cv: number | null;
  min: number | null;
  /** Percentiles as numpy.percentile computes them (linear interpolation). */
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  trimmedMean: number | null;
  /** Student-t interval of the mean: mean ± t(1 − α/2, n − 1)·sd/√n; null when n < 2. */
  ciMean: [number, number] | null;
  /**
   * Distribution-free interval of the median: the order statistics [x(j), x(n+1−j)] (1-based ranks
   * in `ciMedianRanks`) for the largest j with P(j ≤ B ≤ n − j) ≥ confidence, B ~ Binomial(n, ½)
   * — the exact form of Le Boudec's interval. Null when even [min, max] does not reach the
   * confidence (n < 6 at 95%, n < 8 at 99%).
   */
  ciMedian: [number, number] | null;
  ciMedianRanks: [number, number] | null;
  /** The exact coverage of ciMedian (≥ confidence). */
  ciMedianCoverage: number | null;
  confidence: number;
  trim: number;
}

export function summary(xs: Sample, options: SummaryOptions = {}): Summary {
  const trim = options.trim ?? 0.2;
  const confidence = options.confidence ?? 0.95;
  if (typeof trim !== "number" || !(trim >= 0 && trim < 0.5)) {
    throw new RangeError(
      `summary: trim is the fraction cut from each end, 0 ≤ trim < 0.5; got ${String(trim)}`,
    );
  }
  checkConfidence(confidence, "summary");
  const sorted = sortedCopy(cleanSample(xs, "xs"));
  const n = sorted.length;
  if (n === 0) return { ...EMPTY, confidence, trim };
  // Values near ±1e308 (or 1e-300) are computed with on an exact power-of-two scale (see scale.ts).
  const e = scaleExponent(sorted);
  const scaled = scaleAll(sorted, e);
  const back = (value: number, what: string) => unscale(value, e, what, "summary");
  const m = mean(scaled);
  const sd = n > 1 ? Math.sqrt(sampleVariance(scaled, m)) : null;
  const median = medianInterval(sorted, confidence);
  const ciMean = sd === null ? null : meanInterval(m, sd, n, confidence);
  return {
    n,
    mean: back(m, "mean"),
    sd: sd === null ? null : back(sd, "standard deviation"),
    cv: sd === null || m === 0 ? null : sd / m,
    min: sorted[0],
    p50: back(percentileOfSorted(scaled, 50), "median"),
    p90: back(percentileOfSorted(scaled, 90), "90th percentile"),
    p95: back(percentileOfSorted(scaled, 95), "95th percentile"),
    p99: back(percentileOfSorted(scaled, 99), "99th percentile"),
    max: sorted[n - 1],
    trimmedMean: back(trimmedMean(scaled, trim), "trimmed mean"),
    ciMean: ciMean && [back(ciMean[0], "confidence interval"), back(ciMean[1], "confidence interval")],
    ciMedian: median && [sorted[median.ranks[0] - 1], sorted[median.ranks[1] - 1]],
    ciMedianRanks: median && median.ranks,
    ciMedianCoverage: median && median.coverage,
    confidence,
    trim,
  };
}

const EMPTY: Omit<Summary, "confidence" | "trim"> = {
  n: 0,
  mean: null,
  sd: null,
  cv: null,
  min: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  max: null,
  trimmedMean: null,
  ciMean: null,
  ciMedian: null,
  ciMedianRanks: null,
  ciMedianCoverage: null,
};

export function checkConfidence(confidence: number, where: string): void {
  if (typeof confidence !== "number" || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `${where}: confidence must be between 0 and 1 (e.g. 0.95), got ${String(confidence)}`,
    );
  }
}

function trimmedMean(sorted: readonly number[], trim: number): number {
  const cut = Math.trunc(trim * sorted.length);
  return mean(sorted.slice(cut, sorted.length - cut));
}

function meanInterval(m: number, sd: number, n: number, confidence: number): [number, number] {
  const half = studentTQuantile(0.5 + confidence / 2, n - 1) * (sd / Math.sqrt(n));
  return [m - half, m + half];
}

/** Largest j (1-based) whose symmetric order statistics cover the median with the confidence. */
export function medianInterval(
  sorted: readonly number[],
  confidence: number,
): { ranks: [number, number]; coverage: number } | null {
  const n = sorted.length;
  const coverage = (j: number): number => 1 - 2 * binomialHalfCdf(j - 1, n);
  if (n < 2 || coverage(1) < confidence) return null;
  // coverage(j) falls as j grows: binary search for the last j that still reaches the confidence
  let good = 1;
  let bad = Math.floor(n / 2) + 1;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (coverage(mid) >= confidence) good = mid;
    else bad = mid;
  }
  return { ranks: [good, n + 1 - good], coverage: coverage(good) };
}
