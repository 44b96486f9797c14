// A failing function is data: timeouts, crashes and thrown errors fail only their own request and
// leave the platform ready for the next one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction, FunctionError } from "../../lib";
import { misbehave, resultOf } from "../helpers/functions";
import { HANG_GUARD_MS } from "../helpers/guard";
import { isAlive, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("failures");

const pidOf = (record: Parameters<typeof resultOf>[0]): number => {
  const pid = resultOf<{ pid: number }>(record).pid;
  ledger.add(pid);
  return pid;
};

test("a request that exceeds timeout is failed, its instance killed, and the next call gets a new one", async () => {
  // The local platform counts a request's time from when it accepts it, cold start included: the
  // timeout must leave room for a cold start on a loaded machine (a 0.5 s one did not), since the
  // first and the last call here are cold.
  const timeoutS = 2;
  const fn = cloudFunction("spinner", misbehave, { config: { timeout: timeoutS, maxInstances: 1 } });
  const warm = await fn.invoke({ mode: "ok" });
  const pid = pidOf(warm);

  const spun = await fn.invoke({ mode: "spin" });
  assert.equal(spun.failed, true);
  assert.equal(spun.timedOut, true);
  assert.equal(spun.errorType, "TimeoutError");
  assert.match(spun.errorMessage ?? "", new RegExp(`after ${timeoutS} seconds`));
  assert.ok(
    spun.roundTripMs >= 0.9 * timeoutS * 1000 && spun.roundTripMs < timeoutS * 1000 + 2500,
    `stopped near the timeout (${spun.roundTripMs} ms)`,
  );
  assert.ok(await waitFor(() => !isAlive(pid), HANG_GUARD_MS), `the spinning instance ${pid} was killed`);

  const next = await fn.invoke({ mode: "ok" });
  assert.equal(next.failed, false);
  assert.equal(next.coldStart, true);
  assert.notEqual(next.instanceId, warm.instanceId);
  assert.notEqual(pidOf(next), pid);
});

test("process.exit() in one request fails only that request; the instance next to it keeps serving", async () => {
  const fn = cloudFunction("crasher", misbehave, { config: { concurrency: 1, maxInstances: 2 } });
  const [crashed, survived] = await Promise.all([
    fn.invoke({ mode: "exit", ms: 150 }),
    fn.invoke({ mode: "ok", ms: 300 }),
  ]);

  assert.equal(crashed.failed, true);
  assert.equal(crashed.errorType, "InstanceCrashed");
  assert.match(crashed.errorMessage ?? "", /exit code 3/);
  assert.equal(crashed.timedOut, false);

  assert.equal(survived.failed, false);
  assert.equal(survived.coldStart, true, "the other request had an instance of its own");
  const pid = pidOf(survived);
  assert.ok(isAlive(pid), "the neighbouring instance is still running");

  const after = await fn.invoke({ mode: "ok" });
  assert.equal(after.failed, false);
  assert.equal(after.instanceId, survived.instanceId, "the surviving warm instance serves the next call");
});

test("a thrown error is a failed record; the callable rejects with a FunctionError carrying the remote stack", async () => {
  const fn = cloudFunction("thrower", misbehave);
  const record = await fn.invoke({ mode: "throw" });
  assert.equal(record.failed, true);
  assert.equal(record.timedOut, false);
  assert.equal(record.errorType, "TypeError");
  assert.match(record.errorMessage ?? "", /^bad input from pid \d+$/);
  assert.equal(record.result, undefined);

  await assert.rejects(fn({ mode: "throw" }), (error: unknown) => {
    assert.ok(error instanceof FunctionError, `expected a FunctionError, got ${String(error)}`);
    assert.equal(error.errorType, "TypeError");
    assert.equal(error.code, "FUNCTION_ERROR");
    assert.equal(error.phase, "invoke");
    assert.match(error.remoteMessage, /^bad input from pid \d+$/);
    assert.match(error.remoteStack ?? "", /TypeError: bad input from pid \d+\n\s+at /);
    assert.match(error.message, /bad input/);
    return true;
  });

  const next = await fn.invoke({ mode: "ok" });
  pidOf(next);
  assert.equal(next.instanceId, record.instanceId, "a thrown error does not cost the instance");
  assert.equal(next.coldStart, false);
});

test("a result JSON cannot carry (BigInt, circular) fails with ResultNotSerializable", async () => {
  const fn = cloudFunction("unserialisable", misbehave);
  const big = await fn.invoke({ mode: "bigint" });
  assert.equal(big.failed, true);
  assert.equal(big.errorType, "ResultNotSerializable");
  assert.match(big.errorMessage ?? "", /BigInt/);

  const circular = await fn.invoke({ mode: "circular" });
  assert.equal(circular.failed, true);
  assert.equal(circular.errorType, "ResultNotSerializable");
  assert.match(circular.errorMessage ?? "", /circular/i);

  const next = await fn.invoke({ mode: "ok" });
  pidOf(next);
  assert.equal(next.instanceId, big.instanceId, "the instance survives an unserialisable result");
});
