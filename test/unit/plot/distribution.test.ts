import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { ConfigError } from "../../../lib/errors";
import { plot } from "../../../lib/plot";
import { ecdf } from "../../../lib/plot/distribution";
import { axisTitle, hasNoDataNote, result, row, titleOf, trace } from "./helpers";

// runtimes 5, 7, null (unknown), 9 (failed), 3 (warmup), 12 (cold start)
const ROWS = [
  row({ seq: 0, runtimeMs: 5, coldStart: false }),
  row({ seq: 1, runtimeMs: 7, coldStart: false }),
  row({ seq: 2, runtimeMs: null, coldStart: false }),
  row({ seq: 3, runtimeMs: 9, failed: true }),
  row({ seq: 4, runtimeMs: 3, warmup: true }),
  row({ seq: 5, runtimeMs: 12, coldStart: true }),
];

test("histogram: x holds the successful, non-null, non-warmup values of the metric", () => {
  const fig = plot.histogram(result(ROWS, "hello"), "runtimeMs", { show: false });
  const expected = ROWS.filter(
    (r) => r.failed !== true && r.warmup !== true && typeof r.runtimeMs === "number",
  ).map((r) => r.runtimeMs);
  assert.equal(fig.data.length, 1);
  assert.deepEqual(trace(fig, 0).x, expected);
  assert.equal(trace(fig, 0).type, "histogram");
  assert.equal(axisTitle(fig, "xaxis"), "runtime (ms)");
  assert.equal(axisTitle(fig, "yaxis"), "invocations");
  assert.match(titleOf(fig), /hello/);
  assert.match(titleOf(fig), /n = 3/);
  assert.equal(fig.config?.responsive, true);
  assert.equal(hasNoDataNote(fig), false);
});

test("histogram: includeFailed adds the failed row; by splits into overlaid groups", () => {
  const all = plot.histogram(result(ROWS), "runtimeMs", { includeFailed: true, show: false });
  assert.deepEqual(trace(all, 0).x, [5, 7, 9, 12]);
  const split = plot.histogram(result(ROWS), "runtimeMs", { by: "coldStart", show: false });
  assert.equal(split.data.length, 2);
  assert.deepEqual(
    split.data.map((d) => (d as { name: string }).name),
    ["coldStart = false", "coldStart = true"],
  );
  assert.deepEqual(trace(split, 0).x, [5, 7]);
  assert.deepEqual(trace(split, 1).x, [12]);
  assert.equal(split.layout.barmode, "overlay");
});

test("histogram: defaults to runtimeMs, other units from the name suffix, title override", () => {
  const r = result([row({ costUsd: 0.5, maxMemoryUsedMb: 80 })]);
  assert.equal(axisTitle(plot.histogram(r, undefined, { show: false }), "xaxis"), "runtime (ms)");
  assert.equal(axisTitle(plot.histogram(r, "costUsd", { show: false }), "xaxis"), "cost (USD)");
  assert.equal(
    axisTitle(plot.histogram(r, "maxMemoryUsedMb", { show: false }), "xaxis"),
    "max memory used (MB)",
  );
  assert.equal(titleOf(plot.histogram(r, "runtimeMs", { title: "Mine", show: false })), "Mine");
});

test("histogram: an empty result gets a 'no data' annotation; an unknown metric is an error", () => {
  const fig = plot.histogram(result([]), "runtimeMs", { show: false });
  assert.ok(hasNoDataNote(fig));
  assert.ok(hasNoDataNote(plot.histogram(result([]), "custom", { show: false })));
  assert.throws(() => plot.histogram(result(ROWS), "runtimeMS", { show: false }), ConfigError);
});

test("box: one box per result, named by experiment or by key, outliers shown", () => {
  const a = result([row({ runtimeMs: 1 }), row({ runtimeMs: 2 })], "fast");
  const b = result([row({ runtimeMs: 10 }), row({ runtimeMs: null })], "slow");
  const fig = plot.box([a, b], "runtimeMs", { show: false });
  assert.equal(fig.data.length, 2);
  assert.deepEqual(
    fig.data.map((d) => (d as { name: string }).name),
    ["fast", "slow"],
  );
  assert.deepEqual(trace(fig, 0).y, [1, 2]);
  assert.deepEqual(trace(fig, 1).y, [10]);
  assert.equal(trace(fig, 0).boxpoints, "outliers");
  assert.equal(axisTitle(fig, "yaxis"), "runtime (ms)");
  const keyed = plot.box({ "512 MB": a, "1024 MB": b }, "runtimeMs", { show: false });
  assert.deepEqual(
    keyed.data.map((d) => (d as { name: string }).name),
    ["512 MB", "1024 MB"],
  );
  const twice = plot.box([a, a], "runtimeMs", { show: false });
  assert.deepEqual(
    twice.data.map((d) => (d as { name: string }).name),
    ["fast", "fast #2"],
  );
  assert.notEqual(trace(fig, 0).marker, undefined);
});

test("box: a single result split by a column; empty input shows no data", () => {
  const r = result([row({ memoryMb: 256, runtimeMs: 4 }), row({ memoryMb: 128, runtimeMs: 8 })]);
  const fig = plot.box(r, "runtimeMs", { by: "memoryMb", show: false });
  assert.deepEqual(
    fig.data.map((d) => (d as { name: string }).name),
    ["128", "256"],
  );
  assert.deepEqual(trace(fig, 0).y, [8]);
  assert.equal(axisTitle(fig, "xaxis"), "memoryMb");
  assert.ok(hasNoDataNote(plot.box([], "runtimeMs", { show: false })));
  assert.ok(hasNoDataNote(plot.box([result([])], "runtimeMs", { show: false })));
});

test("cdf: step points rise by 1/n at each value, ties together, one line per result", () => {
  const a = result(
    [4, 1, 3, 3].map((v) => row({ runtimeMs: v })),
    "a",
  );
  const b = result([row({ runtimeMs: 2 })], "b");
  const fig = plot.cdf([a, b], "runtimeMs", { show: false });
  assert.equal(fig.data.length, 2);
  assert.deepEqual(trace(fig, 0).x, [1, 1, 3, 4]);
  assert.deepEqual(trace(fig, 0).y, [0, 0.25, 0.75, 1]);
  assert.deepEqual(trace(fig, 1).x, [2, 2]);
  assert.deepEqual(trace(fig, 1).y, [0, 1]);
  assert.equal((trace(fig, 0).line as { shape: string }).shape, "hv");
  assert.equal(axisTitle(fig, "xaxis"), "runtime (ms)");
  assert.match(String(axisTitle(fig, "yaxis")), /fraction/);
  assert.deepEqual(ecdf([]), { x: [], y: [] });
  assert.ok(hasNoDataNote(plot.cdf(result([]), "runtimeMs", { show: false })));
});

test("figures print as one line in a notebook and serialise without the inspect hook", () => {
  const fig = plot.histogram(result(ROWS, "hello"), "runtimeMs", { show: false });
  assert.match(inspect(fig), /^Figure ".*hello.*" \(1 trace\)$/);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(fig))), ["data", "layout", "config"]);
});
