// Cold and warm starts, per-instance concurrency, queueing, maxInstances and throttling on the local
// platform, with real instance processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { withinGuard } from "../helpers/guard";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("scaling");

const instancesOf = (results: { pid: number }[]) => results.forEach((r) => ledger.add(r.pid));

test("the first call is a cold start, the next one is warm on the same instance", async () => {
  const fn = cloudFunction("warm_reuse", nap, { config: { idleTimeout: 30 } });
  const first = await fn.invoke({ ms: 0 });
  const second = await fn.invoke({ ms: 0 });
  const [a, b] = [resultOf<NapResult>(first), resultOf<NapResult>(second)];
  instancesOf([a, b]);

  assert.equal(first.coldStart, true);
  assert.equal(first.instanceInvocations, 1);
  assert.equal(second.coldStart, false);
  assert.equal(second.instanceInvocations, 2);
  assert.equal(typeof first.instanceId, "string");
  assert.equal(second.instanceId, first.instanceId);
  assert.equal(b.pid, a.pid, "a warm call runs in the same process");
  assert.notEqual(a.pid, process.pid, "the function runs in a child process, not in the caller");
  assert.equal(first.platform, "local");
  assert.ok(first.runtimeMs !== null && first.roundTripMs >= first.runtimeMs);
});

test("concurrency 4 with one instance: 4 parallel calls share it and overlap in time", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("shared_instance", gated, { config: { concurrency: 4, maxInstances: 1 } });
  ledger.add(resultOf<GatedResult>(await fn.invoke({})).pid); // a warm instance for all four
  const pending = Array.from({ length: 4 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  // All four are inside the function at the same moment: only concurrency 4 on the one instance
  // allows that (a queue would keep three of them away from the gate until the first is released).
  const waiting = await gate.untilWaiting(4);
  gate.release();
  const records = await Promise.all(pending);
  const results = records.map((r) => resultOf<GatedResult>(r));
  instancesOf(results);

  assert.equal(new Set(records.map((r) => r.instanceId)).size, 1, "all four ran on one instance");
  assert.equal(new Set(results.map((r) => r.pid)).size, 1);
  assert.deepEqual(
    waiting.map((a) => a.pid),
    results.map((r) => r.pid),
    "the four waited at the gate in that one process",
  );
  const lastStart = Math.max(...results.map((r) => r.startedAt));
  const firstEnd = Math.min(...results.map((r) => r.endedAt));
  assert.ok(
    lastStart < firstEnd,
    `the four requests overlap (last start ${lastStart}, first end ${firstEnd})`,
  );
});

test("concurrent requests on one new instance: one cold start, each request its own invocation number", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("shared_cold_instance", gated, { config: { concurrency: 4, maxInstances: 1 } });
  const pending = Array.from({ length: 4 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  await gate.untilWaiting(4); // the four run at the same time
  gate.release();
  const records = await Promise.all(pending);
  instancesOf(records.map((r) => resultOf<GatedResult>(r)));

  assert.equal(new Set(records.map((r) => r.instanceId)).size, 1);
  assert.equal(
    records.filter((r) => r.coldStart === true).length,
    1,
    "exactly one request is the cold start",
  );
  const counts = records.map((r) => r.instanceInvocations ?? 0).sort((x, y) => x - y);
  assert.deepEqual(counts, [1, 2, 3, 4], "instanceInvocations numbers the requests as they arrived");
});

test("concurrency 1 with one instance: parallel calls queue, run one at a time, and all succeed", async () => {
  const fn = cloudFunction("serial_queue", nap, {
    config: { concurrency: 1, maxInstances: 1, queueTimeout: 10 },
  });
  const records = await Promise.all(Array.from({ length: 4 }, () => fn.invoke({ ms: 100 })));
  const results = records.map((r) => resultOf<NapResult>(r));
  instancesOf(results);

  assert.ok(records.every((r) => !r.failed));
  assert.equal(new Set(records.map((r) => r.instanceId)).size, 1);
  const ordered = [...results].sort((x, y) => x.startedAt - y.startedAt);
  for (let i = 1; i < ordered.length; i++) {
    assert.ok(
      ordered[i].startedAt >= ordered[i - 1].endedAt,
      `request ${i} started at ${ordered[i].startedAt}, before request ${i - 1} ended at ${ordered[i - 1].endedAt}`,
    );
  }
  assert.equal(records.filter((r) => r.coldStart).length, 1, "only the first request paid the cold start");
});

test("maxInstances 2: 8 parallel calls run on exactly 2 instances", async () => {
  const fn = cloudFunction("two_instances", nap, { config: { concurrency: 1, maxInstances: 2 } });
  const records = await Promise.all(Array.from({ length: 8 }, () => fn.invoke({ ms: 150 })));
  const results = records.map((r) => resultOf<NapResult>(r));
  instancesOf(results);

  assert.equal(new Set(records.map((r) => r.instanceId)).size, 2);
  assert.equal(new Set(results.map((r) => r.pid)).size, 2);
  assert.equal(records.filter((r) => r.coldStart).length, 2, "one cold start per instance");
});

test("throttling: requests that wait longer than queueTimeout fail with 429 Throttled, as data", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("throttled", gated, {
    config: { concurrency: 1, maxInstances: 1, queueTimeout: 0.2 },
  });
  const pending = Array.from({ length: 3 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  // One request gets the instance and stays in the function until released; the other two can only
  // queue, and must come back throttled while it is still running.
  const [holder] = await gate.untilWaiting(1);
  const early = await withinGuard(firstSettled(pending, 2), "two requests to be throttled");
  assert.equal(gate.waiting, 1, "the request that got the instance was still running");
  assert.equal(gate.arrivals.length, 1, "the throttled requests never reached the function");
  gate.release();
  const records = await Promise.all(pending);
  const ok = records.filter((r) => !r.failed);
  const throttled = records.filter((r) => r.failed);
  ok.forEach((r) => ledger.add(resultOf<GatedResult>(r).pid));

  assert.equal(ok.length, 1, "the request that got the instance succeeds");
  assert.equal(resultOf<GatedResult>(ok[0]).key, holder.key, "… after it was released");
  assert.equal(throttled.length, 2);
  assert.deepEqual(
    early.sort((x, y) => x - y),
    records.flatMap((r, i) => (r.failed ? [i] : [])),
    "the throttled requests are the two that came back while the function was still running",
  );
  for (const r of throttled) {
    assert.equal(r.errorType, "Throttled");
    assert.equal(r.statusCode, 429);
    assert.equal(r.timedOut, false);
    assert.match(r.errorMessage ?? "", /busy/);
  }

  // The callable form rejects with a FunctionError carrying the same errorType.
  const blocker = fn({ gate: gate.url, key: "blocker" });
  await gate.untilWaiting(1);
  await assert.rejects(fn({}), (e: Error & { errorType?: string }) => e.errorType === "Throttled");
  gate.release();
  ledger.add((await blocker).pid);
});

/** Resolves with the indices of the first `n` of `promises` to resolve, in the order they did. */
function firstSettled(promises: Promise<unknown>[], n: number): Promise<number[]> {
  const order: number[] = [];
  return new Promise((resolve) => {
    promises.forEach((p, i) =>
      p.then(() => {
        order.push(i);
        if (order.length === n) resolve([...order]);
      }),
    );
  });
}
