// Platform.watchInstances on the local platform with real instance processes: the samples follow
// cold starts, busy instances, queued requests and scale to zero, at most one per intervalMs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { platformFor } from "../../lib/registry";
import { resultOf } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { live, SampleLog } from "../helpers/instance-watch";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("instance-watch");

test("watchInstances: starting → ready and busy → queued → idle → zero, as samples", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("watched", gated, {
    config: { concurrency: 1, maxInstances: 2, idleTimeout: 0.5, queueTimeout: 30 },
  });
  const deployment = await fn.deploy();
  const samples = new SampleLog(platformFor("local"), deployment, 20);
  t.after(() => samples.stop());
  assert.equal(samples.samples.length, 1, "one sample on subscribe");
  assert.deepEqual(
    { ...samples.last, at: 0 },
    { at: 0, starting: 0, ready: 0, busy: 0, inFlight: 0, queued: 0, desired: null, panic: null },
  );

  const pending = Array.from({ length: 3 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  await gate.untilWaiting(2);
  const full = await samples.until((s) => s.busy === 2 && s.queued === 1, "2 busy, 1 queued");
  assert.deepEqual([full.starting, full.ready, full.inFlight], [0, 2, 2]);
  assert.ok(
    samples.samples.some((s) => s.starting > 0),
    "the cold starts were seen as starting instances",
  );

  gate.letThrough(1);
  gate.release();
  const records = await Promise.all(pending);
  records.forEach((r) => ledger.add(resultOf<GatedResult>(r).pid));
  await samples.until((s) => s.ready === 2 && s.busy === 0 && s.inFlight === 0, "2 idle instances");
  await samples.until((s) => live(s) === 0, "scale to zero after idleTimeout");

  const ids = new Set(records.map((r) => r.instanceId));
  assert.equal(Math.max(...samples.samples.map(live)), ids.size, "peak instances = instance ids in the rows");
  for (let i = 1; i < samples.samples.length; i++)
    assert.ok(samples.samples[i].at - samples.samples[i - 1].at >= 20, "never two samples within intervalMs");
});

test("watchInstances before the first call, and the platform declares it", async () => {
  const { platformModule } = await import("../../platforms/local");
  assert.ok(platformModule.capabilities.includes("watchInstances"));
  const fn = cloudFunction("watched_early", gated, { config: { idleTimeout: 30 } });
  const deployment = await fn.deploy();
  const samples = new SampleLog(platformFor("local"), deployment);
  try {
    ledger.add(resultOf<GatedResult>(await fn.invoke({})).pid);
    const after = await samples.until((s) => s.ready === 1 && s.inFlight === 0, "one idle instance");
    assert.equal(after.queued, 0);
  } finally {
    samples.stop();
  }
});
