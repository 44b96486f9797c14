import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { computeOverview, instanceIdsOf, runtimeOverlap } from "../../../lib/experiment/overview";
import { openExperiment } from "../../../lib/experiment/store";
import { metaInput, row, workspace } from "./fixtures";

const ROWS = [
  row({ warmup: true, startedAt: 0, endedAt: 100, coldStart: true, instanceId: "w" }),
  row({ startedAt: 1000, endedAt: 1100, coldStart: true, instanceId: "a" }),
  row({ startedAt: 1050, endedAt: 1250, coldStart: false, instanceId: "a", failed: true }),
  row({ startedAt: 1100, endedAt: 1300, coldStart: true, instanceId: "b" }),
  row({ startedAt: 1200, endedAt: 2000, coldStart: null, instanceId: null }),
];

test("overview of hand-built rows: warmups apart, failures, cold starts, instances, throughput", () => {
  assert.deepEqual(computeOverview(ROWS), {
    invocations: 4, // warmup excluded
    warmups: 1,
    failed: 1,
    errorRate: 0.25,
    coldStarts: 2, // the warmup's cold start is not counted
    distinctInstances: 2, // a, b (null is no instance, w was a warmup)
    throughputPerS: 4, // 4 completed / (2000 − 1000) ms
    durationMs: 1000,
    instanceReuse: null, // no earlier instances given
  });
});

test("instanceReuse: share of this experiment's instances seen before", () => {
  assert.equal(computeOverview(ROWS, new Set(["a", "w", "z"])).instanceReuse, 0.5); // a of {a, b}
  assert.equal(computeOverview(ROWS, new Set()).instanceReuse, 0);
  assert.equal(computeOverview(ROWS, new Set(["a", "b"])).instanceReuse, 1);
  assert.equal(computeOverview([row({ instanceId: null })], new Set(["a"])).instanceReuse, null);
});

test("overview of no rows", () => {
  assert.deepEqual(computeOverview([]), {
    invocations: 0,
    warmups: 0,
    failed: 0,
    errorRate: 0,
    coldStarts: 0,
    distinctInstances: 0,
    throughputPerS: null,
    durationMs: null,
    instanceReuse: null,
  });
});

test("runtimeOverlap by hand: summed overlap with the others / own duration (min 1 ms)", () => {
  const rows = [
    row({ startedAt: 0, endedAt: 10 }), // A: B [5,10] 5 + C [5,8] 3 = 8 → 0.8
    row({ startedAt: 5, endedAt: 15 }), // B: A 5 + C 3 = 8 → 0.8
    row({ startedAt: 5, endedAt: 8 }), //  C: A 3 + B 3 = 6 over 3 ms → 2
    row({ startedAt: 20, endedAt: 20 }), // D: zero length → 0 / 1
    row({ startedAt: 30, endedAt: 40 }), // E: F covers it fully → 1
    row({ startedAt: 30, endedAt: 40 }), // F: same → 1
    row({ startedAt: 30, endedAt: null }), // no end: null
  ];
  assert.deepEqual(runtimeOverlap(rows), [0.8, 0.8, 2, 0, 1, 1, null]);
  assert.deepEqual(runtimeOverlap([]), []);
  assert.deepEqual(runtimeOverlap([row({ startedAt: 1e12, endedAt: 1e12 + 5 })]), [0]);
});

test("runtimeOverlap equals the O(n²) definition on random epoch-ms rows", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = Array.from({ length: 400 }, () => {
    const start = 1.7e12 + Math.round(random() * 5000 * 1000) / 1000;
    return row({ startedAt: start, endedAt: start + Math.round(random() * 300 * 1000) / 1000 });
  });
  const fast = runtimeOverlap(rows);
  rows.forEach((a, i) => {
    let sum = 0;
    rows.forEach((b, j) => {
      if (i === j) return;
      const overlap =
        Math.min(a.endedAt as number, b.endedAt as number) -
        Math.max(a.startedAt as number, b.startedAt as number);
      if (overlap > 0) sum += overlap;
    });
    const expected = sum / Math.max((a.endedAt as number) - (a.startedAt as number), 1);
    assert.ok(Math.abs((fast[i] as number) - expected) < 1e-6, `row ${i}: ${fast[i]} vs ${expected}`);
  });
});

test("instanceIdsOf reads every other run's journal of the function, escapes included", (t) => {
  const ws = workspace(t);
  const write = (name: string, ids: (string | null)[]) => {
    const writer = openExperiment({ workspace: ws, functionName: "fn", name, meta: metaInput(name) });
    ids.forEach((instanceId, seq) => writer.append(row({ seq, instanceId, "attr.instanceId": "not-me" })));
    writer.finish("complete", null);
    return writer.dir;
  };
  write("one", ["a", "b", null]);
  write("one", ['q"uote\\d', "ü-✓"]); // run-2 of the same name
  const current = write("two", ["c"]);
  // another function's experiments do not count
  const otherFn = openExperiment({
    workspace: ws,
    functionName: "other",
    name: "one",
    meta: metaInput("one", "other"),
  });
  otherFn.append(row({ instanceId: "elsewhere" }));
  otherFn.finish("complete", null);
  // a killed run's truncated last line is skipped
  fs.appendFileSync(path.join(current, "runs.jsonl"), '{"experiment":"two","instanceId":"trunc');

  assert.deepEqual([...instanceIdsOf(ws, "fn", current)].sort(), ["a", "b", 'q"uote\\d', "ü-✓"].sort());
  assert.deepEqual([...instanceIdsOf(ws, "fn")].sort(), ["a", "b", "c", 'q"uote\\d', "ü-✓"].sort());
  assert.deepEqual([...instanceIdsOf(ws, "nobody")], []);
});

test("instanceIdsOf reads journals larger than its read buffer, lines across chunk edges included", (t) => {
  const ws = workspace(t);
  const dir = path.join(ws, "functions", "fn", "experiments", "big");
  fs.mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    lines.push(
      JSON.stringify(row({ seq: i, instanceId: `big-${i % 7}`, errorMessage: "x".repeat(1000 + (i % 13)) })),
    );
    if (i === 1500)
      lines.push(JSON.stringify(row({ instanceId: "huge", errorMessage: "y".repeat(2_500_000) })));
  }
  fs.writeFileSync(path.join(dir, "runs.jsonl"), lines.join("\n") + "\n");
  const expected = ["big-0", "big-1", "big-2", "big-3", "big-4", "big-5", "big-6", "huge"];
  assert.deepEqual([...instanceIdsOf(ws, "fn")].sort(), expected);
  assert.deepEqual([...instanceIdsOf(ws, "fn")].sort(), expected, "the cached answer");
  fs.appendFileSync(path.join(dir, "runs.jsonl"), JSON.stringify(row({ instanceId: "later" })) + "\n");
  assert.deepEqual(
    [...instanceIdsOf(ws, "fn")].sort(),
    [...expected, "later"].sort(),
    "a grown journal is re-read",
  );
});
