import assert from "node:assert/strict";
import { test } from "node:test";
import { experimentEvents, ProgressTracker, type ExperimentProgress } from "../../../lib/experiment/progress";

test("the tracker reports done/total/failed to its listener and on experimentEvents", () => {
  const seen: ExperimentProgress[] = [];
  const published: ExperimentProgress[] = [];
  const onEvent = (p: ExperimentProgress) => published.push(p);
  experimentEvents.on("progress", onEvent);
  try {
    const tracker = new ProgressTracker("exp", "fn", 4, (p) => seen.push(p));
    tracker.completed(false);
    tracker.completed(true);
    tracker.finish();
  } finally {
    experimentEvents.off("progress", onEvent);
  }
  assert.deepEqual(
    seen.map((p) => [p.done, p.total, p.failed, p.finished]),
    [
      [1, 4, 0, false],
      [2, 4, 1, false],
      [2, 4, 1, true],
    ],
  );
  assert.equal(published.length, 3);
  assert.ok(seen.every((p) => p.experiment === "exp" && p.functionName === "fn" && p.elapsedMs >= 0));
});

test("the ETA extrapolates the pace so far and is null before the first completion and at the end", async () => {
  const seen: ExperimentProgress[] = [];
  const tracker = new ProgressTracker("exp", "fn", 10, (p) => seen.push(p));
  assert.equal(tracker.snapshot(false).etaMs, null);
  await new Promise((resolve) => setTimeout(resolve, 30));
  tracker.completed(false);
  const first = seen[0];
  // 1 of 10 done after elapsedMs: 9 more at the same pace.
  assert.equal(first.etaMs, Math.round(first.elapsedMs * 9));
  tracker.finish();
  assert.equal(seen[seen.length - 1].etaMs, null);
});
