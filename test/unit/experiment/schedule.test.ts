import assert from "node:assert/strict";
import { test } from "node:test";
import { arrivalOffsets, payloadPlan, seededRandom, shuffled } from "../../../lib/experiment/schedule";

/** Each thread's payload indices, as the closed loop takes them from the plan (thread i: positions i × runs …). */
function distributePayloads(
  payloadCount: number,
  threads: number,
  runsPerThread: number,
  options: { shuffle: boolean; seed: number },
): number[][] {
  const plan = payloadPlan(payloadCount, threads * runsPerThread, options);
  return Array.from({ length: threads }, (_, t) =>
    Array.from({ length: runsPerThread }, (_, run) => plan.at(t * runsPerThread + run)),
  );
}

test("without shuffle, thread i takes the next runsPerThread entries of the cyclically repeated list", () => {
  // 3 payloads, 2 threads × 4 runs: the list repeated to 8 entries is 0 1 2 0 1 2 0 1.
  const plan = distributePayloads(3, 2, 4, { shuffle: false, seed: 42 });
  assert.deepEqual(plan, [
    [0, 1, 2, 0],
    [1, 2, 0, 1],
  ]);
});

test("every payload is used as evenly as the total allows, shuffled or not", () => {
  for (const shuffle of [false, true]) {
    const plan = distributePayloads(4, 30, 1, { shuffle, seed: 7 });
    const counts = [0, 0, 0, 0];
    for (const index of plan.flat()) counts[index] += 1;
    assert.equal(plan.length, 30);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`);
  }
});

test("the shuffle is seeded: same seed same plan, another seed another plan", () => {
  const a = distributePayloads(2, 10, 3, { shuffle: true, seed: 42 });
  const b = distributePayloads(2, 10, 3, { shuffle: true, seed: 42 });
  const c = distributePayloads(2, 10, 3, { shuffle: true, seed: 43 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(a, distributePayloads(2, 10, 3, { shuffle: false, seed: 42 }));
});

test("shuffled() permutes a copy and leaves its input alone", () => {
  const input = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
  const out = shuffled(input, seededRandom(1));
  assert.deepEqual([...out].sort(), [...input]);
  assert.deepEqual(input, [1, 2, 3, 4, 5, 6, 7, 8]);
});

test("seededRandom stays in [0, 1) and is roughly uniform", () => {
  const random = seededRandom(123);
  const draws = Array.from({ length: 20000 }, random);
  assert.ok(draws.every((x) => x >= 0 && x < 1));
  const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});

test("uniform arrivals are evenly spaced at 1000/rps ms over the duration", () => {
  const offsets = [...arrivalOffsets(50, 2, "uniform", seededRandom(1))];
  assert.equal(offsets.length, 100);
  assert.equal(offsets[0], 0);
  offsets.slice(1).forEach((t, i) => assert.ok(Math.abs(t - offsets[i] - 20) < 1e-9));
});

test("Poisson arrivals have exponential gaps averaging 1000/rps ms, all inside the duration", () => {
  const rps = 400;
  const offsets = [...arrivalOffsets(rps, 30, "poisson", seededRandom(42))];
  assert.ok(offsets.every((t, i) => t >= 0 && t < 30000 && (i === 0 || t >= offsets[i - 1])));
  const gaps = offsets.slice(1).map((t, i) => t - offsets[i]);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  assert.ok(Math.abs(mean - 1000 / rps) / (1000 / rps) < 0.03, `mean gap ${mean}`);
  // Exponential: the standard deviation equals the mean (coefficient of variation ≈ 1).
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1));
  assert.ok(Math.abs(sd / mean - 1) < 0.05, `cv ${sd / mean}`);
});
