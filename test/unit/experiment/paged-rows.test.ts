// Rows past the in-memory budget are paged from runs.jsonl (item 3 of the reliability issue): what a
// run, load() and ExperimentResult give must be the same as with every row in memory.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { listExperiments, load } from "../../../lib/experiment/load";
import { concatRows } from "../../../lib/experiment/paged-rows";
import { ExperimentResult } from "../../../lib/experiment/result";
import type { Row } from "../../../lib/experiment/row";
import { openExperiment } from "../../../lib/experiment/store";
import { rowBudget } from "../../../lib/experiment/store/budget";
import { metaInput, row, workspace } from "./fixtures";

/** Pages of 37 rows, a budget of a few rows: a 1,000-row run is paged. */
const PAGED = { inMemoryChars: 8_000, pageRows: 37, cachedPages: 4 };

function withBudget<T>(budget: Partial<typeof rowBudget>, body: () => T): T {
  const saved = { ...rowBudget };
  Object.assign(rowBudget, budget);
  try {
    return body();
  } finally {
    Object.assign(rowBudget, saved);
  }
}

/** 1,000 varied rows: interleaved warmups, failures, missing times, text that needs quoting, a late column. */
function sampleRows(): Row[] {
  let seed = 3;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 1000 }, (_, i) => {
    const start = 1.7e12 + Math.round(random() * 2e6) / 1000;
    const values: Row = {
      seq: i,
      thread: i % 8,
      warmup: i % 7 === 3,
      failed: i % 11 === 0,
      coldStart: i % 13 === 0 ? null : i % 5 === 0,
      startedAt: i % 97 === 5 ? null : start,
      endedAt: start + Math.round(random() * 40_000) / 1000,
      runtimeMs: i % 17 === 0 ? null : Math.round(random() * 1e4) / 1e3,
      instanceId: `i-${i % 9}`,
      errorMessage: i % 11 === 0 ? `bad, "quoted"\nline ${i} — ü` : null,
    };
    if (i >= 500) values.late = i % 2 === 0 ? "even" : 42;
    return row(values);
  });
}

function writeRun(ws: string, name: string, rows: Row[]): Row[] {
  const writer = openExperiment({ workspace: ws, functionName: "fn", name, meta: metaInput(name) });
  for (const r of rows) writer.append(r);
  const all = writer.finish("complete", null);
  assert.equal(writer.rowCount, rows.length);
  return all;
}

const json = (rows: Iterable<Row>) => JSON.stringify([...rows]);

function assertSameResult(paged: ExperimentResult, memory: ExperimentResult): void {
  assert.equal(paged.allRows.length, memory.allRows.length);
  assert.equal(paged.rows.length, memory.rows.length);
  assert.equal(json(paged.allRows), json(memory.allRows));
  assert.equal(json(paged.rows), json(memory.rows));
  for (const i of [0, 1, 36, 37, 100, memory.rows.length - 1])
    assert.deepEqual(paged.rows[i], memory.rows[i], `rows[${i}]`);
  assert.equal(paged.rows[memory.rows.length], undefined);
  assert.deepEqual(paged.columns, memory.columns);
  assert.deepEqual(paged.summary(), memory.summary());
  assert.deepEqual(
    paged.summary("runtimeMs", { includeFailed: true }),
    memory.summary("runtimeMs", { includeFailed: true }),
  );
  assert.deepEqual(paged.by("coldStart"), memory.by("coldStart"));
  if (memory.columns.includes("late"))
    assert.deepEqual(paged.by("late", "runtimeMs"), memory.by("late", "runtimeMs"));
  assert.deepEqual(paged.column("coldStart"), memory.column("coldStart"));
  assert.deepEqual(paged.overview(), memory.overview());
  assert.equal(paged.toCSV(), memory.toCSV());
  assert.deepEqual(paged.df.shape, memory.df.shape);
  assert.equal(JSON.stringify(paged), JSON.stringify(memory));
}

test("a run past the budget writes the same results.csv and returns the same rows, paged", (t) => {
  const ws = workspace(t);
  const memoryRows = writeRun(ws, "memory", sampleRows());
  const pagedRows = withBudget(PAGED, () => writeRun(ws, "paged", sampleRows()));
  const csv = (name: string) =>
    fs.readFileSync(path.join(ws, "functions", "fn", "experiments", name, "results.csv"), "utf8");
  assert.equal(csv("paged"), csv("memory"));
  assert.ok(Array.isArray(pagedRows));
  assert.equal(pagedRows.length, 1000);
  assert.equal(json(pagedRows), json(memoryRows), "runtimeOverlap filled the same way");
  assert.ok(memoryRows.every((r) => r.runtimeOverlap !== undefined));
  assert.deepEqual(
    pagedRows.filter((r) => r.failed === true).map((r) => r.seq),
    memoryRows.filter((r) => r.failed === true).map((r) => r.seq),
  );
  assert.deepEqual(pagedRows.slice(40, 43), memoryRows.slice(40, 43));
  const meta = JSON.parse(
    fs.readFileSync(path.join(ws, "functions", "fn", "experiments", "paged", "meta.json"), "utf8"),
  ) as import("../../../lib/experiment/meta").ExperimentMeta;
  assertSameResult(new ExperimentResult(pagedRows, [meta]), new ExperimentResult(memoryRows, [meta]));
});

