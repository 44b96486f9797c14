/** Two-sample t-tests: Welch (default), Student (equal variances) and paired, as SciPy computes them. */
import { studentTCdf, studentTQuantile, studentTSf } from "./distributions";
import { cleanPairs, cleanSample, mean, sampleVariance, type Sample } from "./sample";
import { scaleAll, scaleExponent, unscale } from "./scale";
import { checkConfidence } from "./summary";

export type Alternative = "two-sided" | "less" | "greater";

export interface TTestOptions {
  /** Pairs a[i] with b[i] (same length; a pair with a null on either side is dropped). */
  paired?: boolean;
  /** Student's test with the pooled variance instead of Welch's (ignored when paired). */
  equalVariance?: boolean;
  /** H1 about mean(a) − mean(b): "two-sided" (default), "less" (< 0) or "greater" (> 0). */
  alternative?: Alternative;
  /** Confidence level of `ci` (default 0.95). */
  confidence?: number;
}

export interface TTestResult {
  test: "welch" | "student" | "paired";
  /** Same sign as SciPy: positive when a's mean is larger. */
  t: number;
  df: number;
  p: number;
  /** mean(a) − mean(b); for a paired test the mean of the differences a[i] − b[i]. */
  meanDiff: number;
  /**
   * Confidence interval of meanDiff, matching `alternative`: two-sided [lo, hi]; "less" → [−∞, hi];
   * "greater" → [lo, +∞] (as SciPy's confidence_interval()).
   */
  ci: [number, number];
  /**
   * Cohen's d. Independent samples (Welch and Student alike): meanDiff / pooled SD, pooled SD =
   * √(((na − 1)·sa² + (nb − 1)·sb²) / (na + nb − 2)). Paired: d_z = mean / SD of the differences.
   */
  cohensD: number;
  /** Values used from a and b (for paired: the number of complete pairs, twice). */
  n: [number, number];
  alternative: Alternative;
  confidence: number;
}

export function tTest(a: Sample, b: Sample, options: TTestOptions = {}): TTestResult {
  const alternative = options.alternative ?? "two-sided";
  const confidence = options.confidence ?? 0.95;
  if (!["two-sided", "less", "greater"].includes(alternative)) {
    throw new RangeError(
      `tTest: alternative must be "two-sided", "less" or "greater", got ${String(alternative)}`,
    );
  }
  checkConfidence(confidence, "tTest");
  const core = options.paired ? paired(a, b) : independent(a, b, options.equalVariance === true);
  // meanDiff and se are on the samples' power-of-two scale (see scale.ts); t, p, df and d are not.
  const { meanDiff, se, df, e } = core;
  const t = meanDiff / se;
  const [lo, hi] = interval(meanDiff, se, df, confidence, alternative);
  return {
    test: core.test,
    t,
    df,
    p: pValue(t, df, alternative),
    meanDiff: unscale(meanDiff, e, "mean difference", "tTest"),
    ci: [unscale(lo, e, "confidence interval", "tTest"), unscale(hi, e, "confidence interval", "tTest")],
    cohensD: core.cohensD,
    n: core.n,
    alternative,
    confidence,
  };
}

interface Core {
  test: TTestResult["test"];
  meanDiff: number;
  se: number;
  df: number;
  cohensD: number;
  n: [number, number];
  /** The power of two the samples were scaled by. */
  e: number;
}

function independent(rawA: Sample, rawB: Sample, equalVariance: boolean): Core {
  const cleanA = cleanSample(rawA, "a");
  const cleanB = cleanSample(rawB, "b");
  const na = cleanA.length;
  const nb = cleanB.length;
  if (na < 2 || nb < 2) {
    throw new RangeError(`tTest needs at least 2 values in each sample (got ${na} and ${nb})`);
  }
  const e = scaleExponent(cleanA, cleanB);
  const a = scaleAll(cleanA, e);
  const b = scaleAll(cleanB, e);
  const meanDiff = mean(a) - mean(b);
  const va = sampleVariance(a);
  const vb = sampleVariance(b);
  const pooled = ((na - 1) * va + (nb - 1) * vb) / (na + nb - 2);
  const cohensD = meanDiff / Math.sqrt(pooled);
  if (equalVariance) {
    const se = Math.sqrt(pooled * (1 / na + 1 / nb));
    return { test: "student", meanDiff, se, df: na + nb - 2, cohensD, n: [na, nb], e };
  }
  const wa = va / na;
  const wb = vb / nb;
  const welchDf = (wa + wb) ** 2 / (wa ** 2 / (na - 1) + wb ** 2 / (nb - 1));
  // both variances 0: SciPy sets df = 1 (t is then ±∞ or NaN anyway)
  const df = Number.isNaN(welchDf) ? 1 : welchDf;
  return { test: "welch", meanDiff, se: Math.sqrt(wa + wb), df, cohensD, n: [na, nb], e };
}

function paired(rawA: Sample, rawB: Sample): Core {
  const [cleanA, cleanB] = cleanPairs(rawA, rawB);
  const n = cleanA.length;
  if (n < 2) throw new RangeError(`a paired tTest needs at least 2 complete pairs (got ${n})`);
  const e = scaleExponent(cleanA, cleanB);
  const b = scaleAll(cleanB, e);
  const d = scaleAll(cleanA, e).map((x, i) => x - b[i]);
  const meanDiff = mean(d);
  const sd = Math.sqrt(sampleVariance(d, meanDiff));
  const se = sd / Math.sqrt(n);
  return { test: "paired", meanDiff, se, df: n - 1, cohensD: meanDiff / sd, n: [n, n], e };
}

function pValue(t: number, df: number, alternative: Alternative): number {
  if (alternative === "less") return studentTCdf(t, df);
  if (alternative === "greater") return studentTSf(t, df);
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
}

function interval(
  diff: number,
  se: number,
  df: number,
  confidence: number,
  alternative: Alternative,
): [number, number] {
  if (alternative === "two-sided") {
    const half = studentTQuantile(0.5 + confidence / 2, df) * se;
    return [diff - half, diff + half];
  }
  const half = studentTQuantile(confidence, df) * se;
  return alternative === "less" ? [-Infinity, diff + half] : [diff - half, Infinity];
}
