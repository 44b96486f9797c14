// pipeline() on the local platform: parallel steps as maps over real instances, sequential steps here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, load, MapError, parallel, pipeline, plot, sequential, FaasLabError } from "../../lib";
import { chunkWorker, keepMultiplesOf20, type MapElement, type MapOutput } from "../helpers/map-functions";
import { localSuite } from "../helpers/suite";

const suite = localSuite("map-pipeline");
const worker = cloudFunction("pipe_worker", chunkWorker, { config: { maxInstances: 6 } });
const filter = cloudFunction("pipe_filter", keepMultiplesOf20, { config: { maxInstances: 6 } });
const input: MapElement[] = Array.from({ length: 30 }, (_, i) => ({ v: i }));
const byValueDown = (xs: MapOutput[]) => xs.sort((a, b) => b.v - a.v);

test("parallel → parallel (a filter) → sequential: the data flows through in order, one report line per step", async () => {
  const p = pipeline(
    parallel(worker, { workers: 6 }),
    parallel(filter, { chunkSize: 4 }),
    sequential(byValueDown),
  );
  const out = await p.run<MapOutput>(input, { name: "flow" });
  for (const o of out.results) suite.ledger.add(o.pid);
  const expected = input
    .map((x) => x.v * 10)
    .filter((v) => v % 20 === 0)
    .sort((a, b) => b - a);
  assert.deepEqual(
    out.results.map((o) => o.v),
    expected,
  );
  const r = out.report;
  assert.deepEqual(
    r.steps.map((s) => [s.step, s.name, s.kind, s.workers, s.elements, s.elementsOut, s.chunks]),
    [
      [1, "pipe_worker", "parallel", 6, 30, 30, 6],
      [2, "pipe_filter", "parallel", 8, 30, 15, 8],
      [3, "byValueDown", "sequential", 1, 15, 15, 0],
    ],
  );
  assert.equal(r.elements, 30);
  assert.equal(r.elementsOut, 15);
  assert.equal(
    r.durationMs,
    r.steps.reduce((sum, s) => sum + s.durationMs, 0),
  );
  assert.equal(r.baseline, null);
  assert.equal(r.speedup, null);
  const text = String(out);
  assert.match(
    text,
    /^Number of elements = 30\nParallel duration = \d+\.\d\ds\nDetails per pipeline step:\n/,
  );
  assert.match(text, / {2}3 - Step "byValueDown" took \d+\.\d\ds for 1 worker and 15 elements$/);
  // Each parallel step is journaled under its function, with its step number.
  assert.deepEqual([...new Set(load(worker, "flow").rows.map((row) => row.step))], [1]);
  assert.deepEqual([...new Set(load(filter, "flow").rows.map((row) => row.step))], [2]);
  assert.equal(out.experiment.rows.length, 6 + 8);
  assert.ok(plot.timeline(out).data.length > 0, "a pipeline result plots as a timeline");
});

test("baseline: the same pipeline with one invocation in flight per step, and the speedup", async () => {
  const p = pipeline(
    parallel(worker, { workers: 5 }),
    sequential((xs: MapOutput[]) => xs.slice(0, 3)),
  );
  const slow = input.map((x) => ({ ...x, ms: 40 }));
  const out = await p.run<MapOutput>(slow, { baseline: true, name: "with_baseline" });
  for (const o of out.results) suite.ledger.add(o.pid);
  const base = out.report.baseline;
  assert.ok(base);
  assert.equal(base.name, "with_baseline-baseline");
  assert.equal(base.steps[0].workers, 1);
  assert.equal(base.steps[0].chunks, 5, "the baseline runs the same chunks");
  assert.equal(out.report.speedup, base.durationMs / out.report.durationMs);
  assert.match(String(out), /Regular duration = .*\nParallel duration = .*\nSpeedup = \d+\.\dX\n/);
  // One at a time: no two baseline invocations overlap on the client's clock.
  const rows = load(worker, "with_baseline-baseline").rows.sort(
    (a, b) => Number(a.startedAt) - Number(b.startedAt),
  );
  for (let i = 1; i < rows.length; i++) assert.ok(Number(rows[i].startedAt) >= Number(rows[i - 1].endedAt));
  assert.equal(out.baselineMaps.length, 1);
});

test("a failing parallel step rejects with its MapError; a sequential step must return an array", async () => {
  const poisoned = input.map((x) => (x.v === 3 ? { ...x, poison: true } : x));
  const p = pipeline(parallel(worker, { workers: 3, retries: 0 }), sequential(byValueDown));
  await assert.rejects(p.run(poisoned, { name: "failing" }), (error: unknown) => {
    assert.ok(error instanceof MapError);
    assert.match(error.message, /pipeline "failing" step 1 \(pipe_worker\): 1 of 3 chunks failed/);
    return true;
  });
  const skipped = await p.run<MapOutput>(poisoned, { name: "skipping", onChunkError: "skip" });
  assert.equal(skipped.results.length, 20, "the failed chunk's elements are dropped");
  assert.equal(skipped.report.steps[0].failedChunks, 1);
  const bad = pipeline(sequential(() => "nope" as unknown as unknown[], { name: "bad" }));
  await assert.rejects(bad.run([1]), (error: unknown) => {
    assert.ok(error instanceof FaasLabError);
    assert.match(error.message, /step 1 \("bad"\) returned a string "nope"; a step must return an array/);
    return true;
  });
  assert.throws(() => pipeline(), /at least one step/);
  assert.throws(
    () => pipeline(byValueDown as never),
    /step 1 is .*wrap it in parallel\(fn\) or sequential\(fn\)/,
  );
});
