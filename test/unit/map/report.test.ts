import assert from "node:assert/strict";
import { test } from "node:test";
import type { Row } from "../../../lib";
import { pipelineReportText, type PipelineReport } from "../../../lib/map/pipeline-result";
import {
  mapReportText,
  speedup,
  stepFigures,
  stepLine,
  type ChunkOutcome,
  type MapReport,
  type StepReport,
} from "../../../lib/map/report";

const outcome = (
  index: number,
  start: number,
  end: number,
  status: ChunkOutcome["status"],
  invocations: number,
): ChunkOutcome => ({
  chunk: { index, start, end, bytes: 0 },
  status,
  invocations,
  errorType: status === "ok" ? null : "Error",
  errorMessage: null,
});

test("step figures: invocations, cold starts and instances from rows; retried, failed, missing from outcomes", () => {
  const rows: Row[] = [
    { coldStart: true, instanceId: "a" },
    { coldStart: false, instanceId: "a" },
    { coldStart: true, instanceId: "b" },
    { coldStart: null, instanceId: null },
    { coldStart: false, instanceId: "b" },
  ];
  const outcomes = [
    outcome(0, 0, 10, "ok", 1),
    outcome(1, 10, 20, "ok", 2),
    outcome(2, 20, 25, "failed", 3),
    outcome(3, 25, 30, "not started", 0),
  ];
  assert.deepEqual(stepFigures(outcomes, rows), {
    chunks: 4,
    invocations: 5,
    coldStarts: 2,
    instances: 2,
    retried: 2,
    failedChunks: 1,
    missingElements: 10,
  });
});

test("speedup is baseline over parallel, null when a duration is not positive", () => {
  assert.equal(speedup(345570, 18980)?.toFixed(1), "18.2");
  assert.equal(speedup(1000, 0), null);
  assert.equal(speedup(0, 1000), null);
});

const step = (s: Partial<StepReport>): StepReport => ({
  step: 1,
  name: "geolocate",
  kind: "parallel",
  workers: 100,
  elements: 3000,
  elementsOut: 3000,
  durationMs: 18650,
  chunks: 100,
  invocations: 100,
  coldStarts: 0,
  instances: 100,
  retried: 0,
  failedChunks: 0,
  missingElements: 0,
  aborted: false,
  ...s,
});

test("the pipeline report reads like the seed's", () => {
  const steps = [
    step({}),
    step({ step: 2, name: "cleanup", durationMs: 340, elementsOut: 413 }),
    step({ step: 3, name: "sort", kind: "sequential", workers: 1, elements: 413, durationMs: 1 }),
  ];
  const report: PipelineReport = {
    name: "demo",
    elements: 3000,
    elementsOut: 413,
    durationMs: 18980,
    steps,
    baseline: { name: "demo-baseline", durationMs: 345570, steps },
    speedup: speedup(345570, 18980),
  };
  assert.equal(
    pipelineReportText(report),
    [
      "Number of elements = 3000",
      "Regular duration = 345.57s (1 worker per step)",
      "Parallel duration = 18.98s",
      "Speedup = 18.2X",
      "Details per pipeline step:",
      '  1 - Step "geolocate" took 18.65s for 100 workers and 3000 elements',
      '  2 - Step "cleanup" took 0.34s for 100 workers and 3000 elements',
      '  3 - Step "sort" took 0.00s for 1 worker and 413 elements',
    ].join("\n"),
  );
  const without = pipelineReportText({ ...report, baseline: null, speedup: null });
  assert.doesNotMatch(without, /Regular|Speedup/);
});

test("a step line says what went wrong; a map report names chunks and invocations", () => {
  assert.match(
    stepLine(step({ retried: 1, failedChunks: 2, aborted: true })),
    /\(1 chunk retried, 2 failed, aborted\)$/,
  );
  const map: MapReport = {
    ...step({ coldStarts: 7 }),
    experiment: "m",
    functionName: "geolocate",
    platform: "local",
    chunkSize: 30,
  };
  const text = mapReportText(map);
  assert.match(text, /^Number of elements = 3000\nParallel duration = 18\.65s\n/);
  assert.match(text, /100 chunks of up to 30 elements, 100 invocations, 7 cold starts, 100 instances/);
});
