import assert from "node:assert/strict";
import { test } from "node:test";
import { progressText, renderProgress } from "../../../kernel/render/progress";
import { ConfigError } from "../../../lib/errors";
import { resolveOptions } from "../../../lib/experiment/options";
import { ProgressTracker, type ExperimentProgress } from "../../../lib/experiment/progress";

test("observeAfterS: 0 by default, any number of seconds ≥ 0, anything else refused with the others", () => {
  assert.equal(resolveOptions({}).observeAfterS, 0);
  assert.equal(resolveOptions({ observeAfterS: 2.5 }).observeAfterS, 2.5);
  assert.equal(
    resolveOptions({ rps: 5, durationS: 1, observeAfterS: 30 }).observeAfterS,
    30,
    "open loop too",
  );
  for (const bad of [-1, Number.NaN, Infinity, "10"]) {
    assert.throws(
      () => resolveOptions({ observeAfterS: bad as number, threads: 0 }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /"observeAfterS" must be a number of seconds ≥ 0/);
        assert.match(e.message, /"threads"/, "listed with the other problems");
        return true;
      },
    );
  }
});

test("progress says it is observing instances, with the time left, until it finishes", () => {
  const seen: ExperimentProgress[] = [];
  const tracker = new ProgressTracker("down", "heavy", 2, (p) => seen.push(p));
  tracker.completed(false);
  tracker.completed(false);
  tracker.observing(12_000);
  const observing = seen[seen.length - 1];
  assert.equal(observing.observingLeftMs, 12_000);
  assert.equal(observing.etaMs, null, "nothing left to invoke");
  assert.match(progressText(observing), /observing instances, 12(\.0)? s left/);
  assert.match(renderProgress(observing), /observing instances, 12(\.0)? s left/);
  tracker.observing(0);
  assert.equal(seen[seen.length - 1].observingLeftMs, undefined, "observation over");
  tracker.observing(5000);
  tracker.finish();
  const final = seen[seen.length - 1];
  assert.equal(final.finished, true);
  assert.equal(final.observingLeftMs, undefined);
  assert.doesNotMatch(progressText(final), /observing/);
});
