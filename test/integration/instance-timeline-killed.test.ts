// A killed experiment keeps its instance timeline: instances.jsonl is journaled as samples arrive.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { load } from "../../lib";
import { HANG_GUARD_MS, withinGuard } from "../helpers/guard";
import { startNodeUntilJson, waitFor } from "../helpers/processes";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";

const workspace = tempDir("timeline-killed");
after(() => removeDir(workspace));

const libPath = path.resolve(__dirname, "..", "..", "lib");
const fleetPath = path.resolve(__dirname, "..", "fixtures", "platforms", "fleet");

function completeLines(file: string): string[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .filter(Boolean);
}

test("a SIGKILLed experiment leaves its instance timeline loadable", async (t) => {
  // Two threads, far more runs than it gets to: it is killed mid-run, once 20 requests are done.
  const script = `
    require(${JSON.stringify(fleetPath)}).useFleetPlatform();
    const { experiment } = require(${JSON.stringify(libPath)});
    const { externalFunction } = require(${JSON.stringify(path.join(libPath, "function", "cloud-function"))});
    const fn = externalFunction("fleet_killed", "fleet", { answerMs: 15, startMs: 5, idleMs: 60000 });
    let told = false;
    experiment(fn, { threads: 2, runsPerThread: 100000, name: "doomed", onProgress: (p) => {
      if (!told && p.done >= 20) { told = true; console.log(JSON.stringify({ done: p.done })); }
    } });`;
  const { child } = await startNodeUntilJson(script, {
    cwd: workspace,
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    timeoutMs: HANG_GUARD_MS,
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const file = path.join(
    functionFiles(workspace, "fleet_killed").dir,
    "experiments",
    "doomed",
    "instances.jsonl",
  );
  // 20 requests done: at least a sample each for taking and releasing an instance, journaled within 20 ms.
  assert.ok(await waitFor(() => completeLines(file).length >= 40, HANG_GUARD_MS), "samples journaled");
  child.kill("SIGKILL");
  assert.equal(await withinGuard(exited, "the killed process to exit"), "SIGKILL");

  const stored = completeLines(file).map((line) => JSON.parse(line) as Record<string, unknown>);
  const back = load("fleet_killed", "doomed", { workspace });
  assert.equal(back.meta.status, "aborted", "the run died");
  assert.equal(back.instances.length, stored.length, "every complete line of instances.jsonl is a sample");
  assert.ok(back.instances.length >= 40);
  assert.deepEqual(back.instances.slice(0, 3), stored.slice(0, 3));
  assert.deepEqual([back.instances[0].ready, back.instances[0].starting], [0, 0]);
  assert.ok(
    back.instances.some((s) => s.busy === 2),
    "both threads' instances were seen busy",
  );
});
