import assert from "node:assert/strict";
import { test } from "node:test";
import { Throttle } from "../../../kernel/throttle";
import { ManualClock } from "../../helpers/fake-clock";

/** Renders of a throttle fed one value every `everyMs` for `durationMs`, with their times. */
function feed(
  everyMs: number,
  durationMs: number,
): { clock: ManualClock; renders: { t: number; v: number }[]; throttle: Throttle<number> } {
  const clock = new ManualClock(0);
  const renders: { t: number; v: number }[] = [];
  const throttle = new Throttle<number>((v) => renders.push({ t: clock.now(), v }), 100, clock);
  let v = 0;
  while (clock.now() < durationMs) {
    throttle.push(++v);
    clock.advance(everyMs);
  }
  return { clock, renders, throttle };
}

test("a flood of updates renders at most 10 times in any second", () => {
  const { renders } = feed(1, 3000); // 1000 updates per second for 3 s
  assert.ok(renders.length >= 29 && renders.length <= 31, `renders: ${renders.length}`);
  for (const start of [0, 250, 1000, 1999]) {
    const inWindow = renders.filter((r) => r.t >= start && r.t < start + 1000).length;
    assert.ok(inWindow <= 10, `${inWindow} renders in [${start}, ${start + 1000})`);
  }
  for (let i = 1; i < renders.length; i++) assert.ok(renders[i].t - renders[i - 1].t >= 100);
});

test("the first update renders at once, later ones show the latest value", () => {
  const clock = new ManualClock(0);
  const seen: number[] = [];
  const throttle = new Throttle<number>((v) => seen.push(v), 100, clock);
  throttle.push(1);
  assert.deepEqual(seen, [1]);
  throttle.push(2);
  throttle.push(3);
  assert.deepEqual(seen, [1], "throttled");
  clock.advance(100);
  assert.deepEqual(seen, [1, 3], "the trailing render shows the latest value, not 2");
});

test("a pending value is rendered when the interval ends even if nothing else arrives", () => {
  const clock = new ManualClock(0);
  const seen: number[] = [];
  const throttle = new Throttle<number>((v) => seen.push(v), 100, clock);
  throttle.push(1);
  clock.advance(30);
  throttle.push(2);
  clock.advance(69);
  assert.deepEqual(seen, [1]);
  clock.advance(1);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(clock.pending, 0);
});

test("the final state is always rendered at once, and nothing after it", () => {
  const clock = new ManualClock(0);
  const seen: string[] = [];
  const throttle = new Throttle<string>((v) => seen.push(v), 100, clock);
  throttle.push("a");
  throttle.push("b"); // pending
  throttle.push("done", true); // within the interval: still rendered now
  assert.deepEqual(seen, ["a", "done"]);
  assert.equal(clock.pending, 0, "the pending trailing render was cancelled");
  throttle.push("late");
  throttle.push("late", true);
  clock.advance(1000);
  assert.deepEqual(seen, ["a", "done"]);
  assert.equal(throttle.finished, true);
});

test("a final state alone renders once", () => {
  const clock = new ManualClock(0);
  const seen: number[] = [];
  new Throttle<number>((v) => seen.push(v), 100, clock).push(7, true);
  assert.deepEqual(seen, [7]);
});
