// An instance and everything it started die together, as a container's processes do: whether the
// function's child shares the instance's stdio, ignores it or starts a session of its own, and
// whichever way the instance stops. Leaks are looked for by process group and by the PIDs of the
// function's own children, never by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cloudFunction } from "../../lib";
import {
  groupMembers,
  killLeftovers,
  spawnSleeper,
  type Spawned,
  type SpawnMode,
} from "../helpers/descendants";
import { runNode, startNodeUntilJson, survivors, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("descendants");
const env = { ...process.env, FAASLAB_WORKSPACE: workspace };

/** A script that calls spawnSleeper with `mode`, prints what it reports, then runs `tail`. */
const scriptFor = (name: string, mode: SpawnMode, tail: string) => `
  const faaslab = require(${JSON.stringify(compiledLib())});
  const fn = faaslab.cloudFunction(${JSON.stringify(name)}, ${spawnSleeper.toString()});
  (async () => {
    const record = await fn.invoke({ mode: ${JSON.stringify(mode)} });
    if (record.failed) throw new Error(record.errorType + ": " + record.errorMessage);
    console.log(JSON.stringify(record.result));
    ${tail}
  })().catch((e) => { console.error(e); process.exit(1); });`;

/** Asserts that nothing of `spawned` is left: the child, the instance's process group, the child's. */
async function assertNothingLeft(spawned: Spawned, what: string): Promise<void> {
  const left = await survivors([spawned.pid, spawned.child], 3000);
  const groups = [...groupMembers(spawned.pid), ...groupMembers(spawned.child)];
  killLeftovers([...left, ...groups]); // never leave a sleeper behind, even when the test fails
  assert.deepEqual(left, [], `${what}: the instance or its child is still running`);
  assert.deepEqual(groups, [], `${what}: processes left in the instance's or the child's process group`);
}

for (const mode of ["ignore", "inherit", "detached"] as const) {
  test(`shutdown() stops a child the function started with stdio "${mode}", and the script then exits`, async () => {
    const script = scriptFor(`sleeper_${mode}`, mode, "await faaslab.shutdown(); console.log('shut down');");
    const started = Date.now();
    const run = await runNode(script, { cwd: workspace, env, timeoutMs: 20000 });
    const line = run.stdout.split("\n").find((l) => l.startsWith("{"));
    assert.ok(line, `the script reported the PIDs (stderr: ${run.stderr})`);
    const spawned = JSON.parse(line) as Spawned;
    assert.notEqual(spawned.child, spawned.pid);
    await assertNothingLeft(spawned, `after shutdown() (${mode})`);
    assert.equal(
      run.signal,
      null,
      `the script ended by itself after shutdown() (took ${Date.now() - started} ms)`,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /shut down/, "shutdown() resolved");
  });
}

test("a script SIGKILLed after its function started a child in a session of its own leaves nothing behind", async () => {
  const script = scriptFor("sleeper_killed_parent", "detached", "setInterval(() => undefined, 1000);");
  const { child, message } = await startNodeUntilJson(script, { cwd: workspace, env, timeoutMs: 20000 });
  const spawned = message as Spawned;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  await assertNothingLeft(spawned, "after its parent was SIGKILLed");
});

test("an instance its timeout stops takes the child its function started with it", async () => {
  const fn = cloudFunction("sleeper_timeout", spawnSleeper, { config: { timeout: 1 } });
  const report = path.join(workspace, "sleeper_timeout.json");
  const record = await fn.invoke({ mode: "detached", spinReportingTo: report });
  assert.equal(record.errorType, "TimeoutError");
  const spawned = JSON.parse(fs.readFileSync(report, "utf8")) as Spawned;
  ledger.add(spawned.pid);
  await assertNothingLeft(spawned, "after the timeout");
});

test("an instance that scales down (idleTimeout) takes the child its function started with it", async () => {
  const fn = cloudFunction("sleeper_idle", spawnSleeper, { config: { idleTimeout: 0 } });
  const record = await fn.invoke({ mode: "detached" });
  const spawned = record.result as Spawned;
  ledger.add(spawned.pid);
  await assertNothingLeft(spawned, "after scale-down");
  assert.ok(await waitFor(() => groupMembers(spawned.pid).length === 0, 1000));
});
