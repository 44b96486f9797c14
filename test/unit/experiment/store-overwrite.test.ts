// overwrite: true never mixes two runs: a run still being written is not replaced, and a run whose
// folder was replaced anyway writes nothing into the new folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { FaasLabError } from "../../../lib/errors";
import { openExperiment, readJournal } from "../../../lib/experiment/store";
import { metaInput, row, workspace } from "./fixtures";

function open(ws: string, overwrite = false, meta = metaInput("same")) {
  return openExperiment({ workspace: ws, functionName: "fn", name: "same", overwrite, meta });
}

function readMeta(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, "meta.json"), "utf8")) as Record<string, unknown>;
}

function isRunningRefusal(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FaasLabError, String(error));
    assert.equal(error.code, "EXPERIMENT_RUNNING");
    assert.match(error.message, pattern);
    assert.match(error.hint ?? "", /wait until it ends/);
    return true;
  };
}

test("a run open in this process is not overwritten; once finished it is", (t) => {
  const ws = workspace(t);
  const a = open(ws);
  for (let seq = 0; seq < 100; seq++) a.append(row({ seq, experiment: "same" }));
  assert.throws(() => open(ws, true), isRunningRefusal(/run 1 by this process/));
  a.finish("complete", null);
  assert.equal(readMeta(a.dir).status, "complete");
  assert.equal(readJournal(a.files.journal).rows.length, 100, "A's rows are intact");

  const b = open(ws, true);
  b.append(row({ seq: 0 }));
  b.finish("complete", null);
  assert.equal(b.run, 1);
  assert.equal(readJournal(b.files.journal).rows.length, 1);
});

test("every running run is named, run-N included", (t) => {
  const ws = workspace(t);
  const first = open(ws);
  first.finish("complete", null);
  const second = open(ws);
  const third = open(ws);
  assert.deepEqual([second.run, third.run], [2, 3]);
  assert.throws(() => open(ws, true), isRunningRefusal(/run 2 by this process, run 3 by this process/));
  second.finish("complete", null);
  third.finish("aborted", null, "stopped");
  assert.equal(open(ws, true).run, 1);
});

test("a run whose process is gone, or whose writer here was dropped, may be overwritten", (t) => {
  const ws = workspace(t);
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  const deadPid = Number(child.stdout.toString());
  assert.ok(deadPid > 0);
  const dir = path.join(ws, "functions", "fn", "experiments", "same");
  fs.mkdirSync(dir, { recursive: true });
  const stale = {
    ...metaInput("same"),
    run: 1,
    status: "running",
    pid: deadPid,
    endedAt: null,
    reason: null,
  };
  fs.writeFileSync(path.join(dir, "meta.json"), JSON.stringify(stale));
  fs.writeFileSync(path.join(dir, "runs.jsonl"), "");
  const b = open(ws, true);
  assert.equal(b.run, 1);
  assert.equal(readMeta(b.dir).pid, process.pid);
  b.finish("complete", null);
});

test("a run started on another host counts as running (it cannot be checked from here)", (t) => {
  const ws = workspace(t);
  const elsewhere = metaInput("same");
  elsewhere.host = { ...elsewhere.host, hostname: "another-host.example" };
  const dir = path.join(ws, "functions", "fn", "experiments", "same");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "meta.json"),
    JSON.stringify({ ...elsewhere, run: 1, status: "running", pid: 4242, endedAt: null, reason: null }),
  );
  assert.throws(() => open(ws, true), isRunningRefusal(/run 1 by pid 4242 on host another-host\.example/));
});

test("a run whose folder was replaced under it writes nothing into the new folder and says so", (t) => {
  const ws = workspace(t);
  const a = open(ws);
  a.append(row({ seq: 0 }));
  // What a concurrent overwrite that slipped past the check does: move the folder away, start anew.
  fs.renameSync(a.dir, path.join(path.dirname(a.dir), ".gone"));
  const b = open(ws, false, { ...metaInput("same"), options: { runsPerThread: 3 } });
  assert.equal(b.dir, a.dir, "B owns the path A was using");
  a.append(row({ seq: 1 }));
  assert.throws(
    () => a.finish("complete", null),
    (error: unknown) =>
      error instanceof FaasLabError &&
      error.code === "EXPERIMENT_REPLACED" &&
      /run 1 was removed or replaced while it ran.*its 2 rows were not stored/.test(error.message),
  );
  assert.equal(fs.existsSync(path.join(b.dir, "results.csv")), false, "no CSV of A in B's folder");
  const meta = readMeta(b.dir);
  assert.equal(meta.status, "running", "B's meta.json is B's");
  assert.deepEqual(meta.options, { runsPerThread: 3 });
  b.append(row({ seq: 0 }));
  b.finish("complete", null);
  assert.equal(readJournal(b.files.journal).rows.length, 1);
});

test("claiming a run leaves no temp files, and its meta.json is complete from the start", (t) => {
  const ws = workspace(t);
  const first = open(ws);
  const second = open(ws);
  assert.equal(readMeta(first.dir).status, "running");
  assert.equal(readMeta(second.dir).status, "running");
  assert.deepEqual(fs.readdirSync(first.dir).sort(), ["meta.json", "run-2", "runs.jsonl"]);
  assert.deepEqual(fs.readdirSync(second.dir).sort(), ["meta.json", "runs.jsonl"]);
  first.finish("complete", null);
  second.finish("complete", null);
});
