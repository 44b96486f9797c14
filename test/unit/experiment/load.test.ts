import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { ConfigError, FaasLabError } from "../../../lib/errors";
import { listExperiments, load } from "../../../lib/experiment/load";
import { openExperiment } from "../../../lib/experiment/store";
import { metaInput, row, workspace } from "./fixtures";

function run(
  ws: string,
  name: string,
  seqs: number[],
  status: "complete" | "aborted" | null = "complete",
  fn = "fn",
) {
  const writer = openExperiment({ workspace: ws, functionName: fn, name, meta: metaInput(name, fn) });
  for (const seq of seqs)
    writer.append(row({ experiment: name, seq, startedAt: 1000 + seq, endedAt: 1010 + seq }));
  if (status) writer.finish(status, null, status === "aborted" ? "aborted by its AbortSignal" : null);
  return writer;
}

test("load returns the latest run by default, a given run, or all runs with experimentRun", (t) => {
  const ws = workspace(t);
  run(ws, "exp", [0, 1, 2]);
  run(ws, "exp", [10, 11]);
  const latest = load("fn", "exp", { workspace: ws });
  assert.deepEqual(
    latest.rows.map((r) => r.seq),
    [10, 11],
  );
  assert.equal(latest.meta.run, 2);
  assert.equal(latest.complete, true);
  assert.deepEqual(latest.warnings, []);

  const first = load({ functionName: "fn" }, "exp", { workspace: ws, run: 1 });
  assert.deepEqual(
    first.rows.map((r) => r.seq),
    [0, 1, 2],
  );
  assert.equal(first.meta.run, 1);

  const all = load("fn", "exp", { workspace: ws, run: "all" });
  assert.deepEqual(
    all.rows.map((r) => [r.experimentRun, r.seq]),
    [
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 10],
      [2, 11],
    ],
  );
  assert.deepEqual(
    all.metas.map((m) => m.run),
    [1, 2],
  );
  assert.equal(all.columns.at(-1), "experimentRun");

  assert.throws(
    () => load("fn", "exp", { workspace: ws, run: 3 }),
    (error: unknown) =>
      error instanceof ConfigError && /no run 3/.test(error.message) && /1, 2/.test(error.message),
  );
});

test("load computes runtimeOverlap for journaled rows", async (t) => {
  const ws = workspace(t);
  const writer = run(ws, "exp", [0, 5], null); // [1000,1010] and [1005,1015]; not finished
  await new Promise((resolve) => setTimeout(resolve, 60)); // the journal's batch reaches the file
  const result = load("fn", "exp", { workspace: ws });
  assert.deepEqual(
    result.rows.map((r) => r.runtimeOverlap),
    [0.5, 0.5],
  );
  writer.finish("complete", null);
});

test("an aborted run loads with complete: false and its reason", (t) => {
  const ws = workspace(t);
  run(ws, "exp", [0, 1], "aborted");
  const result = load("fn", "exp", { workspace: ws });
  assert.equal(result.complete, false);
  assert.equal(result.meta.status, "aborted");
  assert.equal(result.meta.reason, "aborted by its AbortSignal");
  assert.equal(result.rows.length, 2);
});

test("a run still marked running whose writer is gone loads as aborted, complete: false", (t) => {
  const ws = workspace(t);
  const writer = run(ws, "exp", [0, 1], null);
  const meta = JSON.parse(fs.readFileSync(path.join(writer.dir, "meta.json"), "utf8")) as Record<
    string,
    unknown
  >;
  // live writer in this process: really running
  assert.equal(load("fn", "exp", { workspace: ws }).meta.status, "running");
  // a process that no longer exists
  fs.writeFileSync(path.join(writer.dir, "meta.json"), JSON.stringify({ ...meta, pid: 2 ** 22 + 12345 }));
  const result = load("fn", "exp", { workspace: ws });
  assert.equal(result.complete, false);
  assert.equal(result.meta.status, "aborted");
  assert.match(result.meta.reason ?? "", /ended before the experiment finished/);
  writer.finish("complete", null);
});

