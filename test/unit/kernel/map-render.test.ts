import assert from "node:assert/strict";
import { test } from "node:test";
import { ExperimentResult, MapResult, PipelineResult } from "../../../lib";
import type { ExperimentMeta } from "../../../lib/experiment/meta";
import { MapProgressTracker, type MapProgress } from "../../../lib/map/progress";
import type { MapReport } from "../../../lib/map/report";
import { renderValue } from "../../../kernel/render";
import { progressText, renderProgress } from "../../../kernel/render/progress";

const meta = {
  name: "m",
  functionName: "geolocate",
  platform: "local",
  run: 1,
  status: "complete",
} as ExperimentMeta;
const report: MapReport = {
  step: 1,
  name: "geolocate",
  kind: "parallel",
  workers: 100,
  elements: 3000,
  elementsOut: 2970,
  durationMs: 1234,
  chunks: 100,
  invocations: 101,
  coldStarts: 3,
  instances: 100,
  retried: 1,
  failedChunks: 1,
  missingElements: 30,
  aborted: false,
  experiment: "m",
  functionName: "geolocate",
  platform: "local",
  chunkSize: 30,
};
const failure = {
  chunk: 7,
  start: 210,
  end: 240,
  elements: 30,
  errorType: "RangeError",
  errorMessage: "<bad> zip",
  invocations: 3,
};

test("a map result renders as tables (figures, failed chunks, escaped) and as the seed's text", () => {
  const m = new MapResult([1, undefined], report, new ExperimentResult([], [meta]), [failure]);
  const rendered = renderValue(m);
  assert.ok(rendered);
  assert.equal(rendered.text, m.toString());
  assert.match(rendered.text, /^Number of elements = 3000\nParallel duration = 1\.23s\n/);
  assert.match(rendered.html, /<th style="text-align:left">elements<\/th><td>3000<\/td>/);
  assert.match(rendered.html, /1 chunk\(s\) failed, skipped/);
  assert.match(rendered.html, /<td>7<\/td><td style="text-align:left">210–239<\/td>/);
  assert.match(rendered.html, /&lt;bad&gt; zip/);
});

test("a pipeline result renders its overview (speedup) and one table row per step", () => {
  const steps = [report, { ...report, step: 2, name: "sort", kind: "sequential" as const, workers: 1 }];
  const p = new PipelineResult(
    [],
    {
      name: "demo",
      elements: 3000,
      elementsOut: 413,
      durationMs: 2000,
      steps,
      baseline: { name: "demo-baseline", durationMs: 40000, steps },
      speedup: 20,
    },
    [],
  );
  const rendered = renderValue(p);
  assert.ok(rendered);
  assert.match(rendered.text, /Speedup = 20\.0X/);
  assert.match(rendered.html, /speedup<\/th><td style="text-align:left">20\.0×/);
  assert.equal(
    (rendered.html.match(/<tr>/g) ?? []).length,
    1 + 5 + 1 + 2,
    "overview header and rows, the step header, two steps",
  );
});

test("a map's progress counts chunks and the elements they covered", () => {
  const tracker = new MapProgressTracker("m", "geolocate", 4, 100);
  tracker.chunkDone(25, false);
  tracker.chunkDone(25, true);
  const p = tracker.snapshot(false) as MapProgress;
  assert.deepEqual([p.done, p.total, p.failed, p.elements], [2, 4, 1, { done: 25, total: 100 }]);
  assert.match(progressText(p), /2\/4 done · 25\/100 elements · 1 failed/);
  assert.match(renderProgress(p), /25\/100 elements/);
});
