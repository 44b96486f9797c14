import { test } from "node:test";
import assert from "node:assert/strict";
import { compare } from "../../../lib/stats/compare";
import { mannWhitney } from "../../../lib/stats/mann-whitney";
import { summary } from "../../../lib/stats/summary";
import { tTest } from "../../../lib/stats/ttest";
import { findCase, reference } from "./reference";

const slow = findCase(reference.independent, "large_200").a; // 200 lognormal "runtimes"
const fast = slow.map((x) => x * 0.8);
const ps = (p: number): string => String(Number(p.toPrecision(2)));

test("compare: a clear difference names the faster sample, with medians, change, both p-values and δ", () => {
  const r = compare(slow, fast, { names: ["x86", "arm"] });
  const welch = tTest(slow, fast);
  const mw = mannWhitney(slow, fast);
  assert.equal(r.significant, true);
  assert.equal(r.testsAgree, true);
  assert.equal(r.lower, "arm");
  assert.equal(r.welch.p, welch.p);
  assert.equal(r.mannWhitney.p, mw.p);
  assert.equal(r.cliffsDelta, mw.cliffsDelta);
  assert.ok(r.cliffsDelta > 0, "δ(a, b) > 0: a tends to be larger");
  assert.equal(r.cohensD, welch.cohensD);
  const [ma, mb] = [summary(slow).p50 as number, summary(fast).p50 as number];
  assert.ok(Math.abs((r.medianChange as number) - (mb - ma) / ma) < 1e-12);
  assert.deepEqual(r.summaries, [summary(slow), summary(fast)]);
  // every number of the clause reads arm vs x86: medians, −20% change, δ(arm, x86) < 0
  assert.match(r.verdict, /^arm is faster: median runtimeMs \d+(\.\d+)? vs \d+(\.\d+)? ms \(−20%\), /);
  const welchText = welch.p < 0.001 ? "< 0.001" : `= ${ps(welch.p)}`;
  assert.ok(r.verdict.includes(`Welch p ${welchText}, Mann-Whitney p `), r.verdict);
  assert.ok(
    r.verdict.endsWith(`Cliff's δ = −${mw.cliffsDelta.toFixed(2)} (${r.cliffsDeltaMagnitude})`),
    r.verdict,
  );
  assert.deepEqual(r.warnings, [], "200 values each and agreeing tests: nothing to warn about");
});

test("compare: no significant difference says so, with both p-values", () => {
  const c = findCase(reference.independent, "large_200");
  const r = compare(c.a, c.b);
  assert.equal(r.significant, false);
  assert.equal(r.lower, null);
  assert.ok(r.welch.p >= 0.05 && r.mannWhitney.p >= 0.05);
  assert.ok(
    r.verdict.startsWith("no significant difference in runtimeMs between A and B: median runtimeMs "),
    r.verdict,
  );
  assert.ok(
    r.verdict.includes(`Welch p = ${ps(r.welch.p)}, Mann-Whitney p = ${ps(r.mannWhitney.p)}`),
    r.verdict,
  );
});

test("compare warns when the tests disagree, in either direction, and calls the verdict inconclusive", () => {
  const c = findCase(reference.independent, "exact_5_vs_30"); // Welch p ≈ 0.018, Mann-Whitney p ≈ 0.086
  const meansOnly = compare(c.a, c.b);
  assert.equal(meansOnly.testsAgree, false);
  assert.equal(meansOnly.significant, false);
  assert.match(
    meansOnly.verdict,
    /^inconclusive for runtimeMs \(Welch p = 0\.018 but Mann-Whitney p = 0\.086\)/,
  );
  assert.ok(
    meansOnly.warnings.some((w) => w.startsWith("the tests disagree") && w.includes("the means differ")),
  );

  const a = Array.from({ length: 20 }, (_, i) => 10 + i);
  const b = Array.from({ length: 20 }, (_, i) => 18 + i);
  b[0] = -200; // one outlier hides the shift from the means
  const ranksOnly = compare(a, b);
  assert.ok(ranksOnly.welch.p > 0.05 && ranksOnly.mannWhitney.p < 0.05);
  assert.ok(
    ranksOnly.warnings.some((w) => w.startsWith("the tests disagree") && w.includes("the ranks differ")),
  );
  assert.equal(ranksOnly.warnings.length, 1, "20 values each: no small-sample warning");
});

test("compare warns below 20 values per sample (SeBS), naming the sample", () => {
  const r = compare(slow.slice(0, 19), slow.slice(100, 125), { names: ["cold", "warm"] });
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /^cold has only 19 values: below 20 per sample/);
});

test("compare reads the metric column of result-like objects (default runtimeMs), skipping nulls", () => {
  const asked: string[] = [];
  const result = (values: (number | null)[]) => ({
    column(name: string) {
      asked.push(name);
      return values;
    },
  });
  const r = compare(result([...slow, null]), result(fast));
  assert.deepEqual(asked, ["runtimeMs", "runtimeMs"]);
  assert.equal(r.summaries[0].n, 200);
  const cost = compare(result(slow), fast, { metric: "costUsd", alpha: 0.01 });
  assert.deepEqual(asked.slice(2), ["costUsd"]);
  assert.equal(cost.alpha, 0.01);
  assert.match(cost.verdict, /^B is cheaper: median costUsd .* USD/);
  assert.match(
    compare(slow, fast, { metric: "throughput" }).verdict,
    /^B has lower throughput: median throughput /,
  );
});

test("compare rejects what it cannot test", () => {
  assert.throws(
    () => compare([1], [1, 2, 3]),
    /at least 2 values of runtimeMs in each sample \(A: 1, B: 3\)/,
  );
  assert.throws(
    () => compare({} as never, [1, 2]),
    /A must be an array of numbers or have a column\(name\) method/,
  );
  assert.throws(() => compare([1, 2], [1, 2], { alpha: 5 }), /alpha must be between 0 and 1/);
  assert.throws(() => compare({ column: () => [1, NaN] }, [1, 2]), /A\.column\("runtimeMs"\)\[1\] is NaN/);
});
