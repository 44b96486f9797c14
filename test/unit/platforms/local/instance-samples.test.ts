// The instance watch of the local platform on manual time: one sample on subscribe, one per change,
// never two within intervalMs, the state at the end of a busy interval kept, no timer after stop().
import { test } from "node:test";
import assert from "node:assert/strict";
import type { InstanceSample } from "../../../../lib/platform";
import { InstanceSamples, type InstanceCounts } from "../../../../platforms/local/instance-samples";
import { ManualClock } from "../../../helpers/fake-clock";

function setup(intervalMs?: number) {
  const clock = new ManualClock();
  const counts: InstanceCounts = {
    starting: 0,
    ready: 0,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
  };
  const samples = new InstanceSamples(clock, () => ({ ...counts }));
  const seen: InstanceSample[] = [];
  const start = clock.now();
  const watch = samples.watch((s) => seen.push(s), intervalMs);
  const set = (change: Partial<InstanceCounts>) => {
    Object.assign(counts, change);
    samples.changed();
  };
  return { clock, samples, seen, watch, set, start };
}

test("one sample at once on subscribe, with the clock's time", () => {
  const { seen, start } = setup();
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0], {
    at: start,
    starting: 0,
    ready: 0,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
  });
});

test("a change after the interval is sent at once; no change, no sample", () => {
  const { clock, seen, set, start } = setup(100);
  clock.advance(150);
  set({ starting: 1, inFlight: 1 });
  assert.equal(seen.length, 2);
  assert.equal(seen[1].at, start + 150);
  assert.equal(seen[1].starting, 1);
  clock.advance(500);
  set({}); // an event that changed nothing a watcher sees
  assert.equal(seen.length, 2);
});

test("changes inside the interval: one sample at its end, with the counts of then", () => {
  const { clock, seen, set, start } = setup(100);
  clock.advance(10);
  set({ starting: 1 });
  clock.advance(10);
  set({ starting: 0, ready: 1 });
  clock.advance(10);
  set({ busy: 1, inFlight: 1 });
  assert.equal(seen.length, 1, "nothing within 100 ms of the first sample");
  clock.advance(70);
  assert.equal(seen.length, 2);
  assert.equal(seen[1].at, start + 100);
  assert.deepEqual([seen[1].starting, seen[1].ready, seen[1].busy], [0, 1, 1]);
});

test("a change that is undone within the interval sends nothing", () => {
  const { clock, seen, set } = setup(100);
  set({ queued: 1 });
  set({ queued: 0 });
  clock.advance(1000);
  assert.equal(seen.length, 1);
});

test("samples are never closer than intervalMs, however many changes", () => {
  const { clock, seen, set } = setup(250);
  for (let i = 1; i <= 100; i++) {
    clock.advance(7);
    set({ inFlight: i });
  }
  clock.advance(1000);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].at - seen[i - 1].at >= 250);
  assert.equal(seen.at(-1)!.inFlight, 100, "the last state is sent");
});

test("the default interval is 100 ms", () => {
  const { clock, seen, set, start } = setup();
  set({ ready: 1 });
  clock.advance(99);
  assert.equal(seen.length, 1);
  clock.advance(1);
  assert.equal(seen.length, 2);
  assert.equal(seen[1].at, start + 100);
});

test("stop(): no more samples and no timer left, idempotent", () => {
  const { clock, samples, seen, set, watch } = setup(100);
  set({ ready: 1 });
  assert.equal(clock.pending, 1, "a sample is due");
  watch.stop();
  watch.stop();
  assert.equal(clock.pending, 0);
  assert.equal(samples.watching, false);
  set({ ready: 2 });
  clock.advance(1000);
  assert.equal(seen.length, 1);
  assert.equal(clock.pending, 0);
});

test("two watchers with their own intervals", () => {
  const clock = new ManualClock();
  let ready = 0;
  const samples = new InstanceSamples(clock, () => ({
    starting: 0,
    ready,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
  }));
  const fast: number[] = [];
  const slow: number[] = [];
  samples.watch((s) => fast.push(s.ready), 10);
  samples.watch((s) => slow.push(s.ready), 1000);
  for (let i = 1; i <= 5; i++) {
    clock.advance(20);
    ready = i;
    samples.changed();
  }
  clock.advance(1000);
  assert.deepEqual(fast, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(slow, [0, 5]);
});

test("intervalMs must be a finite number ≥ 0", () => {
  const samples = new InstanceSamples(new ManualClock(), () => ({
    starting: 0,
    ready: 0,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
  }));
  assert.throws(() => samples.watch(() => undefined, -1), RangeError);
  assert.throws(() => samples.watch(() => undefined, Number.NaN), RangeError);
});
