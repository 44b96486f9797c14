import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExperimentMeta } from "../../../lib/experiment/meta";
import { ExperimentResult } from "../../../lib/experiment/result";
import type { InstanceSample } from "../../../lib/platform";
import { plot } from "../../../lib/plot";
import { panicPeriods } from "../../../lib/plot/instances";
import { metaInput } from "../experiment/fixtures";
import { captureShown, hasNoDataNote, row, titleOf, trace } from "./helpers";

const T0 = 1_700_000_000_000;

function sample(atS: number, fields: Partial<InstanceSample> = {}): InstanceSample {
  return {
    at: T0 + atS * 1000,
    starting: 0,
    ready: 0,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
    ...fields,
  };
}

function resultWith(
  samples: InstanceSample[],
  rows = [row({ startedAt: T0 + 500, endedAt: T0 + 3500 })],
  endedAt: string | null = null,
) {
  const meta: ExperimentMeta = {
    ...metaInput("scale"),
    run: 1,
    status: "complete",
    endedAt,
    reason: null,
    overview: null,
  };
  return new ExperimentResult(rows, [meta], { instances: samples });
}

const names = (fig: ReturnType<typeof plot.instances>) => fig.data.map((d) => (d as { name: string }).name);

const SCALE_UP_AND_DOWN = [
  sample(0),
  sample(0.5, { starting: 1, queued: 1 }),
  sample(1.2, { ready: 1, busy: 1, inFlight: 1 }),
  sample(2, { ready: 3, busy: 3, inFlight: 3 }),
  sample(4, { ready: 3 }),
  sample(9, { ready: 0 }),
];

test("instances: ready, starting and busy as step lines over seconds since the first sample", () => {
  const fig = plot.instances(resultWith(SCALE_UP_AND_DOWN), { show: false });
  assert.deepEqual(names(fig).slice(0, 3), ["ready", "starting (cold starts)", "busy"]);
  const ready = trace(fig, 0);
  assert.deepEqual(ready.x, [0, 0.5, 1.2, 2, 4, 9]);
  assert.deepEqual(ready.y, [0, 0, 1, 3, 3, 0]);
  assert.equal((ready.line as { shape: string }).shape, "hv", "a count holds until the next sample");
  assert.deepEqual(trace(fig, 1).y, [0, 1, 0, 0, 0, 0]);
  assert.deepEqual(trace(fig, 2).y, [0, 0, 1, 3, 0, 0]);
  assert.match(titleOf(fig), /Instances — scale/);
  assert.equal((fig.layout.yaxis as { dtick?: number }).dtick, 1, "small counts get whole ticks");
});

test("instances: the queue is drawn when something queued, left out when nothing ever did", () => {
  const withQueue = plot.instances(resultWith(SCALE_UP_AND_DOWN), { show: false });
  const queue = withQueue.data.find((d) => (d as { name: string }).name === "queued requests");
  assert.ok(queue, names(withQueue).join(", "));
  assert.deepEqual((queue as { y: number[] }).y, [0, 1, 0, 0, 0, 0]);
  const calm = plot.instances(resultWith([sample(0), sample(1, { ready: 1 })]), { show: false });
  assert.ok(!names(calm).includes("queued requests"));
});

test("instances: panic periods are shaded from the sample that entered panic to the one that left it", () => {
  const samples = [
    sample(0, { panic: false, desired: 0 }),
    sample(2, { panic: true, ready: 1, desired: 4 }),
    sample(4, { panic: true, ready: 4, desired: 4 }),
    sample(6, { panic: false, ready: 4, desired: 2 }),
    sample(8, { panic: true, ready: 2, desired: 6 }),
  ];
  const fig = plot.instances(resultWith(samples, []), { show: false });
  const rects = (fig.layout.shapes ?? []).filter((s) => s.type === "rect");
  assert.deepEqual(
    rects.map((s) => [s.x0, s.x1]),
    [
      [2, 6],
      [8, 8],
    ],
  );
  assert.ok(names(fig).includes("panic mode"), "the shading has a legend entry");
  const desired = fig.data.find((d) => (d as { name: string }).name === "desired (policy)") as {
    y: number[];
  };
  assert.deepEqual(desired.y, [0, 4, 4, 2, 6]);
  assert.deepEqual(panicPeriods(samples, T0 + 10_000), [
    [T0 + 2000, T0 + 6000],
    [T0 + 8000, T0 + 10_000],
  ]);
});

