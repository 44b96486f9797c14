/** compare(a, b): both tests, both summaries, effect sizes, warnings and a one-line verdict. */
import { cliffsDeltaMagnitude, cohensDMagnitude, type Magnitude } from "./effect-size";
import { mannWhitney, type MannWhitneyResult } from "./mann-whitney";
import { cleanSample, type Sample } from "./sample";
import { summary, type Summary } from "./summary";
import { tTest, type TTestResult } from "./ttest";
import { formatP, verdict } from "./verdict";

/** Anything with columns, such as an ExperimentResult. */
export interface ColumnSource {
  column(name: string): ArrayLike<unknown>;
}

export type SampleSource = Sample | ColumnSource;

export interface CompareOptions {
  /** The column compared when a or b is a ColumnSource, and the label of the verdict (default "runtimeMs"). */
  metric?: string;
  /** Names used in the verdict and warnings (default ["A", "B"]). */
  names?: [string, string];
  /** Significance level (default 0.05); a difference is significant when BOTH tests are below it. */
  alpha?: number;
  /** Confidence level of the summaries' and the t-test's intervals (default 0.95). */
  confidence?: number;
}

export interface Comparison {
  metric: string;
  names: [string, string];
  alpha: number;
  summaries: [Summary, Summary];
  /** Welch's two-sided t-test of a vs b. */
  welch: TTestResult;
  /** Two-sided Mann-Whitney U test of a vs b (method "auto"). */
  mannWhitney: MannWhitneyResult;
  /** Cohen's d (pooled SD), positive when a's mean is larger. */
  cohensD: number;
  cohensDMagnitude: Magnitude | null;
  /** Cliff's δ(a, b), positive when a tends to be larger. */
  cliffsDelta: number;
  cliffsDeltaMagnitude: Magnitude | null;
  /** (median b − median a) / |median a|; null when median a is 0. */
  medianChange: number | null;
  /** Both tests below alpha. */
  significant: boolean;
  /** Both tests on the same side of alpha. */
  testsAgree: boolean;
  /** Name of the sample with the lower values when significant, else null. */
  lower: string | null;
  verdict: string;
  warnings: string[];
}

/** Below this many values per sample a warning is added (SeBS reports its median CI only above 20). */
export const SMALL_SAMPLE = 20;

export function compare(a: SampleSource, b: SampleSource, options: CompareOptions = {}): Comparison {
  const metric = options.metric ?? "runtimeMs";
  const names = options.names ?? ["A", "B"];
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`compare: alpha must be between 0 and 1 (e.g. 0.05), got ${String(alpha)}`);
  }
  const xs = valuesOf(a, metric, names[0]);
  const ys = valuesOf(b, metric, names[1]);
  const confidence = options.confidence ?? 0.95;
  const summaries: [Summary, Summary] = [summary(xs, { confidence }), summary(ys, { confidence })];
  const [na, nb] = [summaries[0].n, summaries[1].n];
  if (na < 2 || nb < 2) {
    throw new RangeError(
      `compare needs at least 2 values of ${metric} in each sample (${names[0]}: ${na}, ${names[1]}: ${nb})`,
    );
  }
  const welch = tTest(xs, ys, { confidence });
  const mw = mannWhitney(xs, ys);
  const significant = welch.p < alpha && mw.p < alpha;
  const testsAgree = welch.p < alpha === mw.p < alpha;
  const lowerIndex = (mw.cliffsDelta !== 0 ? mw.cliffsDelta : welch.meanDiff) < 0 ? 0 : 1;
  const medians: [number, number] = [summaries[0].p50 as number, summaries[1].p50 as number];
  const cliffsMagnitude = cliffsDeltaMagnitude(mw.cliffsDelta);
  return {
    metric,
    names,
    alpha,
    summaries,
    welch,
    mannWhitney: mw,
    cohensD: welch.cohensD,
    cohensDMagnitude: cohensDMagnitude(welch.cohensD),
    cliffsDelta: mw.cliffsDelta,
    cliffsDeltaMagnitude: cliffsMagnitude,
    medianChange: medians[0] === 0 ? null : (medians[1] - medians[0]) / Math.abs(medians[0]),
    significant,
    testsAgree,
    lower: significant ? names[lowerIndex] : null,
    verdict: verdict({
      metric,
      names,
      medians,
      welchP: welch.p,
      mannWhitneyP: mw.p,
      cliffsDelta: mw.cliffsDelta,
      cliffsMagnitude,
      alpha,
      lower: lowerIndex,
    }),
    warnings: warnings(names, [na, nb], welch.p, mw.p, alpha),
  };
}

/** The clean values of the sample, or of its `metric` column. */
function valuesOf(source: SampleSource, metric: string, name: string): number[] {
  if (Array.isArray(source) || ArrayBuffer.isView(source)) return cleanSample(source as Sample, name);
  if (
    source !== null &&
    typeof source === "object" &&
    typeof (source as ColumnSource).column === "function"
  ) {
    return cleanSample((source as ColumnSource).column(metric), `${name}.column("${metric}")`);
  }
  throw new TypeError(`compare: ${name} must be an array of numbers or have a column(name) method`);
}

function warnings(
  names: [string, string],
  ns: [number, number],
  welchP: number,
  mwP: number,
  alpha: number,
): string[] {
  const out: string[] = [];
  ns.forEach((n, i) => {
    if (n < SMALL_SAMPLE) {
      out.push(
        `${names[i]} has only ${n} values: below ${SMALL_SAMPLE} per sample the tests have little power ` +
          `and percentiles are rough; run more invocations`,
      );
    }
  });
  const welch = welchP < alpha;
  if (welch !== mwP < alpha) {
    const ps = `Welch p ${formatP(welchP, alpha)}, Mann-Whitney p ${formatP(mwP, alpha)}, alpha = ${alpha}`;
    out.push(
      welch
        ? `the tests disagree (${ps}): the means differ but the ranks do not — often a few outliers such as cold starts`
        : `the tests disagree (${ps}): the ranks differ but the means do not — often skewed data or outliers hiding a shift`,
    );
  }
  return out;
}
