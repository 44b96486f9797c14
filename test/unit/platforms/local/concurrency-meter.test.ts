// The window averages the autoscalers see, as Knative's bucketing.go WindowAverage defines them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyMeter } from "../../../../platforms/local/scaling/concurrency-meter";

const S = 1000;

test("a full window: the time-weighted average of the concurrency", () => {
  const meter = new ConcurrencyMeter(60 * S);
  meter.record(0, 0, true);
  meter.record(10 * S, 30, true); // 30 requests from 10 s to 40 s
  meter.record(40 * S, 0, true);
  assert.equal(meter.average(60 * S, 60 * S), (30 * 30) / 60);
  assert.equal(meter.average(60 * S, 6 * S), 0, "nothing in the last 6 s");
  assert.equal(meter.average(40 * S, 6 * S), 30);
});

test("a partial window: averaged since data began, not over the whole window", () => {
  const meter = new ConcurrencyMeter(60 * S);
  meter.record(0, 0, false);
  meter.record(5 * S, 10, true);
  assert.equal(meter.average(5 * S, 60 * S), 10, "the first instant: its value");
  assert.equal(meter.average(7 * S, 60 * S), 10, "2 s of data at 10, not 20 / 60");
});

test("data that stopped: averaged up to the last data; none for a whole window: 0", () => {
  const meter = new ConcurrencyMeter(60 * S);
  meter.record(0, 4, true);
  meter.record(20 * S, 0, false); // the last instance went away
  assert.equal(meter.average(30 * S, 60 * S), 4, "over [0, 20 s], the span with data");
  assert.equal(meter.average(80 * S, 60 * S), 0);
});

test("a gap of a whole window restarts the average; a shorter gap counts as zeros", () => {
  const meter = new ConcurrencyMeter(10 * S);
  meter.record(0, 8, true);
  meter.record(2 * S, 0, false);
  meter.record(5 * S, 2, true); // 3 s gap < 10 s window
  assert.equal(meter.average(6 * S, 10 * S), (8 * 2 + 2 * 1) / 6);
  meter.record(6 * S, 0, false);
  meter.record(20 * S, 6, true); // 14 s gap ≥ 10 s: a new run
  assert.equal(meter.average(22 * S, 10 * S), 6);
});

test("old steps are dropped, the averages stay right", () => {
  const meter = new ConcurrencyMeter(1 * S);
  for (let t = 0; t <= 100_000; t += 10) meter.record(t, (t / 10) % 2, true);
  assert.ok(Math.abs(meter.average(100_000, 1 * S) - 0.5) < 0.02);
});
