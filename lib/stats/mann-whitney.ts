/** The Mann-Whitney U test (Wilcoxon rank-sum) and Cliff's delta, as scipy.stats.mannwhitneyu does it. */
import { normalSf } from "./distributions";
import { exactRefusal, uSurvival } from "./mann-whitney-exact";
import { cleanSample, type Sample } from "./sample";
import type { Alternative } from "./ttest";

export interface MannWhitneyOptions {
  /** H1 about a relative to b: "two-sided" (default), "less" (a tends to be smaller), "greater". */
  alternative?: Alternative;
  /**
   * "auto" (default) is SciPy 1.10's rule: exact when there are no ties and at least one sample has
   * ≤ 8 values, asymptotic otherwise — and asymptotic too when the exact p-value would take more than
   * about a second (e.g. 8 and 100,000 values). "exact" ignores ties (U is then truncated, as in
   * SciPy); it throws a RangeError, with the reason, for sizes whose exact p-value would take longer
   * (the work grows like min(m, n)²·max(m, n): 150 and 150 values are fine, 200 and 200 are not).
   */
  method?: "auto" | "exact" | "asymptotic";
  /** Continuity correction of the normal approximation (default true, SciPy's use_continuity). */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** SciPy's statistic: U1 = R1 − na(na + 1)/2, the number of pairs with a > b (+ ½ per tie). */
  U: number;
  p: number;
  method: "exact" | "asymptotic";
  /** P(a > b) − P(a < b) over all pairs = 2·U/(na·nb) − 1; positive when a tends to be larger. */
  cliffsDelta: number;
  /** True when some values are tied (average ranks, tie-corrected variance). */
  ties: boolean;
  n: [number, number];
  alternative: Alternative;
}

export function mannWhitney(rawA: Sample, rawB: Sample, options: MannWhitneyOptions = {}): MannWhitneyResult {
  const alternative = options.alternative ?? "two-sided";
  const requested = options.method ?? "auto";
  if (!["two-sided", "less", "greater"].includes(alternative)) {
    throw new RangeError(
      `mannWhitney: alternative must be "two-sided", "less" or "greater", got ${String(alternative)}`,
    );
  }
  if (!["auto", "exact", "asymptotic"].includes(requested)) {
    throw new RangeError(
      `mannWhitney: method must be "auto", "exact" or "asymptotic", got ${String(requested)}`,
    );
  }
  const a = cleanSample(rawA, "a");
  const b = cleanSample(rawB, "b");
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) {
    throw new RangeError(`mannWhitney needs at least 1 value in each sample (got ${na} and ${nb})`);
  }
  const { rankSumA, tieTerm } = ranks(a, b);
  const ties = tieTerm > 0;
  const refusal = requested === "asymptotic" ? null : exactRefusal(na, nb);
  if (requested === "exact" && refusal) throw new RangeError(`mannWhitney: ${refusal}`);
  const method =
    requested !== "auto" ? requested : (na > 8 && nb > 8) || ties || refusal ? "asymptotic" : "exact";
  const u1 = rankSumA - (na * (na + 1)) / 2;
  const u2 = na * nb - u1;
  // the statistic whose upper tail is the p-value, and the two-sided factor
  const [u, factor] =
    alternative === "greater" ? [u1, 1] : alternative === "less" ? [u2, 1] : [Math.max(u1, u2), 2];
  const tail =
    method === "exact"
      ? uSurvival(u, na, nb)
      : normalSf(zScore(u, na, nb, tieTerm, options.continuity ?? true));
  return {
    U: u1,
    p: Math.min(1, Math.max(0, factor * tail)),
    method,
    cliffsDelta: (2 * u1) / (na * nb) - 1,
    ties,
    n: [na, nb],
    alternative,
  };
}

/** (U − mn/2 − ½) / σ with σ² = mn/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))). */
function zScore(u: number, na: number, nb: number, tieTerm: number, continuity: boolean): number {
  const total = na + nb;
  const sigma = Math.sqrt(((na * nb) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  const numerator = u - (na * nb) / 2 - (continuity ? 0.5 : 0);
  if (sigma === 0) return numerator === 0 ? NaN : numerator / 0; // every value tied: as SciPy
  return numerator / sigma;
}

/** Sum of a's ranks in the pooled sample (average ranks for ties) and the tie term Σ(t³ − t). */
function ranks(a: readonly number[], b: readonly number[]): { rankSumA: number; tieTerm: number } {
  const pooled = [
    ...a.map((value) => ({ value, fromA: true })),
    ...b.map((value) => ({ value, fromA: false })),
  ];
  pooled.sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start + 1;
    while (end < pooled.length && pooled[end].value === pooled[start].value) end++;
    const t = end - start;
    const rank = (start + 1 + end) / 2; // average of ranks start+1 … end
    for (let i = start; i < end; i++) if (pooled[i].fromA) rankSumA += rank;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { rankSumA, tieTerm };
}
