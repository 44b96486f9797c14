import { test } from "node:test";
import assert from "node:assert/strict";
import { tTest } from "../../../lib/stats/ttest";
import { assertClose, decode, reference, type Encoded } from "./reference";

// Tolerances of the brief: 1e-9 relative for t and df, 1e-7 for p. The interval uses SciPy's
// t.ppf, itself accurate only to ~1e-9 (see distributions.test.ts), so it is held to 1e-8 of its width.
const T_REL = 1e-9;
const P_REL = 1e-7;
const CI_REL = 1e-8;

/** Each finite end within CI_REL of the interval's half-width (an end can sit near 0). */
function checkInterval(
  ci: [number, number],
  expected: [Encoded, Encoded],
  center: Encoded,
  label: string,
): void {
  const mid = decode(center);
  for (const i of [0, 1] as const) {
    const end = decode(expected[i]);
    const scale = Number.isFinite(end) ? Math.max(Math.abs(end - mid), Math.abs(end)) : undefined;
    assertClose(ci[i], expected[i], CI_REL, `${label} ci[${i}]`, scale);
  }
}

test("tTest (Welch and Student, every alternative and confidence) matches scipy.stats.ttest_ind", () => {
  let checked = 0;
  for (const c of reference.independent) {
    for (const r of c.tTest) {
      const label = `${c.name} equalVariance=${r.equalVariance} ${r.alternative} ${r.confidence}`;
      const got = tTest(c.a, c.b, {
        equalVariance: r.equalVariance,
        alternative: r.alternative,
        confidence: r.confidence,
      });
      assert.equal(got.test, r.equalVariance ? "student" : "welch", label);
      assertClose(got.t, r.t, T_REL, `${label} t`);
      assertClose(got.df, r.df, T_REL, `${label} df`);
      assertClose(got.p, r.p, P_REL, `${label} p`);
      assertClose(got.meanDiff, r.meanDiff, T_REL, `${label} meanDiff`);
      assertClose(got.cohensD, r.cohensD, T_REL, `${label} cohensD`);
      checkInterval(got.ci, r.ci, r.meanDiff, label);
      assert.deepEqual(got.n, [c.a.length, c.b.length]);
      checked++;
    }
  }
  assert.ok(checked >= 90, `checked ${checked} SciPy results`);
});

test("tTest paired matches scipy.stats.ttest_rel, with d_z as its effect size", () => {
  let checked = 0;
  for (const c of reference.paired) {
    for (const r of c.tTest) {
      const label = `${c.name} ${r.alternative} ${r.confidence}`;
      const got = tTest(c.a, c.b, { paired: true, alternative: r.alternative, confidence: r.confidence });
      assert.equal(got.test, "paired");
      assertClose(got.t, r.t, T_REL, `${label} t`);
      assert.equal(got.df, c.a.length - 1, `${label} df`);
      assertClose(got.p, r.p, P_REL, `${label} p`);
      assertClose(got.cohensD, r.cohensD, T_REL, `${label} d_z`);
      checkInterval(got.ci, r.ci, r.meanDiff, label);
      checked++;
    }
  }
  assert.ok(checked >= 18, `checked ${checked} SciPy results`);
});

test("tTest: Welch is the default, and one-sided intervals are open on the far side", () => {
  const a = [12.1, 14.3, 11.8, 15.2, 13.9, 12.7];
  const b = [15.8, 16.4, 14.9, 17.2, 16.1];
  const welch = tTest(a, b);
  assert.equal(welch.test, "welch");
  assert.equal(welch.alternative, "two-sided");
  assert.equal(welch.confidence, 0.95);
  assert.ok(welch.t < 0 && welch.meanDiff < 0, "t has the sign of mean(a) − mean(b), as in SciPy");
  assert.equal(tTest(a, b, { alternative: "less" }).ci[0], -Infinity);
  assert.equal(tTest(a, b, { alternative: "greater" }).ci[1], Infinity);
  // a one-sided p is half the two-sided one in the direction of the effect
  assert.ok(Math.abs(tTest(a, b, { alternative: "less" }).p - welch.p / 2) < 1e-15);
});

test("tTest: a paired test drops incomplete pairs and never shifts the pairing", () => {
  const a = [10, 11, null, 13, 14];
  const b = [9, 10.5, 12, undefined, 12];
  const got = tTest(a, b, { paired: true });
  const expected = tTest([10, 11, 14], [9, 10.5, 12], { paired: true });
  assert.deepEqual(got.n, [3, 3]);
  assert.equal(got.t, expected.t);
  assert.equal(got.meanDiff, (1 + 0.5 + 2) / 3);
});

test("tTest rejects samples that cannot be tested, with the reason", () => {
  assert.throws(() => tTest([1], [2, 3]), /at least 2 values in each sample \(got 1 and 2\)/);
  assert.throws(() => tTest([1, null], [2, 3]), /got 1 and 2/);
  assert.throws(() => tTest([1, 2, 3], [1, 2], { paired: true }), /equal length \(got 3 and 2\)/);
  assert.throws(() => tTest([1, NaN], [2, 3]), /a\[1\] is NaN/);
  assert.throws(() => tTest([1, 2], [2, 3], { confidence: 95 }), /confidence must be between 0 and 1/);
  assert.throws(() => tTest([1, 2], [2, 3], { alternative: "two_sided" as never }), /alternative must be/);
});

test("tTest: constant samples give SciPy's degenerate answers (t = ±∞, p = 0; identical → NaN)", () => {
  const differ = tTest([1, 1, 1], [2, 2, 2]);
  assert.equal(differ.t, -Infinity);
  assert.equal(differ.p, 0);
  assert.equal(differ.df, 1, "Welch df of two zero variances is set to 1, as SciPy does");
  assert.ok(Number.isNaN(tTest([3, 3], [3, 3]).p));
});
