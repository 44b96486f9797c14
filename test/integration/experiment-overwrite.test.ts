// overwrite: true while the same experiment is running is refused — run in this process or in another
// one — so a run's journal, meta.json and results.csv always belong to that run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, experiment, load, type ExperimentResult } from "../../lib";
import { FaasLabError } from "../../lib/errors";
import { startNodeUntilJson } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("experiment-overwrite");

const step = cloudFunction("overwrite_step", async (payload: { ms: number }) => {
  await new Promise((resolve) => setTimeout(resolve, payload.ms));
  return { pid: process.pid };
});

function isRunningRefusal(writer: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FaasLabError, String(error));
    assert.equal(error.code, "EXPERIMENT_RUNNING");
    assert.match(error.message, /experiment "same" of "overwrite_step" is still running/);
    assert.match(error.message, writer);
    return true;
  };
}

test("an overwriting run B started while run A runs in this process is refused; A stays whole", async () => {
  let b: Promise<ExperimentResult> | null = null;
  const a = await experiment(step, {
    name: "same",
    runsPerThread: 100,
    payloads: [{ ms: 1 }],
    // B starts while A has 99 invocations to go (this callback runs as A's first row is stored).
    onProgress: (p) => {
      if (p.done === 1 && b === null) {
        b = experiment(step, { name: "same", runsPerThread: 3, payloads: [{ ms: 1 }], overwrite: true });
        b.catch(() => undefined); // awaited below, after A
      }
    },
  });
  a.rows.forEach((row) => ledger.add(row.pid));
  assert.ok(b !== null, "B was started");
  await assert.rejects(b, isRunningRefusal(/run 1 by this process/));

  const back = load(step, "same");
  assert.equal(back.meta.status, "complete");
  assert.equal(back.rows.length, 100, "A's rows are all there");
  assert.equal(back.meta.options.runsPerThread, 100, "meta.json is A's");
  assert.equal(back.metas.length, 1);

  // Once A has ended, overwrite replaces it.
  const again = await experiment(step, {
    name: "same",
    runsPerThread: 3,
    payloads: [{ ms: 1 }],
    overwrite: true,
  });
  again.rows.forEach((row) => ledger.add(row.pid));
  const replaced = load(step, "same", { run: "all" });
  assert.equal(replaced.rows.length, 3);
  assert.equal(replaced.meta.options.runsPerThread, 3);
});

test("a run in another live process is not overwritten; once that process is gone it is", async () => {
  const script = `
    const { cloudFunction, experiment } = require(${JSON.stringify(compiledLib())});
    const step = cloudFunction("overwrite_step", async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, payload.ms));
      return { pid: process.pid };
    });
    experiment(step, { name: "same", overwrite: true, runsPerThread: 100000, payloads: [{ ms: 5 }],
      onProgress: (p) => { if (p.done === 5) console.log(JSON.stringify({ running: process.pid })); } });`;
  const { child, message } = await startNodeUntilJson(script, {
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    timeoutMs: 30_000,
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    assert.deepEqual(message, { running: child.pid });
    await assert.rejects(
      experiment(step, { name: "same", runsPerThread: 3, payloads: [{ ms: 1 }], overwrite: true }),
      isRunningRefusal(new RegExp(`run 1 by pid ${child.pid} on this host`)),
    );
    const during = load(step, "same");
    assert.equal(during.meta.status, "running");
    assert.equal(during.meta.options.runsPerThread, 100000, "the other process's meta.json is untouched");
    during.allRows.forEach((row) => ledger.add(row.pid));
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
  // Its pid is gone: the run is aborted, and may be replaced.
  const before = load(step, "same");
  before.allRows.forEach((row) => ledger.add(row.pid));
  assert.equal(before.meta.status, "aborted");
  const b = await experiment(step, {
    name: "same",
    runsPerThread: 3,
    payloads: [{ ms: 1 }],
    overwrite: true,
  });
  b.rows.forEach((row) => ledger.add(row.pid));
  const after = load(step, "same", { run: "all" });
  assert.equal(after.meta.status, "complete");
  assert.equal(after.rows.length, 3);
  assert.equal(after.meta.options.runsPerThread, 3);
});
