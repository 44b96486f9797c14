import { test } from "node:test";
import assert from "node:assert/strict";
import { percentile } from "../../../lib/stats/percentile";
import { summary } from "../../../lib/stats/summary";
import { assertClose, findCase, reference } from "./reference";

test("percentile equals numpy.percentile (linear) for p = 0 … 100 on every reference sample", () => {
  let checked = 0;
  for (const s of reference.summaries) {
    for (const { p, value } of s.percentiles) {
      assertClose(percentile(s.xs, p) as number, value, 1e-12, `${s.name} p${p}`);
      checked++;
    }
  }
  assert.ok(checked >= 100, `checked ${checked}`);
});

test("percentile by hand: interpolates between neighbours, ignores order and nulls", () => {
  // sorted [1, 2, 3, 4]: p25 → index 0.75 → 1.75; p50 → 2.5; p100 → 4
  assert.equal(percentile([4, 1, null, 3, 2], 25), 1.75);
  assert.equal(percentile([4, 1, 3, 2], 50), 2.5);
  assert.equal(percentile([4, 1, 3, 2], 100), 4);
  assert.equal(percentile([4, 1, 3, 2], 0), 1);
  assert.equal(percentile([7], 90), 7);
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([null, undefined], 50), null);
  assert.throws(() => percentile([1, 2], 101), /p must be a number from 0 to 100/);
  assert.throws(() => percentile([1, 2], 0.95 * NaN), /from 0 to 100/);
});

test("summary matches numpy/SciPy: mean, sd, percentiles, trimmed means, t interval of the mean", () => {
  for (const s of reference.summaries) {
    const got = summary(s.xs);
    assert.equal(got.n, s.n, s.name);
    assertClose(got.mean as number, s.mean, 1e-12, `${s.name} mean`);
    if (s.sd === null) assert.equal(got.sd, null, `${s.name}: n = 1 has no sd`);
    else assertClose(got.sd as number, s.sd, 1e-12, `${s.name} sd`);
    assert.equal(got.min, s.min);
    assert.equal(got.max, s.max);
    for (const key of ["p50", "p90", "p95", "p99"] as const) {
      const p = Number(key.slice(1));
      const expected = s.percentiles.find((q) => q.p === p);
      assert.ok(expected, `reference has p${p}`);
      assertClose(got[key] as number, expected.value, 1e-12, `${s.name} ${key}`);
    }
    for (const { trim, value } of s.trimmedMeans) {
      assertClose(summary(s.xs, { trim }).trimmedMean as number, value, 1e-12, `${s.name} trim ${trim}`);
    }
    for (const { confidence, interval } of s.ciMean) {
      const ci = summary(s.xs, { confidence }).ciMean;
      assert.ok(ci, `${s.name} has a mean CI`);
      const width = interval[1] - interval[0];
      assertClose(ci[0], interval[0], 1e-8, `${s.name} ciMean[0] @${confidence}`, width);
      assertClose(ci[1], interval[1], 1e-8, `${s.name} ciMean[1] @${confidence}`, width);
    }
  }
});

test("summary: the median CI uses the binomial order statistics SciPy's binom.cdf gives", () => {
  let intervals = 0;
  for (const s of reference.summaries) {
    for (const { confidence, result } of s.ciMedian) {
      const got = summary(s.xs, { confidence });
      if (result === null) {
        assert.equal(got.ciMedian, null, `${s.name} @${confidence}: too few values for the confidence`);
        assert.equal(got.ciMedianRanks, null);
        continue;
      }
      assert.deepEqual(got.ciMedianRanks, result.ranks, `${s.name} @${confidence} ranks`);
      assert.deepEqual(got.ciMedian, result.interval, `${s.name} @${confidence} interval`);
      assertClose(got.ciMedianCoverage as number, result.coverage, 1e-9, `${s.name} coverage`);
      assert.ok((got.ciMedianCoverage as number) >= confidence);
      intervals++;
    }
  }
  assert.ok(intervals >= 10, `checked ${intervals} intervals`);
  // 95% needs n ≥ 6 (coverage of [min, max] is 1 − 2/2^n), 99% needs n ≥ 8
  assert.equal(summary([1, 2, 3, 4, 5]).ciMedian, null);
  assert.deepEqual(summary([6, 1, 5, 2, 4, 3]).ciMedian, [1, 6]);
  assert.equal(summary([1, 2, 3, 4, 5, 6, 7], { confidence: 0.99 }).ciMedian, null);
  assert.deepEqual(summary([1, 2, 3, 4, 5, 6, 7, 8], { confidence: 0.99 }).ciMedian, [1, 8]);
});

test("summary: trim is the fraction cut from EACH end (power-tuning's 20% default)", () => {
  const xs = [100, 1, 2, 3, 4, 5, 6, 7, 8, -50]; // n = 10: 20% drops 2 from each end
  const got = summary(xs);
  assert.equal(got.trim, 0.2);
  assert.equal(got.trimmedMean, (2 + 3 + 4 + 5 + 6 + 7) / 6);
  assert.equal(summary(xs, { trim: 0 }).trimmedMean, got.mean);
  assert.throws(() => summary(xs, { trim: 0.5 }), /fraction cut from each end, 0 ≤ trim < 0.5/);
});

test("summary edge cases: n = 0 all null, n = 1 no sd/CI, constant sample, cv", () => {
  const empty = summary([null, undefined]);
  assert.equal(empty.n, 0);
  for (const key of ["mean", "sd", "cv", "min", "p50", "max", "trimmedMean", "ciMean", "ciMedian"] as const) {
    assert.equal(empty[key], null, `${key} of an empty sample`);
  }
  const one = summary([42]);
  assert.deepEqual([one.n, one.mean, one.sd, one.cv, one.ciMean, one.p99], [1, 42, null, null, null, 42]);
  const constant = summary(findCase(reference.summaries, "constant").xs);
  assert.deepEqual([constant.sd, constant.cv, constant.ciMean], [0, 0, [2.5, 2.5]]);
  const cv = summary([2, 4, 6]);
  assert.equal(cv.cv, 2 / 4, "sd 2 / mean 4");
  assert.equal(summary([-1, 1]).cv, null, "no cv when the mean is 0");
});

test("summary input rules: nulls skipped, NaN/Infinity/strings rejected by position, input not reordered", () => {
  const xs = [3, null, 1, undefined, 2];
  assert.equal(summary(xs).n, 3);
  assert.deepEqual(xs, [3, null, 1, undefined, 2]);
  assert.equal(summary(new Float64Array([3, 1, 2])).p50, 2, "typed arrays are accepted");
  assert.throws(() => summary([1, NaN]), /xs\[1\] is NaN: only finite numbers are allowed/);
  assert.throws(() => summary([1, -Infinity]), /xs\[1\] is -Infinity/);
  assert.throws(() => summary([1, "2" as never]), /xs\[1\] is "2", not a number/);
  assert.throws(() => summary("123" as never), /must be an array of numbers/);
  assert.throws(() => summary([1, 2], { confidence: 1 }), /confidence must be between 0 and 1/);
});
