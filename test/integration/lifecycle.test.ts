// Instance lifecycle: scale to zero after idleTimeout, minInstances kept warm, forced cold starts, and
// shutdown() stopping every process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction, forceColdStart, shutdown } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { HANG_GUARD_MS } from "../helpers/guard";
import { childPids, describePid, isAlive, survivors, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { readStateFile } from "../helpers/workspace";

const { workspace, ledger } = localSuite("lifecycle");

const napPid = (record: Parameters<typeof resultOf>[0]): number => {
  const pid = resultOf<NapResult>(record).pid;
  ledger.add(pid);
  return pid;
};

/** PIDs of this process's children that run `artifact` (the instances of one deployment). */
const instancesRunning = (artifact: string): number[] =>
  childPids().filter((pid) => describePid(pid).includes(artifact));

test("idleTimeout 0.3: the idle instance stops by itself and the next call is a cold start", async () => {
  const fn = cloudFunction("scale_to_zero", nap, { config: { idleTimeout: 0.3 } });
  const first = await fn.invoke({ ms: 0 });
  const pid = napPid(first);
  assert.ok(isAlive(pid), "the instance is alive right after the call");

  // Nothing but the idle timer can stop it now (no call, no shutdown): wait for that exit. The
  // bound only turns a hang into a failure; the default idleTimeout (600 s) would hit it.
  assert.ok(await waitFor(() => !isAlive(pid), HANG_GUARD_MS), `instance ${pid} never scaled to zero`);

  const next = await fn.invoke({ ms: 0 });
  assert.equal(next.coldStart, true);
  assert.notEqual(next.instanceId, first.instanceId);
  assert.notEqual(napPid(next), pid);
});

test("minInstances 1: one instance is pre-started on deploy and survives idleTimeout", async () => {
  const fn = cloudFunction("kept_warm", nap, { config: { minInstances: 1, idleTimeout: 0.3 } });
  // A witness with the same idleTimeout and no minimum: once its instance has scaled to zero, every
  // idle timer started before its own (in this same process) has fired too.
  const witness = cloudFunction("idle_witness", nap, { config: { idleTimeout: 0.3 } });
  const idleTimeoutPassed = async () => {
    const witnessPid = napPid(await witness.invoke({ ms: 0 }));
    assert.ok(await waitFor(() => !isAlive(witnessPid), HANG_GUARD_MS), "the witness scaled to zero");
  };
  await fn.deploy();
  const artifact = readStateFile(workspace, "kept_warm").deployment.ref.artifact as string;
  assert.ok(
    await waitFor(() => instancesRunning(artifact).length === 1, HANG_GUARD_MS),
    "an instance started on deploy",
  );
  const [prestarted] = instancesRunning(artifact);
  ledger.add(prestarted);

  await idleTimeoutPassed();
  assert.ok(isAlive(prestarted), "the minimum instance was not scaled down");
  const record = await fn.invoke({ ms: 0 });
  assert.equal(napPid(record), prestarted, "the first call ran on the pre-started instance");
  assert.equal(record.instanceInvocations, 1);

  await idleTimeoutPassed();
  assert.ok(isAlive(prestarted), "still kept after serving a request");
  assert.deepEqual(instancesRunning(artifact), [prestarted], "and no other instance was started");
});

test("forceColdStart(fn): the next call is a cold start on a new instance", async () => {
  const fn = cloudFunction("forced_cold", nap, { config: { idleTimeout: 30 } });
  await fn.invoke({ ms: 0 });
  const warm = await fn.invoke({ ms: 0 });
  assert.equal(warm.coldStart, false);
  const oldPid = napPid(warm);

  await forceColdStart(fn);
  const next = await fn.invoke({ ms: 0 });
  assert.equal(next.coldStart, true);
  assert.equal(next.instanceInvocations, 1);
  assert.notEqual(next.instanceId, warm.instanceId);
  assert.notEqual(napPid(next), oldPid);
  assert.ok(await waitFor(() => !isAlive(oldPid), HANG_GUARD_MS), "the recycled instance was stopped");
});

test("shutdown() stops every instance, busy or idle, and the function can be called again after", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("shut_down", gated, { config: { maxInstances: 3, idleTimeout: 30 } });
  const idle = await Promise.all([fn({ ms: 50 }), fn({ ms: 50 })]);
  idle.forEach((r) => ledger.add(r.pid));
  const busy = fn.invoke({ gate: gate.url });
  const [running] = await gate.untilWaiting(1); // the busy request is inside its instance
  ledger.add(running.pid);
  await shutdown();

  const interrupted = await busy;
  assert.equal(interrupted.failed, true, "the in-flight request is failed, not left hanging");
  assert.deepEqual(await survivors([...idle.map((r) => r.pid), running.pid], HANG_GUARD_MS), []);

  const again = await fn.invoke({});
  assert.equal(again.coldStart, true);
  ledger.add(resultOf<GatedResult>(again).pid);
});

test("shutdown() leaves no child process at all (esbuild's service included)", async () => {
  const fn = cloudFunction("no_children", nap);
  ledger.add((await fn({ ms: 0 })).pid);
  await shutdown();
  const left = await survivors(childPids(), HANG_GUARD_MS);
  assert.deepEqual(left.map(describePid), [], "child processes left after shutdown()");
});