test("instances: no panic shading and no desired line when the policy reports neither", () => {
  const fig = plot.instances(resultWith(SCALE_UP_AND_DOWN), { show: false });
  assert.equal((fig.layout.shapes ?? []).filter((s) => s.type === "rect").length, 0);
  assert.ok(!names(fig).includes("panic mode"));
  assert.ok(!names(fig).includes("desired (policy)"));
});

test("instances: request arrivals on request, and the last request marked when the timeline goes on", () => {
  const rows = [
    row({ startedAt: T0 + 500, endedAt: T0 + 1500 }),
    row({ startedAt: T0 + 700, endedAt: T0 + 3500 }),
  ];
  const plain = plot.instances(resultWith(SCALE_UP_AND_DOWN, rows), { show: false });
  assert.ok(!names(plain).some((n) => n.startsWith("request arrivals")));
  const lines = (plain.layout.shapes ?? []).filter((s) => s.type === "line");
  assert.deepEqual(
    lines.map((s) => s.x0),
    [3.5],
    "the scale-down after the last request is set apart",
  );
  const withArrivals = plot.instances(resultWith(SCALE_UP_AND_DOWN, rows), { arrivals: true, show: false });
  const arrivals = withArrivals.data.find((d) => (d as { name: string }).name === "request arrivals (2)");
  assert.ok(arrivals, names(withArrivals).join(", "));
  assert.deepEqual((arrivals as { x: number[] }).x, [0.5, 0.7]);
});

test("instances: the last counts hold until the run ended (observeAfterS past the last change)", () => {
  const ended = new Date(T0 + 15_000).toISOString();
  const fig = plot.instances(resultWith(SCALE_UP_AND_DOWN, undefined, ended), { show: false });
  assert.deepEqual(trace(fig, 0).x, [0, 0.5, 1.2, 2, 4, 9, 15]);
  assert.deepEqual(trace(fig, 0).y, [0, 0, 1, 3, 3, 0, 0]);
});

test("instances: a result without a timeline says so instead of an empty frame", () => {
  const fig = plot.instances(resultWith([]), { show: false });
  assert.ok(hasNoDataNote(fig));
  assert.match(titleOf(fig), /no instance timeline \(local reports none\)/);
});

test("instances: several loaded runs draw the latest run only", () => {
  const runs = [
    { ...sample(0), experimentRun: 1 },
    { ...sample(1, { ready: 5 }), experimentRun: 1 },
    { ...sample(100), experimentRun: 2 },
    { ...sample(101, { ready: 2 }), experimentRun: 2 },
  ];
  const fig = plot.instances(resultWith(runs, []), { show: false });
  assert.deepEqual(trace(fig, 0).y, [0, 2]);
  assert.match(titleOf(fig), /\(run 2\)/);
});

test("instances: a running watch extends its last step to now; samples alone plot too", () => {
  const recent = Date.now() - 2000;
  const watch = {
    functionName: "heavy",
    running: true,
    samples: [
      { ...sample(0), at: recent },
      { ...sample(0), at: recent + 500, ready: 2 },
    ],
  };
  const fig = plot.instances(watch, { show: false });
  const x = trace(fig, 0).x as number[];
  assert.equal(x.length, 3);
  assert.ok(x[2] >= 2, `the last step reaches now (${x[2]} s)`);
  assert.deepEqual(trace(fig, 0).y, [0, 2, 2]);
  assert.match(titleOf(fig), /Instances — heavy/);
  const stopped = plot.instances({ ...watch, running: false, stoppedAt: recent + 1500 }, { show: false });
  assert.deepEqual(trace(stopped, 0).x, [0, 0.5, 1.5], "a stopped watch: until it was stopped");
  assert.deepEqual(trace(plot.instances(SCALE_UP_AND_DOWN, { show: false }), 0).y, [0, 0, 1, 3, 3, 0]);
});

test("instances: shown in the notebook unless show is false", (t) => {
  const shown = captureShown(t);
  const fig = plot.instances(resultWith(SCALE_UP_AND_DOWN));
  plot.instances(resultWith(SCALE_UP_AND_DOWN), { show: false });
  assert.deepEqual(shown, [fig]);
});
