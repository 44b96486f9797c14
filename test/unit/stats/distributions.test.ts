import { test } from "node:test";
import assert from "node:assert/strict";
import {
  binomialHalfCdf,
  normalSf,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from "../../../lib/stats/distributions";
import { logGamma } from "../../../lib/stats/special";
import { assertClose, reference } from "./reference";

const { distributions } = reference;

test("studentTCdf matches scipy.stats.t.cdf to 1e-10 relative, far tails and fractional df included", () => {
  assert.ok(distributions.studentTCdf.length >= 40);
  for (const r of distributions.studentTCdf) {
    assertClose(studentTCdf(r.x, r.df), r.value, 1e-10, `t.cdf(${r.x}, ${r.df})`);
    assertClose(studentTSf(-r.x, r.df), r.value, 1e-10, `t.sf(${-r.x}, ${r.df})`);
  }
});

test("studentTQuantile matches scipy.stats.t.ppf to its own accuracy (5e-9) and closed forms to 1e-14", () => {
  assert.ok(distributions.studentTQuantile.length >= 50);
  for (const r of distributions.studentTQuantile) {
    // at q = 0.5 SciPy answers ~7e-17 instead of 0
    const scale = r.q === 0.5 ? 1 : undefined;
    assertClose(studentTQuantile(r.q, r.df), r.value, 5e-9, `t.ppf(${r.q}, ${r.df})`, scale);
  }
  // SciPy 1.10's t.ppf is off by ~1e-9 here; df = 1 (Cauchy) and df = 2 have exact inverses
  for (const q of [0.0005, 0.025, 0.3, 0.9, 0.9995]) {
    // Cauchy: tan(π(q − ½)), written with the small angle so the pole does not eat the precision
    const cauchy = q < 0.5 ? -1 / Math.tan(Math.PI * q) : 1 / Math.tan(Math.PI * (1 - q));
    assertClose(studentTQuantile(q, 1), cauchy, 1e-14, `df=1, q=${q}`);
    const df2 = (2 * q - 1) / Math.sqrt(2 * q * (1 - q));
    assertClose(studentTQuantile(q, 2), df2, 1e-14, `df=2, q=${q}`);
  }
  // round trip through the CDF
  for (const df of [1.5, 7, 300]) {
    for (const q of [1e-6, 0.01, 0.4, 0.975]) {
      assertClose(studentTCdf(studentTQuantile(q, df), df), q, 1e-13, `cdf(ppf(${q}, ${df}))`);
    }
  }
  assert.equal(studentTQuantile(0, 5), -Infinity);
  assert.equal(studentTQuantile(1, 5), Infinity);
  assert.ok(Number.isNaN(studentTQuantile(1.5, 5)));
});

test("normalSf matches scipy.stats.norm.sf in both tails (to 1e-12, down to 1e-89)", () => {
  for (const r of distributions.normalSf) assertClose(normalSf(r.z), r.value, 1e-12, `norm.sf(${r.z})`);
  assert.equal(normalSf(0), 0.5);
  assert.equal(normalSf(Infinity), 0);
  assert.equal(normalSf(-Infinity), 1);
});

test("binomialHalfCdf matches scipy.stats.binom.cdf(k, n, 0.5), n up to 100001", () => {
  for (const r of distributions.binomialHalfCdf) {
    assertClose(binomialHalfCdf(r.k, r.n), r.value, 1e-9, `binom.cdf(${r.k}, ${r.n})`);
  }
  // small n by hand: P(B ≤ 1) for n = 6 is (1 + 6) / 64
  assert.ok(Math.abs(binomialHalfCdf(1, 6) - 7 / 64) < 1e-15);
  assert.equal(binomialHalfCdf(-1, 6), 0);
  assert.equal(binomialHalfCdf(6, 6), 1);
});

test("logGamma is exact enough on known values (integers, ½)", () => {
  assert.ok(Math.abs(logGamma(1)) < 1e-15);
  assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-14);
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(logGamma(171) - 706.5730622457874) < 1e-11);
  assert.ok(Number.isNaN(logGamma(0)));
});
