// The schedule is generated lazily (item 3 of the reliability issue): a plan's payloads and arrivals
// cost nothing per invocation unless shuffled, and a shuffle is exactly today's seeded Fisher–Yates.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  arrivalOffsets,
  countArrivals,
  payloadPlan,
  seededRandom,
  shuffled,
} from "../../../lib/experiment/schedule";

/** The specification, written out: repeat the list to threads × runs, shuffle it, thread i takes the next runs. */
function reference(payloads: number, threads: number, runs: number, seed: number): number[][] {
  const repeated = Array.from({ length: threads * runs }, (_, i) => i % payloads);
  const order = shuffled(repeated, seededRandom(seed));
  return Array.from({ length: threads }, (_, t) => order.slice(t * runs, (t + 1) * runs));
}

test("a shuffled plan is exactly the seeded Fisher–Yates of the repeated list, whatever the index width", () => {
  // 300 and 70,000 payloads need 16- and 32-bit indices.
  for (const [payloads, threads, runs, seed] of [
    [2, 10, 3, 42],
    [3, 7, 11, 1],
    [300, 20, 50, 42],
    [70_000, 4, 25_000, 9],
  ]) {
    const plan = payloadPlan(payloads, threads * runs, { shuffle: true, seed });
    const shares = Array.from({ length: threads }, (_, t) =>
      Array.from({ length: runs }, (_, run) => plan.at(t * runs + run)),
    );
    assert.deepEqual(shares, reference(payloads, threads, runs, seed), `${payloads} payloads`);
  }
});

test("an unshuffled plan of 10^12 invocations is index arithmetic: nothing is allocated per invocation", () => {
  const before = process.memoryUsage();
  const plan = payloadPlan(7, 1e12, { shuffle: false, seed: 42 });
  assert.equal(plan.total, 1e12);
  assert.equal(plan.at(1e12 - 1), (1e12 - 1) % 7);
  assert.equal(plan.at(123_456_789_012), 123_456_789_012 % 7);
  const grown = process.memoryUsage().arrayBuffers - before.arrayBuffers;
  assert.ok(grown < 1e6, `${grown} bytes of buffers`);
  // One payload needs no order at all, shuffled or not.
  assert.equal(payloadPlan(1, 1e12, { shuffle: true, seed: 42 }).at(1e12 - 1), 0);
});

test("arrivals are generated one at a time: the first of 3.6 × 10^12 arrive at once, in order", () => {
  for (const arrival of ["poisson", "uniform"] as const) {
    const offsets = arrivalOffsets(1e9, 3600, arrival, seededRandom(42));
    const first = Array.from({ length: 5 }, () => offsets.next().value as number);
    assert.ok(
      first.every((t, i) => t >= 0 && t < 1e-4 && (i === 0 || t >= first[i - 1])),
      `${arrival}: ${first.join(", ")}`,
    );
  }
});

test("countArrivals counts exactly the offsets the same seed generates", () => {
  for (const arrival of ["poisson", "uniform"] as const) {
    for (const [rps, durationS, seed] of [
      [50, 2, 1],
      [400, 3, 42],
      [33.3, 1.7, 5],
    ]) {
      const generated = [...arrivalOffsets(rps, durationS, arrival, seededRandom(seed))].length;
      assert.equal(countArrivals(rps, durationS, arrival, seed), generated, `${arrival} ${rps}×${durationS}`);
    }
  }
});
