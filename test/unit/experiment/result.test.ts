import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { inspect } from "node:util";
import { ConfigError } from "../../../lib/errors";
import type { ExperimentMeta } from "../../../lib/experiment/meta";
import { ExperimentResult } from "../../../lib/experiment/result";
import { RECORD_COLUMNS } from "../../../lib/experiment/row";
import { metaInput, parseCSV, row, workspace } from "./fixtures";

function meta(overrides: Partial<ExperimentMeta> = {}): ExperimentMeta {
  return {
    ...metaInput("exp"),
    run: 1,
    status: "complete",
    endedAt: new Date().toISOString(),
    reason: null,
    overview: null,
    ...overrides,
  };
}

// 1 warmup + 6 measured rows, one failed; memory 128/256; cold starts true/false/null.
const ROWS = [
  row({ seq: 0, warmup: true, runtimeMs: 1000, coldStart: true, instanceId: "w" }),
  row({
    seq: 1,
    memoryMb: 256,
    runtimeMs: 10,
    roundTripMs: 12,
    latencyMs: 2,
    coldStart: true,
    instanceId: "a",
    note: "x",
  }),
  row({
    seq: 2,
    memoryMb: 128,
    runtimeMs: 20,
    roundTripMs: 25,
    latencyMs: 5,
    coldStart: false,
    instanceId: "a",
  }),
  row({
    seq: 3,
    memoryMb: 128,
    runtimeMs: 30,
    roundTripMs: 33,
    latencyMs: 3,
    coldStart: false,
    instanceId: "b",
  }),
  row({
    seq: 4,
    memoryMb: 256,
    runtimeMs: 40,
    roundTripMs: 44,
    latencyMs: 4,
    coldStart: null,
    instanceId: "b",
  }),
  row({
    seq: 5,
    memoryMb: 128,
    runtimeMs: null,
    roundTripMs: 50,
    latencyMs: null,
    coldStart: false,
    instanceId: "b",
  }),
  row({
    seq: 6,
    memoryMb: 256,
    runtimeMs: 5,
    roundTripMs: 3000,
    latencyMs: 2995,
    coldStart: false,
    failed: true,
    errorType: "Error",
    instanceId: null,
  }),
];

function result(): ExperimentResult {
  return new ExperimentResult(
    ROWS.map((r) => ({ ...r })),
    [
      meta({
        overview: {
          invocations: 6,
          warmups: 1,
          failed: 1,
          errorRate: 1 / 6,
          coldStarts: 1,
          distinctInstances: 2,
          throughputPerS: 1,
          durationMs: 10,
          instanceReuse: 0.5,
        },
      }),
    ],
  );
}

test("rows exclude warmups, allRows keep them; complete follows the metas", () => {
  const r = result();
  assert.deepEqual(
    r.rows.map((x) => x.seq),
    [1, 2, 3, 4, 5, 6],
  );
  assert.equal(r.allRows.length, 7);
  assert.equal(r.complete, true);
  assert.equal(new ExperimentResult([], [meta(), meta({ run: 2, status: "aborted" })]).complete, false);
  assert.equal(new ExperimentResult([], [meta(), meta({ run: 2, status: "aborted" })]).meta.run, 2);
  assert.throws(() => new ExperimentResult([], []), /meta of at least one run/);
});

test("column(): numbers of successful invocations, nulls dropped, booleans as 1/0", () => {
  const r = result();
  assert.deepEqual(r.column("runtimeMs"), [10, 20, 30, 40]); // seq 5 null dropped, seq 6 failed
  assert.deepEqual(r.column("runtimeMs", { includeFailed: true }), [10, 20, 30, 40, 5]);
  assert.deepEqual(r.column("coldStart"), [1, 0, 0, 0]); // null dropped
  assert.throws(
    () => r.column("instanceId"),
    (e: unknown) => e instanceof ConfigError && /holds text/.test(e.message),
  );
  assert.throws(
    () => r.column("runtimMs"),
    (e: unknown) =>
      e instanceof ConfigError && /no column "runtimMs"/.test(e.message) && /runtimeMs/.test(e.message),
  );
});

