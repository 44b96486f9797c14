// The exact Mann-Whitney p-value is computed only where it takes about a second at most: "exact" is
// refused above that with the reason (it used to block for minutes at n = 1,000), and "auto" falls back
// to the normal approximation. Tails are computed from the shorter side only, and stay exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { mannWhitney } from "../../../lib/stats/mann-whitney";
import { uCounts, uSurvival } from "../../../lib/stats/mann-whitney-exact";

const interleaved = (n: number, offset: number) => Array.from({ length: n }, (_, i) => 2 * i + offset);

interface Outcome {
  error?: string;
  method?: string;
  p?: number;
  ms: number;
}

/**
 * mannWhitney(a, b, { method }) on `a` = sizes[0] even numbers and `b` = sizes[1] odd ones, in a worker
 * thread: a computation that would block for minutes is stopped at `deadlineMs` and fails the test.
 */
function inWorker(sizes: [number, number], method: string, deadlineMs = 10_000): Promise<Outcome> {
  const module = require.resolve("../../../lib/stats/mann-whitney");
  const worker = new Worker(
    `const { parentPort, workerData: w } = require("node:worker_threads");
     const { mannWhitney } = require(w.module);
     const sample = (n, offset) => Array.from({ length: n }, (_, i) => 2 * i + offset);
     const t0 = performance.now();
     try {
       const { method, p } = mannWhitney(sample(w.sizes[0], 0), sample(w.sizes[1], 1), { method: w.method });
       parentPort.postMessage({ method, p, ms: performance.now() - t0 });
     } catch (e) {
       parentPort.postMessage({ error: e.constructor.name + ": " + e.message, ms: performance.now() - t0 });
     }`,
    { eval: true, workerData: { module, sizes, method } },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(
        new Error(`mannWhitney(${sizes.join(" vs ")}, ${method}) still computed after ${deadlineMs} ms`),
      );
    }, deadlineMs);
    worker.once("message", (outcome: Outcome) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

test('method "exact" with 1,000 values per sample is refused at once, naming the cause and the way out', async () => {
  const outcome = await inWorker([1000, 1000], "exact");
  assert.match(outcome.error ?? "", /^RangeError: mannWhitney: the exact p-value of 1000 and 1000 values/);
  assert.match(outcome.error ?? "", /use method "asymptotic"/);
  assert.ok(outcome.ms < 1000, `refused without computing anything (${outcome.ms} ms)`);
  assert.equal(mannWhitney(interleaved(1000, 0), interleaved(1000, 1)).method, "asymptotic", "auto");
});

test('"auto" falls back to asymptotic where SciPy\'s rule says exact but exact would take minutes', async () => {
  const auto = await inWorker([8, 200_000], "auto");
  assert.equal(auto.error, undefined);
  assert.equal(auto.method, "asymptotic");
  assert.ok(auto.p !== undefined && auto.p > 0 && auto.p <= 1);
  const exact = await inWorker([8, 200_000], "exact");
  assert.match(exact.error ?? "", /RangeError: .*8 and 200000 values/);
  assert.equal(
    mannWhitney(interleaved(8, 0), interleaved(40, 1)).method,
    "exact",
    "small sizes: SciPy's rule",
  );
});

test("sizes within the budget still get the exact p-value (180 vs 180)", async () => {
  const exact = await inWorker([180, 180], "exact");
  const normal = await inWorker([180, 180], "asymptotic");
  assert.equal(exact.method, "exact");
  assert.ok(exact.p !== undefined && normal.p !== undefined);
  assert.ok(Math.abs(exact.p - normal.p) < 1e-3, `exact ${exact.p} ≈ normal ${normal.p} at this size`);
});

test("tails from the shorter side equal the sums over the whole distribution, for every k", () => {
  for (const [m, n] of [
    [1, 1],
    [2, 3],
    [4, 4],
    [5, 9],
    [7, 12],
    [10, 3],
  ]) {
    const counts = uCounts(m, n);
    const total = counts.reduce((s, c) => s + c, 0n);
    for (let k = -1; k <= m * n + 1; k++) {
      let upper = 0n;
      for (let u = Math.max(0, k); u <= m * n; u++) upper += counts[u];
      assert.equal(uSurvival(k, m, n), Number(upper) / Number(total), `P(U ≥ ${k}) for m = ${m}, n = ${n}`);
    }
  }
});