test("paged rows are read-only and only the pages in use stay in memory", (t) => {
  const ws = workspace(t);
  const rows = withBudget(PAGED, () => writeRun(ws, "paged", sampleRows()));
  assert.throws(() => rows.push(row()), /read-only/);
  assert.throws(() => {
    rows[0] = row();
  }, /read-only/);
  assert.throws(() => [...rows].sort() && rows.sort(), /read-only/);
  assert.throws(() => {
    (rows[0] as Row).seq = 7;
  }, TypeError);
  const first = rows[0];
  assert.equal(rows[0], first, "a cached page gives the same objects");
  for (let page = 1; page <= rowBudget.cachedPages; page++) assert.ok(rows[page * PAGED.pageRows]);
  assert.notEqual(rows[0], first, "the first page was dropped and read again");
  assert.deepEqual(rows[0], first);
});

test("load() pages a journal past the budget: same rows, columns, statistics and warnings", (t) => {
  const ws = workspace(t);
  writeRun(ws, "exp", sampleRows());
  writeRun(ws, "exp", sampleRows().slice(0, 300));
  // Damage run 2 the way a crash and a bad edit would: a corrupt line, then a truncated last line.
  const journal = path.join(ws, "functions", "fn", "experiments", "exp", "run-2", "runs.jsonl");
  fs.appendFileSync(journal, "not json\n" + JSON.stringify(row({ seq: 999 })) + "\n" + '{"seq":10');
  for (const run of [1, 2, "all"] as const) {
    const memory = load("fn", "exp", { workspace: ws, run });
    const paged = withBudget({ ...PAGED, inMemoryChars: 1 }, () => load("fn", "exp", { workspace: ws, run }));
    assert.ok(paged.rows.length > 0);
    assert.deepEqual(paged.warnings, memory.warnings, `run ${run}`);
    assert.deepEqual(paged.metas, memory.metas);
    assertSameResult(paged, memory);
  }
});

test("results concatenate with paged ones (a sweep), and a paged result outlives an overwrite", (t) => {
  const ws = workspace(t);
  const memoryRows = writeRun(ws, "memory", sampleRows().slice(0, 100));
  const pagedRows = withBudget(PAGED, () => writeRun(ws, "paged", sampleRows()));
  const both = concatRows([memoryRows, pagedRows]);
  assert.equal(json(both), json([...memoryRows, ...pagedRows]));
  const meta = load("fn", "paged", { workspace: ws }).meta;
  assertSameResult(
    new ExperimentResult(both, [meta]),
    new ExperimentResult([...memoryRows, ...pagedRows], [meta]),
  );

  const before = json(pagedRows);
  const writer = openExperiment({
    workspace: ws,
    functionName: "fn",
    name: "paged",
    overwrite: true,
    meta: metaInput("paged"),
  });
  writer.append(row({ seq: 0 }));
  writer.finish("complete", null);
  assert.equal(load("fn", "paged", { workspace: ws }).rows.length, 1, "the experiment was replaced");
  assert.equal(json(pagedRows), before, "the earlier result still reads its (deleted) journal");
});

test("listExperiments counts the rows of a journal larger than its read buffer, truncated tail excluded", (t) => {
  const ws = workspace(t);
  const rows = Array.from({ length: 3000 }, (_, i) => row({ seq: i, errorMessage: "x".repeat(i % 500) }));
  writeRun(ws, "big", rows);
  const journal = path.join(ws, "functions", "fn", "experiments", "big", "runs.jsonl");
  assert.ok(fs.statSync(journal).size > 1 << 20, "more than one 1 MiB read");
  fs.appendFileSync(journal, "\n" + JSON.stringify(row({ seq: 3000 })) + "\n" + '{"seq":30');
  const [listed] = listExperiments("fn", { workspace: ws });
  assert.equal(listed.runs[0].rows, 3001);
  assert.equal(load("fn", "big", { workspace: ws }).allRows.length, 3001);
});
