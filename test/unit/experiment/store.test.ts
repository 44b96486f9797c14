import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../../lib/errors";
import { RECORD_COLUMNS } from "../../../lib/experiment/row";
import {
  FLUSH_INTERVAL_MS,
  openExperiment,
  readJournal,
  validateExperimentName,
} from "../../../lib/experiment/store";
import { metaInput, parseCSV, row, workspace } from "./fixtures";

function experimentsDir(ws: string, fn = "fn"): string {
  return path.join(ws, "functions", fn, "experiments");
}

function open(ws: string, name = "exp", overwrite = false) {
  return openExperiment({ workspace: ws, functionName: "fn", name, overwrite, meta: metaInput(name) });
}

function readMeta(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")) as Record<string, unknown>;
}

test("run 1 lives in experiments/<name>/ with meta.json (running), runs.jsonl and, at finish, results.csv", (t) => {
  const ws = workspace(t);
  const writer = open(ws);
  assert.equal(writer.run, 1);
  assert.equal(writer.dir, path.join(experimentsDir(ws), "exp"));
  const started = readMeta(writer.dir);
  assert.equal(started.status, "running");
  assert.equal(started.run, 1);
  assert.equal(started.endedAt, null);
  assert.equal(started.pid, process.pid);
  assert.equal(fs.readFileSync(path.join(writer.dir, "runs.jsonl"), "utf8"), "");
  assert.equal(fs.existsSync(path.join(writer.dir, "results.csv")), false);

  writer.append(row({ seq: 0 }));
  writer.append(row({ seq: 1 }));
  const overview = {
    invocations: 2,
    warmups: 0,
    failed: 0,
    errorRate: 0,
    coldStarts: 0,
    distinctInstances: 1,
    throughputPerS: null,
    durationMs: 10,
    instanceReuse: null,
  };
  writer.finish("complete", overview);
  const ended = readMeta(writer.dir);
  assert.equal(ended.status, "complete");
  assert.equal(typeof ended.endedAt, "string");
  assert.deepEqual(ended.overview, overview);
  assert.equal(ended.reason, null);
  assert.deepEqual(
    readJournal(path.join(writer.dir, "runs.jsonl")).rows.map((r) => r.seq),
    [0, 1],
  );
  const csv = parseCSV(fs.readFileSync(path.join(writer.dir, "results.csv"), "utf8"));
  assert.equal(csv.length, 3);
  assert.deepEqual(csv[0], [...RECORD_COLUMNS]);
  // No temp files are left behind by the atomic rewrites.
  assert.deepEqual(fs.readdirSync(writer.dir).sort(), ["meta.json", "results.csv", "runs.jsonl"]);
});

test("re-using a name adds run-2/, run-3/ and never touches earlier runs", (t) => {
  const ws = workspace(t);
  const first = open(ws);
  first.append(row({ seq: 1 }));
  first.finish("complete", null);
  const firstJournal = fs.readFileSync(path.join(first.dir, "runs.jsonl"), "utf8");
  const firstCsv = fs.readFileSync(path.join(first.dir, "results.csv"), "utf8");

  const second = open(ws);
  assert.equal(second.run, 2);
  assert.equal(second.dir, path.join(experimentsDir(ws), "exp", "run-2"));
  second.append(row({ seq: 2 }));
  second.finish("complete", null);
  const third = open(ws);
  assert.equal(third.run, 3);
  assert.equal(third.dir, path.join(experimentsDir(ws), "exp", "run-3"));
  third.finish("aborted", null, "stopped");

  assert.equal(fs.readFileSync(path.join(first.dir, "runs.jsonl"), "utf8"), firstJournal);
  assert.equal(fs.readFileSync(path.join(first.dir, "results.csv"), "utf8"), firstCsv);
  assert.equal(readMeta(first.dir).status, "complete");
  assert.equal(readMeta(third.dir).reason, "stopped");
  assert.equal(readMeta(second.dir).run, 2);
});

test("two writers opened at once on one name get different runs", (t) => {
  const ws = workspace(t);
  const a = open(ws);
  const b = open(ws);
  const c = open(ws);
  assert.deepEqual([a.run, b.run, c.run], [1, 2, 3]);
  for (const w of [a, b, c]) w.finish("complete", null);
});

test("overwrite: true replaces the whole experiment folder (and only then is data deleted)", (t) => {
  const ws = workspace(t);
  for (let i = 0; i < 2; i++) {
    const w = open(ws);
    w.append(row({ seq: i }));
    w.finish("complete", null);
  }
  const other = open(ws, "other");
  other.append(row());
  other.finish("complete", null);

  const fresh = open(ws, "exp", true);
  assert.equal(fresh.run, 1);
  assert.equal(fs.existsSync(path.join(experimentsDir(ws), "exp", "run-2")), false);
  assert.equal(readJournal(path.join(fresh.dir, "runs.jsonl")).rows.length, 0);
  fresh.finish("complete", null);
  // The other experiment and no leftovers of the removal.
  assert.deepEqual(fs.readdirSync(experimentsDir(ws)).sort(), ["exp", "other"]);
  assert.equal(readJournal(path.join(other.dir, "runs.jsonl")).rows.length, 1);
  // overwrite of a name never used is just a first run
  assert.equal(open(ws, "brand_new", true).run, 1);
});

test("experiment names that would escape or collide are rejected with a ConfigError", (t) => {
  const ws = workspace(t);
  for (const bad of ["", " ", ".", "..", "a/b", "a\\b", "../x", "run-2", "run-x", ".hidden", "a\nb", "x:y"]) {
    assert.throws(() => validateExperimentName(bad), ConfigError, JSON.stringify(bad));
    assert.throws(
      () => open(ws, bad),
      (error: unknown) => error instanceof ConfigError && /experiment name/.test(error.message),
    );
  }
  for (const good of ["hello_experiment", "mem-512", "t test 1", "Überprüfung", "running", "run"]) {
    assert.doesNotThrow(() => validateExperimentName(good));
  }
  assert.equal(fs.existsSync(path.join(ws, "functions", "x")), false);
});

test("rows reach the journal within the flush interval, without finish()", async (t) => {
  const ws = workspace(t);
  const writer = open(ws);
  const journal = path.join(writer.dir, "runs.jsonl");
  writer.append(row({ seq: 0 })); // first append after a quiet period is written at once
  assert.equal(readJournal(journal).rows.length, 1);
  for (let i = 1; i <= 5; i++) writer.append(row({ seq: i })); // a burst is batched …
  await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 3));
  assert.equal(readJournal(journal).rows.length, 6); // … and written by the timer
  writer.finish("complete", null);
  assert.throws(() => writer.append(row()), /finished/);
  assert.throws(() => writer.finish("complete", null), /already finished/);
});

test("finish fills runtimeOverlap where the rows have none and writes it to results.csv", (t) => {
  const ws = workspace(t);
  const writer = open(ws);
  const a = row({ seq: 0, startedAt: 0, endedAt: 10 });
  const b = row({ seq: 1, startedAt: 5, endedAt: 15 });
  writer.append(a);
  writer.append(b);
  writer.finish("complete", null);
  assert.equal(a.runtimeOverlap, 0.5);
  assert.equal(b.runtimeOverlap, 0.5);
  const csv = parseCSV(fs.readFileSync(path.join(writer.dir, "results.csv"), "utf8"));
  const column = csv[0].indexOf("runtimeOverlap");
  assert.deepEqual([csv[1][column], csv[2][column]], ["0.5", "0.5"]);
});
