import assert from "node:assert/strict";
import { test } from "node:test";
import { plot } from "../../../lib/plot";
import { axisTitle, hasNoDataNote, result, row, titleOf, trace } from "./helpers";

/** numpy-style linear-interpolation percentile, written out independently of lib/stats. */
function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const i = ((s.length - 1) * p) / 100;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo] + (s[hi] - s[lo]) * (i - lo);
}

const RUNTIMES: Record<number, number[]> = {
  128: [40, 44, 48, 60],
  256: [20, 22, 26],
  512: [11, 12, 13, 30],
};
const COST: Record<number, number> = { 128: 3e-7, 256: 2e-7, 512: 2.5e-7 };

function sweepRows(withCost: boolean) {
  return Object.entries(RUNTIMES).flatMap(([mb, values]) =>
    values.map((runtimeMs) =>
      row({
        memoryMb: Number(mb),
        runtimeMs,
        costUsd: withCost ? COST[Number(mb)] : null,
        experiment: `s-${mb}MB`,
      }),
    ),
  );
}

type Line = { x: number[]; y: (number | null)[]; name: string; yaxis?: string };

test("sweep: medians per memory with p25–p75 bars, mean cost on the right axis, cheapest marked", () => {
  const rows = [...sweepRows(true), row({ memoryMb: 256, runtimeMs: 999, failed: true })];
  const fig = plot.sweep(result(rows, "s"), "runtimeMs", { show: false });
  assert.equal(fig.data.length, 3);
  const [median, cost, best] = fig.data as unknown as Line[];
  const mems = [128, 256, 512];
  assert.deepEqual(median.x, mems);
  assert.deepEqual(
    median.y,
    mems.map((m) => pct(RUNTIMES[m], 50)),
  );
  const errors = trace(fig, 0).error_y as { array: number[]; arrayminus: number[] };
  mems.forEach((m, i) => {
    assert.ok(Math.abs(errors.array[i] - (pct(RUNTIMES[m], 75) - pct(RUNTIMES[m], 50))) < 1e-9);
    assert.ok(Math.abs(errors.arrayminus[i] - (pct(RUNTIMES[m], 50) - pct(RUNTIMES[m], 25))) < 1e-9);
  });
  assert.equal(cost.yaxis, "y2");
  cost.y.forEach((c, i) => assert.ok(Math.abs((c as number) - COST[mems[i]]) < 1e-18));
  assert.deepEqual(best.x, [256]);
  assert.equal(best.yaxis, "y2");
  assert.match(best.name, /best: 256 MB \(lowest cost\)/);
  assert.equal(axisTitle(fig, "xaxis"), "memory (MB)");
  assert.equal(axisTitle(fig, "yaxis"), "median runtime (ms)");
  assert.equal(axisTitle(fig, "yaxis2"), "mean cost per invocation (USD)");
  assert.equal((fig.layout.yaxis2 as { overlaying: string; side: string }).side, "right");
  assert.doesNotMatch(titleOf(fig), /no cost/);
});

test("sweep: without costUsd the cost trace is left out, the title says so, the fastest is marked", () => {
  const fig = plot.sweep(result(sweepRows(false), "s"), undefined, { show: false });
  assert.equal(fig.data.length, 2);
  const [, best] = fig.data as unknown as Line[];
  assert.deepEqual(best.x, [512]);
  assert.deepEqual(best.y, [pct(RUNTIMES[512], 50)]);
  assert.match(best.name, /lowest median runtime/);
  assert.match(titleOf(fig), /no cost data/);
  assert.equal(fig.layout.yaxis2, undefined);
});

test("sweep: rows without memory or metric are skipped; empty sweep shows no data", () => {
  const rows = [
    row({ memoryMb: null, runtimeMs: 1 }),
    row({ memoryMb: 128, runtimeMs: null }),
    row({ memoryMb: 128, runtimeMs: 5 }),
  ];
  const fig = plot.sweep(result(rows), "runtimeMs", { show: false });
  assert.deepEqual((fig.data[0] as unknown as Line).x, [128]);
  assert.deepEqual((fig.data[0] as unknown as Line).y, [5]);
  const empty = plot.sweep(result([]), "runtimeMs", { show: false });
  assert.ok(hasNoDataNote(empty));
  assert.equal(empty.data.length, 1);
});
