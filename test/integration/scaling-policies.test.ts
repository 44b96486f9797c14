// The knative and cloudrun scaling policies with real instance processes, on short windows. Every wait
// is on the platform's own instance samples or on the gate, never a guessed sleep.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { platformFor } from "../../lib/registry";
import { resultOf } from "../helpers/functions";
import { Gate, gated, type GatedResult } from "../helpers/gate";
import { withinGuard } from "../helpers/guard";
import { live, SampleLog } from "../helpers/instance-watch";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("scaling-policies");

test("knative: 0 → N → 0 under a burst, with panic, on short windows", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  // containerConcurrency 1 → target 0.7 per instance; 6 held requests want ceil(6 / 0.7) = 9,
  // capped by maxScale 4. Windows: 2 s stable, 0.2 s panic, 0.2 s tick, 0.5 s grace.
  const fn = cloudFunction("kpa_burst", gated, {
    config: {
      scaling: "knative",
      concurrency: 1,
      maxInstances: 4,
      initialScale: 0,
      tickInterval: 0.2,
      stableWindow: 2,
      scaleToZeroGracePeriod: 0.5,
    },
  });
  const deployment = await fn.deploy();
  const samples = new SampleLog(platformFor("local"), deployment, 20);
  t.after(() => samples.stop());
  assert.equal(live(samples.last), 0, "initialScale 0: no instance before the first request");

  const pending = Array.from({ length: 6 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  const full = await samples.until((s) => s.ready === 4 && s.busy === 4, "4 busy instances");
  assert.equal(full.queued, 2, "the other 2 wait in the activator (concurrency 1)");
  assert.equal(full.desired, 4);
  assert.ok(
    samples.samples.some((s) => s.panic === true),
    "6 requests on ≤ 1 ready instance is over 200 %: panic",
  );
  gate.letThrough(Infinity);
  gate.release();
  const records = await Promise.all(pending);
  records.forEach((r) => ledger.add(resultOf<GatedResult>(r).pid));
  assert.ok(records.every((r) => !r.failed));

  const zero = await samples.until((s) => live(s) === 0 && s.desired === 0, "scale to zero");
  assert.equal(zero.inFlight + zero.queued, 0);
  assert.equal(Math.max(...samples.samples.map(live)), 4, "never above maxScale");
  assert.equal(new Set(records.map((r) => r.instanceId)).size, 4, "the rows ran on the 4 instances seen");
  const lastBusy = samples.samples.map((s) => s.busy > 0).lastIndexOf(true);
  const firstZeroAfterBusy = samples.samples.findIndex((s, i) => i > lastBusy && live(s) === 0);
  assert.ok(firstZeroAfterBusy > lastBusy, "zero came after the work ended");
  const idleFor = samples.samples[firstZeroAfterBusy].at - samples.samples[lastBusy + 1].at;
  // The stable window (2 s) has to empty, then the grace period (0.5 s) pass; samples are ≤ 20 ms late.
  assert.ok(idleFor >= 2400, `zero came after the window + grace (${idleFor} ms after the last request)`);
});

test("cloudrun: at maxInstances a request waits pendingTimeout, then 429 while the others still run", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("run_pending", gated, {
    config: { scaling: "cloudrun", concurrency: 1, maxInstances: 1, pendingTimeout: 0.3 },
  });
  const holder = fn.invoke({ gate: gate.url, key: "holder" });
  await gate.untilWaiting(1);
  const started = Date.now();
  const refused = await withinGuard(fn.invoke({}), "the pending request to be refused");
  const waited = Date.now() - started;
  assert.equal(gate.waiting, 1, "the request holding the instance was still running");
  assert.equal(refused.failed, true);
  assert.equal(refused.errorType, "Throttled");
  assert.equal(refused.statusCode, 429);
  assert.match(refused.errorMessage ?? "", /pending timeout of 0\.3 s/);
  assert.ok(waited >= 300, `it waited the pending timeout first (${waited} ms)`);
  gate.release();
  ledger.add(resultOf<GatedResult>(await holder).pid);
});

test("cloudrun: concurrency 80 by default, one instance serves parallel requests", async (t) => {
  const gate = await Gate.open();
  t.after(() => gate.close());
  const fn = cloudFunction("run_shared", gated, { config: { scaling: "cloudrun", idleTimeout: 30 } });
  const pending = Array.from({ length: 5 }, (_, i) => fn.invoke({ gate: gate.url, key: `r${i}` }));
  await gate.untilWaiting(5);
  gate.release();
  const records = await Promise.all(pending);
  records.forEach((r) => ledger.add(resultOf<GatedResult>(r).pid));
  assert.equal(new Set(records.map((r) => r.instanceId)).size, 1);
});
