import assert from "node:assert/strict";
import { test } from "node:test";
import { plot } from "../../../lib/plot";
import { steps } from "../../../lib/plot/concurrency";
import { shortIds } from "../../../lib/plot/timeline";
import { axisTitle, hasNoDataNote, result, row, titleOf, trace } from "./helpers";

const A = "aaaaaaaa-1111-4111-8111-111111111111";
const B = "bbbbbbbb-2222-4222-8222-222222222222";
// Two instances; B is first used at 1005, A at 1000. One failed call, one cold start on each.
const ROWS = [
  row({ seq: 0, instanceId: A, startedAt: 1000, endedAt: 1040, coldStart: true }),
  row({ seq: 1, instanceId: B, startedAt: 1005, endedAt: 1050, coldStart: true }),
  row({ seq: 2, instanceId: A, startedAt: 1040, endedAt: 1060, coldStart: false }),
  row({ seq: 3, instanceId: B, startedAt: 1055, endedAt: 1070, coldStart: false, failed: true }),
  row({ seq: 4, instanceId: A, startedAt: 1065, endedAt: 1075, coldStart: false }),
];

type Bars = { name: string; base: number[]; x: number[]; y: number[] };

test("timeline: one lane per instance in order of first use, one bar per invocation", () => {
  const fig = plot.timeline(result(ROWS, "reuse"), { show: false });
  const bars = fig.data as unknown as Bars[];
  assert.deepEqual(
    bars.map((b) => b.name),
    ["warm", "cold start", "failed"],
  );
  assert.equal(
    bars.reduce((n, b) => n + b.x.length, 0),
    ROWS.length,
  );
  const lanes = new Set(bars.flatMap((b) => b.y));
  assert.equal(lanes.size, new Set(ROWS.map((r) => r.instanceId)).size);
  const yaxis = fig.layout.yaxis as { tickvals: number[]; ticktext: string[] };
  assert.deepEqual(yaxis.ticktext, ["aaaaaaaa", "bbbbbbbb"]);
  assert.deepEqual(yaxis.tickvals, [0, 1]);
  // every bar: base = start − first start, length = endedAt − startedAt, lane = its instance's
  const t0 = Math.min(...ROWS.map((r) => r.startedAt as number));
  const expected = ROWS.map((r) => [
    (r.startedAt as number) - t0,
    (r.endedAt as number) - (r.startedAt as number),
    r.instanceId === A ? 0 : 1,
  ]);
  const drawn = bars.flatMap((b) => b.x.map((x, i) => [b.base[i], x, b.y[i]]));
  assert.deepEqual(
    drawn.sort((p, q) => p[0] - q[0]),
    expected.sort((p, q) => p[0] - q[0]),
  );
  assert.deepEqual(bars[1].base, [0, 5]); // the cold starts
  assert.deepEqual(bars[2].x, [15]); // the failed call
  assert.equal(trace(fig, 0).orientation, "h");
  assert.equal(fig.layout.barmode, "overlay");
  assert.equal(axisTitle(fig, "xaxis"), "time since first invocation (ms)");
  assert.match(titleOf(fig), /reuse/);
  const colors = bars.map((_, i) => (trace(fig, i).marker as { color: string }).color);
  assert.equal(new Set(colors).size, 3);
});

test("timeline: rows without timestamps are left out and counted in the title; no instance → own lane", () => {
  const rows = [
    row({ instanceId: null, startedAt: 1000, endedAt: 1010 }),
    row({ instanceId: A, startedAt: null, endedAt: 1010 }),
    row({ instanceId: A, startedAt: 1020, endedAt: 1030 }),
  ];
  const fig = plot.timeline(result(rows), { show: false });
  assert.equal(
    (fig.data as unknown as Bars[]).reduce((n, b) => n + b.x.length, 0),
    2,
  );
  assert.match(titleOf(fig), /1 without timestamps/);
  assert.deepEqual((fig.layout.yaxis as { ticktext: string[] }).ticktext, ["(unknown)", "aaaaaaaa"]);
});

test("timeline: warmups only when asked; empty result shows no data", () => {
  const rows = [...ROWS, row({ warmup: true, instanceId: "w", startedAt: 900, endedAt: 990 })];
  const without = plot.timeline(result(rows), { show: false });
  assert.equal((without.layout.yaxis as { ticktext: string[] }).ticktext.length, 2);
  const withW = plot.timeline(result(rows), { includeWarmups: true, show: false });
  assert.equal((withW.layout.yaxis as { ticktext: string[] }).ticktext[0], "w");
  const empty = plot.timeline(result([]), { show: false });
  assert.equal(empty.data.length, 0);
  assert.ok(hasNoDataNote(empty));
});

test("shortIds: 8 characters unless that collides; AWS log streams by their tail", () => {
  assert.deepEqual(shortIds(["abcdefgh11", "abcdefgh22"]), ["abcdefgh11", "abcdefgh22"]);
  assert.deepEqual(shortIds(["2025/01/01/[$LATEST]0123456789abcdef"]), ["01234567"]);
});

/** The count of [start, end) intervals open at time t, computed directly. */
function openAt(intervals: [number, number][], t: number): number {
  return intervals.filter(([s, e]) => s <= t && t < e).length;
}

/** The step function's value at t: the y of the last change at or before t. */
function valueAt(s: { x: number[]; y: number[] }, t: number): number {
  let v = 0;
  for (let i = 0; i < s.x.length && s.x[i] <= t; i++) v = s.y[i];
  return v;
}

test("concurrency: in-flight requests and live instances at known times", () => {
  const fig = plot.concurrency(result(ROWS, "reuse"), { show: false });
  assert.equal(fig.data.length, 2);
  const [requests, instances] = fig.data as unknown as { x: number[]; y: number[]; name: string }[];
  const calls = ROWS.map(
    (r) => [(r.startedAt as number) - 1000, (r.endedAt as number) - 1000] as [number, number],
  );
  // A lives 0–75, B 5–70 (first start to last end)
  const lives: [number, number][] = [
    [0, 75],
    [5, 70],
  ];
  for (const t of [0, 4, 5, 39, 40, 45, 50, 54, 55, 60, 64, 65, 70, 74, 75, 80]) {
    assert.equal(valueAt(requests, t), openAt(calls, t), `requests at ${t}`);
    assert.equal(valueAt(instances, t), openAt(lives, t), `instances at ${t}`);
  }
  assert.match(requests.name, /in-flight requests \(peak 2\)/);
  assert.match(instances.name, /live instances \(peak 2\)/);
  assert.equal((trace(fig, 0).line as { shape: string }).shape, "hv");
  assert.equal(axisTitle(fig, "xaxis"), "time since first invocation (ms)");
  assert.ok(hasNoDataNote(plot.concurrency(result([]), { show: false })));
});

test("steps: an end and a start at the same time do not count as overlap", () => {
  assert.deepEqual(
    steps([
      [0, 10],
      [10, 20],
    ]),
    { x: [0, 10, 20], y: [1, 1, 0] },
  );
  assert.deepEqual(steps([]), { x: [], y: [] });
});
