import assert from "node:assert/strict";
import { test } from "node:test";
import { plot } from "../../../lib/plot";
import { axisTitle, hasNoDataNote, result, row, titleOf, trace } from "./helpers";

const R = result([
  row({ memoryMb: 128, runtimeMs: 10 }),
  row({ memoryMb: 128, runtimeMs: 20 }),
  row({ memoryMb: 128, runtimeMs: 60 }),
  row({ memoryMb: 256, runtimeMs: 5 }),
  row({ memoryMb: 256, runtimeMs: 7 }),
  row({ memoryMb: null, runtimeMs: 1 }),
]);

test("bar: one bar per key showing the chosen statistic", () => {
  const groups = R.by("memoryMb", "runtimeMs");
  const fig = plot.bar(groups, "p50", { metric: "runtimeMs", by: "memoryMb", show: false });
  assert.equal(fig.data.length, 1);
  assert.deepEqual(trace(fig, 0).x, ["128", "256", "(none)"]);
  assert.deepEqual(trace(fig, 0).y, [20, 6, 1]);
  assert.equal(trace(fig, 0).error_y, undefined);
  assert.equal(axisTitle(fig, "yaxis"), "median runtime (ms)");
  assert.equal(axisTitle(fig, "xaxis"), "memoryMb");
  assert.equal((fig.layout.xaxis as { type: string }).type, "category");
  assert.match(titleOf(fig), /Median of runtime by memoryMb/);
});

test("bar: the mean gets error bars to the ends of ciMean (none where n < 2)", () => {
  const groups = R.by("memoryMb", "runtimeMs");
  const fig = plot.bar(groups, "mean", { show: false });
  assert.deepEqual(trace(fig, 0).y, [30, 6, 1]);
  const bars = trace(fig, 0).error_y as { array: (number | null)[]; arrayminus: (number | null)[] };
  const [lo, hi] = groups[0].summary.ciMean as [number, number];
  assert.equal(bars.array[0], hi - 30);
  assert.equal(bars.arrayminus[0], 30 - lo);
  assert.equal(bars.array[2], null);
  assert.equal(axisTitle(fig, "yaxis"), "mean");
});

test("bar: r.by(column) without a metric gives one trace per default metric", () => {
  const fig = plot.bar(R.by("memoryMb"), "p90", { show: false });
  assert.equal(fig.data.length, 3);
  assert.deepEqual(
    fig.data.map((d) => (d as { name: string }).name),
    ["round trip", "runtime", "latency"],
  );
  assert.equal(axisTitle(fig, "yaxis"), "p90 (ms)");
  assert.equal(fig.layout.barmode, "group");
});

test("bar: n and cv have their own axis titles; bad stat throws; no groups shows no data", () => {
  assert.equal(
    axisTitle(plot.bar(R.by("memoryMb", "runtimeMs"), "n", { show: false }), "yaxis"),
    "invocations",
  );
  assert.throws(
    () => plot.bar(R.by("memoryMb", "runtimeMs"), "median" as never, { show: false }),
    /unknown stat/,
  );
  assert.ok(hasNoDataNote(plot.bar([], "p50", { show: false })));
  assert.ok(hasNoDataNote(plot.bar(result([]).by("memoryMb", "runtimeMs"), "p50", { show: false })));
});
