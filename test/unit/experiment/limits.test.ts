// Item 3 of the reliability issue: an experiment too large for one run is refused up front, with the
// numbers, the limit and a hint — before the schedule is generated, anything deployed or written.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../../lib/errors";
import { MAX_IN_FLIGHT, MAX_INVOCATIONS } from "../../../lib/experiment/limits";
import { resolveOptions, type ExperimentOptions } from "../../../lib/experiment/options";

function refusal(options: ExperimentOptions): ConfigError {
  try {
    resolveOptions(options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${JSON.stringify(options)} was accepted`);
}

const en = (n: number) => n.toLocaleString("en");

test("threads: 1e9 is refused with the number, the in-flight limit and a hint", () => {
  const error = refusal({ threads: 1e9 });
  const text = error.problems.join("\n");
  assert.match(text, /"threads" is 1,000,000,000/);
  assert.ok(text.includes(`at most ${en(MAX_IN_FLIGHT)} requests can be in flight`), text);
  assert.ok(text.includes("1,000,000,000 invocations"), "the total is named too");
  assert.match(error.hint ?? "", /split/);
});

test("threads × (runsPerThread + warmup) over the per-run limit is refused with the arithmetic", () => {
  const error = refusal({ threads: 100, runsPerThread: 100_000, warmup: 1 });
  assert.equal(error.problems.length, 1, error.problems.join("\n"));
  assert.ok(
    error.problems[0].includes(`100 × (100,000 + 1 warmup) = 10,000,100 invocations`),
    error.problems[0],
  );
  assert.ok(error.problems[0].includes(`at most ${en(MAX_INVOCATIONS)}`));
});

test("open loop: rps × durationS over the limit, and maxInFlight over the in-flight limit, are refused", () => {
  const error = refusal({ rps: 1e9, durationS: 3600 });
  assert.ok(
    error.problems.some((p) => p.includes("1,000,000,000 × 3,600 = 3,600,000,000,000 expected arrivals")),
    error.problems.join("\n"),
  );
  const inFlight = refusal({ rps: 10, durationS: 1, maxInFlight: 1e6 });
  assert.ok(inFlight.problems[0].includes(`"maxInFlight" is 1,000,000`), inFlight.problems[0]);
});

test("plans at the limits are accepted; size is not judged when a number is already invalid", () => {
  const atLimit = resolveOptions({ threads: MAX_IN_FLIGHT, runsPerThread: MAX_INVOCATIONS / MAX_IN_FLIGHT });
  assert.deepEqual(atLimit.plan, {
    mode: "closed",
    threads: MAX_IN_FLIGHT,
    runsPerThread: MAX_INVOCATIONS / MAX_IN_FLIGHT,
    warmup: 0,
    sleepMs: 0,
  });
  resolveOptions({ rps: MAX_INVOCATIONS / 100, durationS: 100, maxInFlight: MAX_IN_FLIGHT });
  const error = refusal({ threads: 1e9, runsPerThread: 0.5 });
  assert.equal(error.problems.length, 1, "only the invalid runsPerThread, no arithmetic on it");
  assert.match(error.problems[0], /runsPerThread/);
});
