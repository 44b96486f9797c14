// The scaling knobs of the local platform: policy defaults behind `null`, every problem listed at
// once, cross-field rules on the effective maxInstances, knobs of another policy ignored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveConfig } from "../../../../lib/config/layers";
import { ConfigError } from "../../../../lib/errors";
import type { LocalConfig } from "../../../../platforms/local/schema";
import { localSchema } from "../../../../platforms/local/schema";
import { POLICY_KNOBS, scalingSettings } from "../../../../platforms/local/scaling/settings";

const resolve = (options: Record<string, unknown>) =>
  resolveConfig("local", {}, options, undefined) as LocalConfig;

function problems(options: Record<string, unknown>): string[] {
  try {
    resolve(options);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems;
  }
  return [];
}

test("null concurrency and maxInstances mean the policy's defaults", () => {
  const lambda = scalingSettings(resolve({}));
  assert.deepEqual([lambda.policy, lambda.concurrency, lambda.maxInstances], ["lambda", 1, 16]);
  const run = scalingSettings(resolve({ scaling: "cloudrun" }));
  assert.deepEqual([run.concurrency, run.maxInstances, run.queueTimeoutMs], [80, 100, 10_000]);
  const kpa = scalingSettings(resolve({ scaling: "knative" }));
  assert.deepEqual([kpa.concurrency, kpa.maxInstances, kpa.queueTimeoutMs], [Infinity, 256, null]);
  assert.equal(kpa.targetPerInstance, 70, "100 × 0.7 with unlimited concurrency");
  assert.equal(kpa.panicWindowMs, 6000, "10 % of 60 s");
  assert.equal(kpa.panicThreshold, 2);
  assert.equal(kpa.tickMs, 2000);
  assert.equal(kpa.scaleToZeroGraceMs, 30_000);
  const set = scalingSettings(resolve({ scaling: "knative", concurrency: 10, maxInstances: 3 }));
  assert.deepEqual([set.concurrency, set.maxInstances, set.targetPerInstance], [10, 3, 7]);
});

test("every scaling problem is listed at once", () => {
  const found = problems({
    scaling: "kubernetes",
    panicThreshold: 50,
    targetUtilization: 2,
    stableWindow: 0,
    initialScale: -1,
    concurrencyUtilization: 0.99,
  });
  assert.equal(found.length, 6, JSON.stringify(found, null, 2));
  assert.ok(found.some((p) => /"scaling" must be one of "lambda", "cloudrun", "knative"/.test(p)));
  assert.ok(found.some((p) => /"panicThreshold" must be at least 110 %, got 50/.test(p)));
  assert.ok(found.some((p) => /"targetUtilization" must be at most 1, got 2/.test(p)));
  assert.ok(found.some((p) => /"concurrencyUtilization" must be at most 0\.95/.test(p)));
});

test("minInstances is checked against the effective maxInstances of the policy", () => {
  const [lambda] = problems({ minInstances: 20 });
  assert.match(lambda, /"minInstances" \(20\) must not exceed "maxInstances" \(16\)/);
  assert.deepEqual(problems({ minInstances: 20, scaling: "knative" }), [], "knative's cap is 256");
});

test("initialScale above maxInstances is refused for knative, ignored for the others", () => {
  const [kpa] = problems({ scaling: "knative", maxInstances: 3, initialScale: 5 });
  assert.match(kpa, /"initialScale" \(5\) must not exceed "maxInstances" \(3\)/);
  assert.deepEqual(problems({ maxInstances: 3, initialScale: 5 }), []);
});

test("a knob of another policy is accepted and has no effect", () => {
  const plain = scalingSettings(resolve({}));
  const withKpaKnobs = scalingSettings(resolve({ stableWindow: 6, panicThreshold: 400 }));
  assert.equal(withKpaKnobs.policy, "lambda");
  assert.deepEqual(
    [
      withKpaKnobs.concurrency,
      withKpaKnobs.maxInstances,
      withKpaKnobs.queueTimeoutMs,
      withKpaKnobs.idleTimeoutMs,
    ],
    [plain.concurrency, plain.maxInstances, plain.queueTimeoutMs, plain.idleTimeoutMs],
  );
});

test("every scaling knob is read by some policy, and every policy's knob exists", () => {
  // Knobs of the instance or of map(), not of scaling.
  const general = ["memory", "timeout", "scaling", "environment", "cpu", "maxPayloadBytes"];
  const read = new Set(Object.values(POLICY_KNOBS).flat());
  for (const key of Object.keys(localSchema.fields))
    if (!general.includes(key)) assert.ok(read.has(key as keyof LocalConfig), `${key} is read by a policy`);
  for (const key of read) assert.ok(Object.hasOwn(localSchema.fields, key), `${key} is a knob`);
});
