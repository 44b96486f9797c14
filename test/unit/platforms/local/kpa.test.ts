// Knative's autoscaler decisions as pure functions, against peers.md §6.2: target 70 (100 × 0.7),
// panic at 200 %, scale-up rate 1000, scale-down rate 2, stable window 60 s, grace 30 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CALM,
  kpaDecide,
  kpaScale,
  type ActivityState,
  type KpaSpec,
} from "../../../../platforms/local/scaling/kpa";
import { knativeTarget } from "../../../../platforms/local/scaling/settings";

const S = 1000;
const spec: KpaSpec = {
  targetPerInstance: 70,
  panicThreshold: 2,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  stableWindowMs: 60 * S,
};
const observe = (readyPods: number, stableAverage: number, panicAverage: number, now = 0) => ({
  now,
  readyPods,
  stableAverage,
  panicAverage,
  reachable: true,
});

test("target = containerConcurrency or 100, × utilisation, at least 0.01 (target.go)", () => {
  assert.equal(knativeTarget(null, null, 0.7), 70, "unlimited concurrency: 100 × 0.7");
  assert.equal(knativeTarget(1, null, 0.7), 0.7, "containerConcurrency 1: 0.7");
  assert.equal(knativeTarget(10, 50, 0.7), 7, "a soft target is capped by containerConcurrency");
  assert.equal(knativeTarget(null, 50, 1), 50);
  assert.equal(knativeTarget(null, 0.01, 0.01), 0.01, "never below 0.01");
});

test("stable: desired = ceil(stable average / target), no panic below 200 %", () => {
  const d = kpaDecide(spec, CALM, observe(3, 140, 140));
  assert.equal(d.dspc, 2, "ceil(140 / 70)");
  assert.equal(d.desired, 2, "floor(3 / 2) = 1 allows going down to 2");
  assert.equal(d.panic, false, "dppc / ready = 2 / 3 < 2");
});

test("ready counts as at least 1: one instance's worth of demand at zero is no panic, two are", () => {
  assert.equal(kpaDecide(spec, CALM, observe(0, 70, 70)).panic, false, "dppc 1 / max(1, 0) = 1");
  const burst = kpaDecide(spec, CALM, observe(0, 10, 140));
  assert.equal(burst.panic, true, "dppc 2 / max(1, 0) = 2 ≥ 2");
  assert.equal(burst.desired, 2, "in panic the larger of dspc (1) and dppc (2)");
});

test("scale-down rate 2: at least floor(ready / 2) per tick while reachable; unreachable goes straight down", () => {
  assert.equal(kpaDecide(spec, CALM, observe(10, 0, 0)).desired, 5);
  assert.equal(kpaDecide(spec, CALM, observe(5, 0, 0)).desired, 2);
  assert.equal(kpaDecide(spec, CALM, observe(1, 0, 0)).desired, 0, "floor(1 / 2) = 0");
  assert.equal(kpaDecide(spec, CALM, { ...observe(10, 0, 0), reachable: false }).desired, 0);
});

test("scale-up rate: at most ceil(rate × ready) per tick", () => {
  const slow = { ...spec, maxScaleUpRate: 2.5 };
  assert.equal(kpaDecide(slow, CALM, observe(2, 7000, 0)).desired, 5, "ceil(2.5 × 2), not 100");
  assert.equal(kpaDecide(spec, CALM, observe(2, 7000, 0)).desired, 100, "1000 × 2 is no limit here");
});

