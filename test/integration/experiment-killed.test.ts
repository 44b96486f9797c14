// Nothing lost when the process running an experiment dies: load() returns every completed row.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { load } from "../../lib";
import { startNodeUntilJson } from "../helpers/processes";
import { localSuite } from "../helpers/suite";

const { workspace, ledger } = localSuite("experiment-killed");
const libPath = path.resolve(__dirname, "..", "..", "lib");

test("a SIGKILLed experiment leaves its completed rows loadable, marked incomplete", async () => {
  const script = `
    const { cloudFunction, experiment } = require(${JSON.stringify(libPath)});
    const slow = cloudFunction("killed_slow", async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { pid: process.pid };
    });
    experiment(slow, { threads: 2, runsPerThread: 500, name: "doomed", onProgress: (p) => {
      if (p.done === 30) console.log(JSON.stringify({ done: p.done }));
    } });`;
  const { child, message } = await startNodeUntilJson(script, {
    cwd: workspace,
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    timeoutMs: 30000,
  });
  assert.deepEqual(message, { done: 30 });
  await new Promise((resolve) => setTimeout(resolve, 100)); // a few more rows complete, then the crash
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));

  const back = load("killed_slow", "doomed", { workspace });
  back.allRows.forEach((row) => ledger.add(row.pid));
  assert.equal(back.complete, false);
  assert.equal(back.meta.status, "aborted");
  // The journal is flushed every 20 ms: at most a few rows of the last moment can be missing.
  assert.ok(back.allRows.length >= 30 && back.allRows.length < 1000, `${back.allRows.length} rows`);
  assert.ok(back.allRows.every((row) => row.failed === false && row.experiment === "doomed"));
});
