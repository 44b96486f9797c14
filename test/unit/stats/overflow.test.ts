// Values near the ends of the double range (±1e308, 1e-320) give the right statistics, computed on an
// exact power-of-two scale — or a RangeError saying which statistic does not fit in a double. Never
// a silent Infinity (or a null in JSON).
import { test } from "node:test";
import assert from "node:assert/strict";
import { compare, percentile, summary, tTest } from "../../../lib/stats";

const close = (actual: number | null, expected: number, label: string) => {
  assert.ok(actual !== null && Number.isFinite(actual), `${label}: ${actual} is finite`);
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected), `${label}: ${actual} ≈ ${expected}`);
};

test("summary of values near 1e308: finite mean, SD, percentiles and intervals", () => {
  const xs = [1e308, 1.5e308, 1.7e308, 1.2e308, 1.1e308];
  const s = summary(xs);
  close(s.mean, 1.3e308, "mean");
  // the same sample 1e300 times smaller, where plain arithmetic works
  const small = summary(xs.map((x) => x / 1e300));
  close(s.sd, (small.sd as number) * 1e300, "sd");
  close(s.p90, (small.p90 as number) * 1e300, "p90");
  close(s.trimmedMean, (small.trimmedMean as number) * 1e300, "trimmed mean");
  assert.ok(s.ciMean);
  close(s.ciMean[1], small.ciMean![1] * 1e300, "upper end of the mean's interval");
  close(s.cv, small.cv as number, "the coefficient of variation");
  for (const key of ["mean", "sd", "cv", "p50", "p90", "p95", "p99", "trimmedMean"] as const) {
    assert.ok(Number.isFinite(s[key]), `${key} is a finite number, not ${s[key]}`);
  }
});

test("percentiles between -1.7e308 and 1.7e308 interpolate instead of overflowing", () => {
  assert.equal(percentile([-1.7e308, 1.7e308], 50), 0);
  close(percentile([-1.7e308, 1.7e308], 75), 0.85e308, "p75");
  close(percentile([-1.7e308, 1.7e308, 1.7e308], 20), -0.34e308, "p20");
});

test("tTest of values near 1e308: the same t, p and d as the scaled-down sample", () => {
  const a = [1e308, 1.2e308, 1.1e308, 1.15e308];
  const b = [1.3e308, 1.25e308, 1.4e308, 1.35e308];
  for (const options of [{}, { equalVariance: true }, { paired: true }]) {
    const big = tTest(a, b, options);
    const small = tTest(
      a.map((x) => x / 1e300),
      b.map((x) => x / 1e300),
      options,
    );
    const label = JSON.stringify(options);
    close(big.t, small.t, `${label} t`);
    close(big.p, small.p, `${label} p`);
    close(big.cohensD, small.cohensD, `${label} d`);
    close(big.meanDiff, small.meanDiff * 1e300, `${label} mean difference`);
    close(big.ci[0], small.ci[0] * 1e300, `${label} ci`);
  }
});

test("tiny (subnormal) values do not underflow to a zero SD", () => {
  const s = summary([1e-320, 3e-320, 2e-320]);
  assert.equal(s.mean, 2e-320);
  assert.ok(s.sd !== null && s.sd > 0, `sd ${s.sd}`);
  assert.ok(Number.isFinite(tTest([1e-320, 2e-320, 3e-320], [4e-320, 5e-320, 7e-320]).t));
});

test("a statistic that does not fit in a double is a RangeError naming it, not Infinity", () => {
  assert.throws(
    () => summary([-1.7e308, 1.7e308]),
    /summary: the standard deviation .* exceeds the largest double/,
  );
  assert.throws(
    () => tTest([1.7e308, 1.6e308], [-1.7e308, -1.6e308]),
    /tTest: the mean difference .*about 3\.300e308.* exceeds the largest double.*larger unit/,
  );
  assert.throws(() => compare([1.7e308, 1.6e308, 1.65e308], [-1.7e308, -1.6e308, -1.65e308]), RangeError);
});
