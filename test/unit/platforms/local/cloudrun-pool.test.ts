// The local pool with scaling "cloudrun" on manual time with fake instances (ready 0.5 s after start):
// request-triggered scale from zero, the 60 % concurrency target, pending wait ≤ pendingTimeout, 429.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveConfig } from "../../../../lib/config/layers";
import { InstancePool } from "../../../../platforms/local/pool";
import type { LocalConfig } from "../../../../platforms/local/schema";
import { ManualClock } from "../../../helpers/fake-clock";
import { FakeInstanceFactory } from "../../../helpers/fake-instances";

const S = 1000;

function cloudRunPool(config: Partial<LocalConfig> = {}) {
  const clock = new ManualClock(0);
  const resolved = resolveConfig("local", {}, { scaling: "cloudrun", ...config }, undefined) as LocalConfig;
  const pool = new InstancePool(resolved, new FakeInstanceFactory(clock, 500), clock);
  const live = () => pool.counts().starting + pool.counts().ready;
  const at = (t: number) => clock.advance(t - clock.now());
  return { clock, pool, live, at };
}

test("defaults: concurrency 80, maxInstances 100, pendingTimeout 10 s", () => {
  const { pool } = cloudRunPool();
  assert.equal(pool.settings.concurrency, 80);
  assert.equal(pool.settings.maxInstances, 100);
  assert.equal(pool.settings.queueTimeoutMs, 10 * S);
  assert.equal(pool.settings.cloudRunTargetPerInstance, 48, "60 % of 80");
});

test("scale from zero only by a request: nothing runs before the first one", () => {
  const { pool, live, at } = cloudRunPool();
  at(30 * S);
  assert.equal(live(), 0);
  void pool.invoke({ ms: 1 * S });
  assert.equal(live(), 1, "the request started an instance at once");
});

test("at maxInstances a request waits up to pendingTimeout, then 429 Throttled", async () => {
  const { pool, at } = cloudRunPool({ concurrency: 1, maxInstances: 2, pendingTimeout: 10 });
  const running = [pool.invoke({ ms: 100 * S }), pool.invoke({ ms: 100 * S })];
  let settled = false;
  const pending = pool.invoke({ ms: 1 });
  void pending.then(() => (settled = true));
  assert.equal(pool.counts().queued, 1);
  at(10 * S - 1);
  await Promise.resolve();
  assert.equal(settled, false, "still waiting just before 10 s");
  assert.equal(pool.counts().queued, 1);
  at(10 * S);
  const raw = await pending;
  assert.equal(raw.statusCode, 429);
  assert.equal(raw.failure?.errorType, "Throttled");
  assert.match(raw.failure?.errorMessage ?? "", /pending timeout of 10 s/);
  assert.equal(pool.counts().queued, 0);
  pool.killAll();
  await Promise.all(running);
});

test("a pending request gets a slot freed within pendingTimeout", async () => {
  const { pool, at } = cloudRunPool({ concurrency: 1, maxInstances: 1 });
  void pool.invoke({ ms: 3 * S });
  const pending = pool.invoke({ ms: 1 });
  at(4 * S);
  assert.equal((await pending).statusCode, 200);
});

test("the 60 % target starts instances ahead of the hard limit, from the window average", () => {
  const { pool, live, at } = cloudRunPool({ concurrency: 10 });
  for (let i = 0; i < 25; i++) void pool.invoke({ ms: 100 * S });
  assert.equal(live(), 3, "per request: 10 + 10 + 5 slots");
  at(2 * S);
  assert.equal(pool.counts().desired, 5, "ceil(25 / (10 × 0.6))");
  assert.equal(live(), 5);
});

test("idle instances above the wanted count stop after idleTimeout; minInstances stay", () => {
  const { pool, live, at } = cloudRunPool({
    concurrency: 1,
    idleTimeout: 5,
    minInstances: 1,
    stableWindow: 6,
  });
  for (let i = 0; i < 4; i++) void pool.invoke({ ms: 1 * S });
  assert.equal(live(), 4);
  // Requests end at 1.5 s; the 6 s window is empty from 7.5 s and the instances idle for 5 s at 6.5 s.
  at(8 * S);
  assert.equal(pool.counts().desired, 1, "minInstances");
  assert.equal(live(), 1);
});