test("a truncated last line is dropped with a warning; the complete lines load", (t) => {
  const ws = workspace(t);
  const writer = run(ws, "exp", [0, 1, 2], null);
  const journal = path.join(writer.dir, "runs.jsonl");
  writer.finish("failed", null, "boom");
  fs.appendFileSync(journal, JSON.stringify(row({ seq: 3 })).slice(0, 57));
  const result = load("fn", "exp", { workspace: ws });
  assert.deepEqual(
    result.rows.map((r) => r.seq),
    [0, 1, 2],
  );
  assert.equal(result.complete, false);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0], /truncated last line/);
  // a complete last line that only lacks its newline is kept
  fs.writeFileSync(journal, JSON.stringify(row({ seq: 0 })) + "\n" + JSON.stringify(row({ seq: 1 })));
  assert.deepEqual(
    load("fn", "exp", { workspace: ws }).rows.map((r) => r.seq),
    [0, 1],
  );
  // a corrupt line in the middle is skipped and reported; the rest loads
  fs.writeFileSync(
    journal,
    [row({ seq: 0 }), "{oops", row({ seq: 2 })]
      .map((x) => (typeof x === "string" ? x : JSON.stringify(x)))
      .join("\n") + "\n",
  );
  const corrupt = load("fn", "exp", { workspace: ws });
  assert.deepEqual(
    corrupt.rows.map((r) => r.seq),
    [0, 2],
  );
  assert.match(corrupt.warnings[0], /skipped 1 unreadable line\(s\): 2/);
});

test("a run without a readable meta.json still loads its rows, as aborted", (t) => {
  const ws = workspace(t);
  const writer = run(ws, "exp", [0, 1]);
  fs.writeFileSync(path.join(writer.dir, "meta.json"), "");
  const result = load("fn", "exp", { workspace: ws });
  assert.equal(result.rows.length, 2);
  assert.equal(result.complete, false);
  assert.equal(result.meta.name, "exp");
  assert.equal(result.meta.functionName, "fn");
  assert.equal(result.meta.startedAt, new Date(1000).toISOString());
});

test("loading a missing experiment names the experiments that exist", (t) => {
  const ws = workspace(t);
  run(ws, "beta", [0]);
  run(ws, "alpha", [0]);
  assert.throws(
    () => load("fn", "gamma", { workspace: ws }),
    (error: unknown) => {
      assert.ok(error instanceof FaasLabError);
      assert.equal(error.code, "EXPERIMENT_NOT_FOUND");
      assert.match(error.message, /no experiment "gamma" for function "fn"/);
      assert.match(error.message, /alpha, beta/);
      return true;
    },
  );
  assert.throws(() => load("fn", "../fn", { workspace: ws }), /alpha, beta/);
  assert.throws(() => load("nobody", "alpha", { workspace: ws }), /functions with experiments here: fn/);
  const empty = workspace(t);
  assert.throws(() => load("fn", "alpha", { workspace: empty }), /has experiments yet/);
  assert.throws(() => load({} as { functionName: string }, "alpha", { workspace: ws }), ConfigError);
});

test("listExperiments lists names and runs with status, row counts and folders", async (t) => {
  const ws = workspace(t);
  const b1 = run(ws, "beta", [0, 1, 2]);
  const b2 = run(ws, "beta", [0], "aborted");
  const a1 = run(ws, "alpha", [0, 1], null);
  await new Promise((resolve) => setTimeout(resolve, 60)); // let the journal flush its batch
  fs.appendFileSync(path.join(a1.dir, "runs.jsonl"), '{"seq":'); // a truncated tail is not a row
  fs.mkdirSync(path.join(ws, "functions", "fn", "experiments", ".removing-x-1-2"), { recursive: true });
  const listed = listExperiments({ functionName: "fn" }, { workspace: ws });
  assert.deepEqual(
    listed.map((e) => ({ name: e.name, runs: e.runs.map((r) => [r.run, r.status, r.rows, r.dir]) })),
    [
      { name: "alpha", runs: [[1, "running", 2, a1.dir]] },
      {
        name: "beta",
        runs: [
          [1, "complete", 3, b1.dir],
          [2, "aborted", 1, b2.dir],
        ],
      },
    ],
  );
  assert.equal(typeof listed[1].runs[0].endedAt, "string");
  assert.equal(listed[0].runs[0].endedAt, null);
  assert.deepEqual(listExperiments("nobody", { workspace: ws }), []);
  a1.finish("complete", null);
});
