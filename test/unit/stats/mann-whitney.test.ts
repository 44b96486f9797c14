import { test } from "node:test";
import assert from "node:assert/strict";
import { mannWhitney } from "../../../lib/stats/mann-whitney";
import { uCounts, uSurvival } from "../../../lib/stats/mann-whitney-exact";
import { assertClose, findCase, reference } from "./reference";

test("mannWhitney (auto, exact, asymptotic × every alternative) matches scipy.stats.mannwhitneyu", () => {
  let exact = 0;
  let asymptotic = 0;
  for (const c of reference.independent) {
    for (const r of c.mannWhitney) {
      const label = `${c.name} method=${r.method} ${r.alternative}`;
      const got = mannWhitney(c.a, c.b, { method: r.method, alternative: r.alternative });
      assert.equal(got.method, r.resolvedMethod, `${label}: the method SciPy's rule picks`);
      assertClose(got.U, r.U, 1e-9, `${label} U`);
      assertClose(got.p, r.p, 1e-7, `${label} p`);
      assert.ok(Math.abs(got.cliffsDelta - r.cliffsDelta) <= 1e-12, `${label} Cliff's delta`);
      if (got.method === "exact") exact++;
      else asymptotic++;
    }
  }
  assert.ok(exact >= 24 && asymptotic >= 24, `checked ${exact} exact and ${asymptotic} asymptotic results`);
});

test("mannWhitney auto rule: exact without ties when a sample has ≤ 8 values, else asymptotic", () => {
  const eight = [1, 2, 3, 4, 5, 6, 7, 8];
  const nine = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5];
  const big = Array.from({ length: 40 }, (_, i) => i + 0.25);
  assert.equal(mannWhitney(eight, nine).method, "exact", "8 and 9");
  assert.equal(mannWhitney(eight, big).method, "exact", "8 and 40: SciPy needs only one small sample");
  assert.equal(mannWhitney([...nine, 10.5], big).method, "asymptotic", "both > 8");
  assert.equal(mannWhitney([1, 2, 3], [3, 4, 5]).method, "asymptotic", "a tie across samples");
  assert.equal(mannWhitney([1, 1, 2], [3, 4, 5]).method, "asymptotic", "a tie inside a sample");
  assert.equal(mannWhitney([1, 1, 2], [3, 4, 5]).ties, true);
});

test("exact U distribution: counts are the Gaussian binomial coefficients, symmetric, summing to C(m+n, m)", () => {
  // m = 2, n = 3: the 10 orderings give U = 0,1,2,2,3,3,4,4,5,6 → counts 1 1 2 2 2 1 1
  assert.deepEqual(uCounts(2, 3), [1n, 1n, 2n, 2n, 2n, 1n, 1n]);
  assert.deepEqual(uCounts(3, 2), uCounts(2, 3), "symmetric in the sample sizes");
  const counts = uCounts(9, 12);
  assert.equal(counts.length, 9 * 12 + 1);
  assert.equal(
    counts.reduce((s, c) => s + c, 0n),
    293930n,
    "C(21, 9)",
  );
  for (let u = 0; u < counts.length; u++)
    assert.equal(counts[u], counts[counts.length - 1 - u], `symmetric at ${u}`);
  assert.equal(uSurvival(0, 2, 3), 1);
  assert.equal(uSurvival(6, 2, 3), 1 / 10);
  assert.equal(uSurvival(5, 2, 3), 2 / 10);
  assert.equal(uSurvival(7, 2, 3), 0);
});

test("exact p stays exact for large sizes: 30 vs 30 completely separated is 2 / C(60, 30)", () => {
  const a = Array.from({ length: 30 }, (_, i) => i);
  const b = Array.from({ length: 30 }, (_, i) => 100 + i);
  const got = mannWhitney(a, b, { method: "exact" });
  const c6030 = Number(118264581564861424n); // C(60, 30)
  assert.equal(got.U, 0);
  assert.ok(Math.abs(got.p - 2 / c6030) <= 1e-15 * (2 / c6030), `p ${got.p}`);
  assert.equal(got.cliffsDelta, -1);
});

test("Cliff's delta is P(a > b) − P(a < b) over all pairs, ties counting zero", () => {
  // pairs (a, b): 1<2, 1<3, 3>2, 3=3, 5>2, 5>3 → (3 − 2) / 6
  assert.ok(Math.abs(mannWhitney([1, 3, 5], [2, 3]).cliffsDelta - 1 / 6) < 1e-15);
  const c = findCase(reference.independent, "small_no_ties");
  assert.equal(mannWhitney(c.b, c.a).cliffsDelta, -mannWhitney(c.a, c.b).cliffsDelta);
});

test("mannWhitney: every value tied gives p = 1, and bad input is rejected", () => {
  assert.equal(mannWhitney([2, 2, 2], [2, 2]).p, 1);
  assert.throws(() => mannWhitney([], [1, 2]), /at least 1 value in each sample \(got 0 and 2\)/);
  assert.throws(() => mannWhitney([1, Infinity], [1, 2]), /a\[1\] is Infinity/);
  assert.throws(() => mannWhitney([1], [2], { method: "permutation" as never }), /method must be/);
});
