// Nothing lost when the process running an experiment dies: load() returns every completed row.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { load } from "../../lib";
import { Gate } from "../helpers/gate";
import { HANG_GUARD_MS, withinGuard } from "../helpers/guard";
import { waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { functionFiles } from "../helpers/workspace";

const { workspace, ledger } = localSuite("experiment-killed");
const libPath = path.resolve(__dirname, "..", "..", "lib");
const gatePath = path.resolve(__dirname, "..", "helpers", "gate");

test("a SIGKILLed experiment leaves its completed rows loadable, marked incomplete", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const completed = 30;
  const [threads, runsPerThread] = [2, 500];
  // Every invocation reports at the gate: the first 30 are let through, then both threads wait there.
  gate.letThrough(completed);
  const script = `
    const { cloudFunction, experiment } = require(${JSON.stringify(libPath)});
    const { gated } = require(${JSON.stringify(gatePath)});
    const fn = cloudFunction("killed_slow", gated);
    experiment(fn, { threads: ${threads}, runsPerThread: ${runsPerThread}, name: "doomed",
      payloads: [{ gate: ${JSON.stringify(gate.url)} }] });`;
  const child = spawn(process.execPath, ["-e", script], {
    cwd: workspace,
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const diedEarly = exited.then((how) => {
    throw new Error(`the experiment process ended on its own (${how}): ${stderr}`);
  });
  diedEarly.catch(() => undefined);

  // Mid-run, at a known point: exactly 30 invocations completed, one per thread in flight.
  const arrivals = await Promise.race([gate.untilWaiting(threads), diedEarly]);
  arrivals.forEach((a) => ledger.add(a.pid));
  assert.equal(arrivals.length, completed + threads);
  // The journal is written within its flush interval: wait until it holds the 30 completed rows.
  const journal = path.join(
    functionFiles(workspace, "killed_slow").dir,
    "experiments",
    "doomed",
    "runs.jsonl",
  );
  const journaled = () =>
    fs.existsSync(journal) ? fs.readFileSync(journal, "utf8").split("\n").length - 1 : 0;
  assert.ok(await waitFor(() => journaled() >= completed, HANG_GUARD_MS), `${journaled()} rows journaled`);

  child.kill("SIGKILL");
  assert.equal(await withinGuard(exited, "the killed process to exit"), "SIGKILL", "it died mid-run");

  const back = load("killed_slow", "doomed", { workspace });
  back.allRows.forEach((row) => ledger.add(row.pid));
  assert.equal(back.complete, false);
  assert.equal(back.meta.status, "aborted", "a run whose process is gone reads as aborted");
  assert.equal(back.allRows.length, completed, "every completed invocation, and nothing else");
  assert.ok(back.allRows.every((row) => row.failed === false && row.experiment === "doomed"));
  assert.equal(new Set(back.allRows.map((row) => row.seq)).size, completed, "no row twice");
  // Each thread's rows are its first runs, without gaps: nothing in the middle was lost.
  const perThread = Array.from({ length: threads }, (_, thread) =>
    back.allRows
      .filter((row) => row.thread === thread)
      .map((row) => row.run as number)
      .sort((a, b) => a - b),
  );
  perThread.forEach((runs) =>
    assert.deepEqual(
      runs,
      runs.map((_, i) => i),
    ),
  );
  assert.equal(perThread.flat().length, completed, "every row belongs to one of the threads");
});
