import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { buildConfigOf, resolveConfig } from "../../../../lib/config/layers";
import { validateConfig } from "../../../../lib/config/schema";
import { ConfigError } from "../../../../lib/errors";
import { packageRoot } from "../../../../lib/paths";
import { defaultCpuForMemory, effectiveCpu, googleSchema } from "../../../../platforms/google/schema";

const shipped = JSON.parse(
  readFileSync(path.join(packageRoot(), "platforms", "google", "defaults.json"), "utf8"),
) as Record<string, unknown>;
const { prices, ...knobs } = shipped;

function problems(options: Record<string, unknown>): string[] {
  try {
    resolveConfig("google", {}, options, undefined);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
  return [];
}

test("defaults.json: valid, covers every field, keeps the Cloud Run price table", () => {
  assert.deepEqual(validateConfig(googleSchema, knobs), []);
  assert.deepEqual(Object.keys(knobs).sort(), Object.keys(googleSchema.fields).sort());
  assert.equal((prices as { model: string }).model, "cloud-run-request");
  assert.equal(knobs.runtime, "nodejs22");
  assert.equal(knobs.public, false, "private unless asked for");
});

test("build keys: where the function lives and its runtime; memory and the rest are service config", () => {
  const build = Object.keys(buildConfigOf("google", resolveConfig("google", {}, {}, undefined))).sort();
  assert.deepEqual(build, ["endpoint", "project", "region", "runtime"]);
});

test("nodejs20 is refused with the reason (decommissioned), not passed to the API", () => {
  const found = problems({ runtime: "nodejs20" });
  assert.equal(found.length, 1);
  assert.match(found[0], /nodejs20.*decommissioned.*2026-10-30.*nodejs22/);
});

test("concurrency > 1 needs 1 vCPU: refused with the reason when the memory's default CPU is less", () => {
  const found = problems({ concurrency: 4, memory: 512 });
  assert.equal(found.length, 1);
  assert.match(found[0], /"concurrency" 4 needs at least 1 vCPU.*0\.333.*default for 512 MB/);
  assert.deepEqual(problems({ concurrency: 4, memory: 512, cpu: 1 }), []);
  assert.deepEqual(problems({ concurrency: 4, memory: 2048 }), [], "2 GB gets 1 vCPU by default");
  assert.match(
    problems({ concurrency: 2, cpu: 0.5 })[0],
    /needs at least 1 vCPU, and the function would get 0.5/,
  );
});

test("every problem is listed at once, and nothing is clamped", () => {
  const found = problems({
    memory: 64,
    timeout: 3601,
    cpu: 3,
    maxInstances: 0,
    ingress: "ALLOW_ALL",
    region: "US Central",
    project: "X",
    environment: { K_SERVICE: "x" },
  });
  const text = found.join("\n");
  for (const needle of [
    "memory",
    "timeout",
    "cpu",
    "maxInstances",
    "ingress",
    "region",
    "project",
    "K_SERVICE",
  ]) {
    assert.match(text, new RegExp(needle), `names ${needle}`);
  }
  assert.match(text, /ALLOW_ALL.*spelled "all"/);
  assert.ok(found.length >= 8, found.join("\n"));
});

test("cpu: whole counts other than 1, 2, 4, 6, 8 are refused; big memory needs more CPU", () => {
  assert.match(problems({ cpu: 3 })[0], /"cpu" 3 is not a vCPU count/);
  assert.match(problems({ memory: 8192, cpu: 1 })[0], /"memory" 8192 MB needs "cpu" 2/);
  assert.deepEqual(problems({ memory: 8192, cpu: 2 }), []);
  assert.match(problems({ minInstances: 5, maxInstances: 2 })[0], /minInstances.*must not exceed/);
});

test("effective CPU: the configured one, else Google's tier for the memory (next tier up between)", () => {
  assert.equal(effectiveCpu({ cpu: null, memory: 256 }), 0.167);
  assert.equal(effectiveCpu({ cpu: null, memory: 2048 }), 1);
  assert.equal(effectiveCpu({ cpu: null, memory: 1500 }), 1);
  assert.equal(effectiveCpu({ cpu: 2, memory: 256 }), 2);
  assert.equal(defaultCpuForMemory(32768), 8);
});
