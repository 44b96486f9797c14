// The local pool with scaling "knative", tick by tick on manual time, with fake instances (ready
// 0.5 s after they start): peers.md §6.2's defaults — 2 s tick, 60 s / 6 s windows, target 70,
// panic at 200 %, scale-down rate 2, grace 30 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveConfig } from "../../../../lib/config/layers";
import { InstancePool } from "../../../../platforms/local/pool";
import type { LocalConfig } from "../../../../platforms/local/schema";
import { ManualClock } from "../../../helpers/fake-clock";
import { FakeInstanceFactory } from "../../../helpers/fake-instances";

const S = 1000;
const STARTUP_MS = 500;

function knativePool(config: Partial<LocalConfig> = {}) {
  const clock = new ManualClock(0);
  const resolved = resolveConfig("local", {}, { scaling: "knative", ...config }, undefined) as LocalConfig;
  const pool = new InstancePool(resolved, new FakeInstanceFactory(clock, STARTUP_MS), clock);
  const live = () => pool.counts().starting + pool.counts().ready;
  /** Moves to absolute time `t` (ms since the pool started). */
  const at = (t: number) => clock.advance(t - clock.now());
  return { clock, pool, live, at };
}

test("0 → 1: one request at zero starts one instance at once and waits for it in the activator", async () => {
  const { pool, live, at } = knativePool({ initialScale: 0 });
  assert.equal(live(), 0, "initialScale 0: nothing at deploy");
  at(1 * S);
  const answer = pool.invoke({ ms: 3 * S });
  let c = pool.counts();
  assert.equal(c.desired, 1, "ceil(1 / 70) = 1, decided on arrival (no tick to wait for)");
  assert.equal(c.starting, 1);
  assert.equal(c.queued, 1, "held until the instance is ready, not sent to a starting one");
  assert.equal(c.panic, false);
  at(1 * S + STARTUP_MS);
  c = pool.counts();
  assert.deepEqual([c.ready, c.queued, c.inFlight], [1, 0, 1]);
  at(4.5 * S);
  assert.equal((await answer).statusCode, 200);
});

test("scale to zero after the stable window + grace: the last instance stops 30 s after going inactive", () => {
  const { pool, live, at } = knativePool({ initialScale: 0 });
  at(1 * S);
  void pool.invoke({ ms: 3 * S }); // concurrency 1 over [1 s, 4.5 s]
  // Active from the tick at 2 s (ready at 1.5 s). The stable average is > 0 while the 60 s window
  // still holds [1 s, 4.5 s]: until 64.5 s. Tick 66 s: 0 wanted, active 64 s ≥ 60 s → inactive;
  // zero at the first tick 30 s later: 96 s.
  at(64 * S);
  assert.equal(pool.counts().desired, 1);
  at(66 * S);
  assert.equal(live(), 1, "inactive, but still there for the grace period");
  at(94 * S);
  assert.equal(live(), 1);
  at(96 * S);
  assert.equal(live(), 0);
  assert.equal(pool.counts().desired, 0);
});

test("initialScale 1: a fresh revision starts one instance and loses it after the stable window + grace", () => {
  const { live, at } = knativePool();
  assert.equal(live(), 1);
  // Ready at 0.5 s, active from the tick at 2 s; no traffic: inactive at 62 s, zero at 92 s.
  at(91 * S);
  assert.equal(live(), 1);
  at(92 * S);
  assert.equal(live(), 0);
});