test("summary(): the three default metrics, or one metric with stats options", () => {
  const r = result();
  const all = r.summary();
  assert.deepEqual(Object.keys(all), ["roundTripMs", "runtimeMs", "latencyMs"]);
  assert.equal(all.roundTripMs.n, 5);
  assert.equal(all.roundTripMs.mean, (12 + 25 + 33 + 44 + 50) / 5);
  assert.equal(all.runtimeMs.n, 4);
  assert.equal(all.runtimeMs.mean, 25);
  assert.equal(all.latencyMs.max, 5);
  const one = r.summary("runtimeMs", { trim: 0.25 });
  assert.equal(one.trimmedMean, 25); // (20 + 30) / 2
  assert.equal(one.p50, 25);
  assert.equal(r.summary("runtimeMs", { includeFailed: true }).n, 5);
});

test('by("coldStart") groups false, true, then null; by("memoryMb", metric) sorts numerically', () => {
  const r = result();
  const cold = r.by("coldStart");
  assert.deepEqual(
    cold.map((g) => g.key),
    [false, true, null],
  );
  assert.deepEqual(
    cold.map((g) => g.summary.runtimeMs.n),
    [2, 1, 1],
  ); // false: 20, 30 (seq 5 null, 6 failed)
  assert.equal(cold[0].summary.runtimeMs.mean, 25);
  assert.equal(cold[0].summary.roundTripMs.n, 3);
  const memory = r.by("memoryMb", "roundTripMs");
  assert.deepEqual(
    memory.map((g) => [g.key, g.summary.n, g.summary.mean]),
    [
      [128, 3, (25 + 33 + 50) / 3],
      [256, 2, (12 + 44) / 2],
    ],
  );
  assert.deepEqual(
    r.by("memoryMb", "roundTripMs", { includeFailed: true }).map((g) => g.summary.n),
    [3, 3],
  );
  assert.throws(() => r.by("nope"), /no column "nope"/);
});

test("df: one row per measured invocation, RECORD_COLUMNS then extra columns", () => {
  const r = result();
  const df = r.df;
  assert.deepEqual(df.shape, [6, RECORD_COLUMNS.length + 1]);
  assert.deepEqual(df.columns, [...RECORD_COLUMNS, "note"]);
  assert.deepEqual(df.column("seq").values, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(df.column("note").values, ["x", null, null, null, null, null]);
  assert.equal(r.df, df, "built once");
  const empty = new ExperimentResult([], [meta()]).df;
  assert.deepEqual(empty.shape, [0, RECORD_COLUMNS.length]);
});

test("overview() recomputes from rows and keeps the stored instanceReuse", () => {
  const o = result().overview();
  assert.equal(o.invocations, 6);
  assert.equal(o.warmups, 1);
  assert.equal(o.failed, 1);
  assert.equal(o.coldStarts, 1);
  assert.equal(o.distinctInstances, 2);
  assert.equal(o.instanceReuse, 0.5);
});

test("toCSV(path) writes the measured rows; toJSON carries metas and all rows", (t) => {
  const file = path.join(workspace(t), "out.csv");
  const r = result();
  const text = r.toCSV(file);
  assert.equal(fs.readFileSync(file, "utf8"), text);
  const records = parseCSV(text);
  assert.equal(records.length, 7);
  assert.equal(records[0].at(-1), "note");
  const json = JSON.parse(JSON.stringify(r)) as { rows: unknown[]; complete: boolean; metas: unknown[] };
  assert.equal(json.rows.length, 7);
  assert.equal(json.complete, true);
  assert.equal(json.metas.length, 1);
});

test("util.inspect is compact: name, rows, complete, overview — not the rows", () => {
  const text = inspect(result());
  assert.match(text, /^ExperimentResult \{/);
  assert.match(text, /name: 'exp'/);
  assert.match(text, /rows: 6/);
  assert.match(text, /complete: true/);
  assert.match(text, /invocations: 6/);
  assert.doesNotMatch(text, /roundTripMs/);
  assert.ok(text.split("\n").length < 25, text);
  const aborted = inspect(new ExperimentResult([], [meta({ status: "aborted", reason: "killed" })]));
  assert.match(aborted, /complete: false/);
  assert.match(aborted, /reason: 'killed'/);
});