test("panic: entry at 200 %, no decrease while panicking, exit after the stable window without a new surge", () => {
  // t = 0: 3 instances' worth in the panic window on 1 ready instance → panic, 3 wanted.
  const t0 = kpaDecide(spec, CALM, observe(1, 70, 210, 0));
  assert.equal(t0.panic, true);
  assert.equal(t0.desired, 3);
  // t = 2 s: demand fell to 1 instance's worth: still panicking, and panic never scales down.
  const t2 = kpaDecide(spec, t0.state, observe(3, 70, 70, 2 * S));
  assert.equal(t2.panic, true);
  assert.equal(t2.desired, 3, "maxPanicPods holds");
  // t = 4 s: a larger surge (dppc 9 / ready 3 = 3 ≥ 2) refreshes the panic time and raises the count.
  const t4 = kpaDecide(spec, t2.state, observe(3, 70, 630, 4 * S));
  assert.equal(t4.desired, 9);
  assert.equal(t4.state.panicSince, 4 * S);
  // Still panicking 60 s after the last surge (the exit needs panicSince + 60 s < now) …
  const t64 = kpaDecide(spec, t4.state, observe(9, 70, 70, 64 * S));
  assert.equal(t64.panic, true);
  assert.equal(t64.desired, 9);
  // … and out of it on the next tick: the stable count again, limited by the scale-down rate.
  const t66 = kpaDecide(spec, t64.state, observe(9, 70, 70, 66 * S));
  assert.equal(t66.panic, false);
  assert.equal(t66.state.maxPanicPods, 0);
  assert.equal(t66.desired, 4, "dspc 1, but floor(9 / 2) = 4 at most removed per tick");
});

const bounds = {
  minScale: 0,
  maxScale: 256,
  initialScale: 1,
  stableWindowMs: 60 * S,
  scaleToZeroGraceMs: 30 * S,
};
const active = (since: number): ActivityState => ({
  activeSince: since,
  inactiveSince: null,
  initialized: true,
});

test("scale to zero: at most 1 until active for the stable window, then inactive for the grace period, then 0", () => {
  let state = active(0);
  let r = kpaScale(bounds, state, 30 * S, 0, 1);
  assert.equal(r.scale, 1, "active 30 s < 60 s: down to at most 1");
  r = kpaScale(bounds, r.state, 60 * S, 0, 1);
  assert.equal(r.scale, null, "active 60 s: marked inactive, the scale is left as it is");
  assert.equal(r.state.inactiveSince, 60 * S);
  state = r.state;
  r = kpaScale(bounds, state, 89 * S, 0, 1);
  assert.equal(r.scale, null, "inactive 29 s < grace 30 s");
  r = kpaScale(bounds, state, 90 * S, 0, 1);
  assert.equal(r.scale, 0, "inactive for the grace period: zero");
});

test("wanted again while inactive: back to active, and the stable window counts anew", () => {
  const inactive: ActivityState = { activeSince: null, inactiveSince: 60 * S, initialized: true };
  const back = kpaScale(bounds, inactive, 70 * S, 2, 1);
  assert.equal(back.scale, 2);
  assert.deepEqual(back.state, { activeSince: 70 * S, inactiveSince: null, initialized: true });
  assert.equal(kpaScale(bounds, back.state, 100 * S, 0, 2).scale, 1, "only 30 s active: at most 1");
});

test("0 → 1 activation: a request at zero scale wants 1, and the revision is activating until ready", () => {
  const atZero: ActivityState = { activeSince: null, inactiveSince: 0, initialized: true };
  const want = kpaDecide(spec, CALM, observe(0, 1, 1)).desired;
  assert.equal(want, 1, "ceil(1 / 70)");
  const r = kpaScale(bounds, atZero, 5 * S, want, 0);
  assert.equal(r.scale, 1);
  assert.deepEqual(r.state, { activeSince: null, inactiveSince: null, initialized: true });
  assert.equal(kpaScale(bounds, r.state, 6 * S, 0, 0).scale, null, "activating: not scaled back to zero");
  assert.equal(kpaScale(bounds, r.state, 6 * S, 1, 1).state.activeSince, 6 * S, "active once ready");
});

test("initialScale raises the minimum until reached once; min/max scale clamp", () => {
  const fresh: ActivityState = { activeSince: null, inactiveSince: null, initialized: false };
  const b = { ...bounds, initialScale: 3, maxScale: 5, minScale: 1 };
  assert.equal(kpaScale(b, fresh, 0, 0, 0).scale, 3);
  const reached = kpaScale(b, fresh, 2 * S, 0, 3);
  assert.equal(reached.state.initialized, true);
  assert.equal(kpaScale(b, reached.state, 4 * S, 0, 3).scale, 1, "then minScale 1");
  assert.equal(kpaScale(b, reached.state, 4 * S, 9, 3).scale, 5, "maxScale 5");
});