test("a burst: panic entry, no decrease in panic, exit 60 s after the last surge, then halving per tick", () => {
  const { pool, at } = knativePool();
  at(10.5 * S);
  for (let i = 0; i < 280; i++) void pool.invoke({ ms: 20 * S }); // 280 requests over [10.5 s, 30.5 s]
  const tick = (t: number) => {
    at(t * S);
    const c = pool.counts();
    return { desired: c.desired, panic: c.panic, live: c.starting + c.ready };
  };
  // 12 s: panic window [6, 12] averages 280 × 1.5 / 6 = 70 → 1 instance; stable 36.5 → 1.
  assert.deepEqual(tick(12), { desired: 1, panic: false, live: 1 });
  // 14 s: panic average 163.3 → dppc 3 on 1 ready = 300 % ≥ 200 %: panic, 3 wanted.
  assert.deepEqual(tick(14), { desired: 3, panic: true, live: 3 });
  // 16 s: panic average 256.7 → 4 (on 3 ready: 133 %, no new surge), the count rises to 4.
  assert.deepEqual(tick(16), { desired: 4, panic: true, live: 4 });
  // The burst ends at 30.5 s; panic holds 4 until 14 s + 60 s has passed (first tick after: 76 s).
  for (let t = 18; t <= 74; t += 2)
    assert.deepEqual(tick(t), { desired: 4, panic: true, live: 4 }, `at ${t} s`);
  // 76 s: out of panic; stable [16, 76] = 280 × 14.5 / 60 = 67.7 → 1, but at most halved: 2.
  assert.deepEqual(tick(76), { desired: 2, panic: false, live: 2 });
  // 78 s: 1 wanted (floor(2 / 2) = 1 allows it).
  assert.deepEqual(tick(78), { desired: 1, panic: false, live: 1 });
  // Active since 2 s: at 92 s the window [32, 92] is empty → inactive; zero 30 s later, at 122 s.
  assert.deepEqual(tick(120), { desired: 1, panic: false, live: 1 });
  assert.deepEqual(tick(122), { desired: 0, panic: false, live: 0 });
});

test("stable-window averaging: a steady load is followed, a short spike is averaged away", () => {
  const { pool, at } = knativePool({ initialScale: 2 });
  at(0.6 * S);
  // 100 steady requests from 0.6 s on (data from 0.5 s, when the 2 instances were ready): the
  // averages are ≈ 100 from the first tick → ceil(100 / 70) = 2 on 2 ready = 100 %, no panic.
  for (let i = 0; i < 100; i++) void pool.invoke({ ms: 300 * S });
  at(60 * S);
  assert.deepEqual([pool.counts().desired, pool.counts().panic], [2, false]);
  // A 1 s spike of 60 more: panic window (6 s) (100 × 6 + 60) / 6 = 110 → 2; stable 101 → 2.
  at(60.5 * S);
  for (let i = 0; i < 60; i++) void pool.invoke({ ms: 1 * S });
  at(62 * S);
  assert.deepEqual([pool.counts().desired, pool.counts().panic], [2, false]);
  pool.killAll();
});

test("minScale and maxScale are minInstances and maxInstances", () => {
  const { pool, live, at } = knativePool({ minInstances: 2, maxInstances: 3, initialScale: 0 });
  at(1 * S);
  assert.equal(live(), 2, "minScale 2 from the start");
  for (let i = 0; i < 1000; i++) void pool.invoke({ ms: 10 * S });
  at(4 * S);
  assert.equal(live(), 3, "never above maxScale");
  at(300 * S);
  assert.equal(live(), 2, "never below minScale");
});

test("requests wait in the activator as long as their timeout allows, then time out (504)", async () => {
  const { pool, at } = knativePool({ initialScale: 0, maxInstances: 1, concurrency: 1, timeout: 5 });
  at(1 * S);
  const first = pool.invoke({ ms: 60 * S });
  const second = pool.invoke({ ms: 1 });
  at(6 * S);
  const late = await second;
  assert.equal(late.failure?.errorType, "TimeoutError");
  assert.equal(late.statusCode, 504);
  assert.equal(late.failure?.timedOut, true);
  pool.killAll();
  await first;
});

test("retire: no timer is left behind", () => {
  const { clock, pool, at } = knativePool();
  at(5 * S);
  void pool.invoke({ ms: 1 * S });
  pool.retire();
  at(10 * S);
  assert.equal(clock.pending, 0);
});
