import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../../lib/errors";
import { resolveOptions } from "../../../lib/experiment/options";

test("defaults: one thread, one run, one empty payload, no shuffle, seed 42, a dated name", () => {
  const resolved = resolveOptions({}, new Date("2026-11-22T07:05:09Z"));
  assert.deepEqual(resolved.plan, { mode: "closed", threads: 1, runsPerThread: 1, warmup: 0, sleepMs: 0 });
  assert.deepEqual(resolved.payloads, [{}]);
  assert.equal(resolved.shuffle, false);
  assert.equal(resolved.seed, 42);
  assert.equal(resolved.name, "exp-20261122-070509");
  assert.equal(resolved.onError, "record");
});

test("open-loop options select the open loop with its defaults", () => {
  const resolved = resolveOptions({ rps: 100, durationS: 2 });
  assert.deepEqual(resolved.plan, {
    mode: "open",
    rps: 100,
    durationS: 2,
    arrival: "poisson",
    maxInFlight: 1000,
  });
});

test("every problem is listed at once", () => {
  const bad = {
    threads: 0,
    runsPerThread: 1.5,
    payloads: [],
    name: "../escape",
    onError: "ignore",
    tags: { ok: 1, nested: { no: true } },
  } as unknown as Parameters<typeof resolveOptions>[0];
  assert.throws(
    () => resolveOptions(bad),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 6, error.problems.join("\n"));
      for (const word of ["threads", "runsPerThread", "payloads", "name", "onError", "nested"]) {
        assert.ok(
          error.problems.some((p) => p.includes(word)),
          `no problem names ${word}`,
        );
      }
      return true;
    },
  );
});

test("closed- and open-loop options together are rejected, and the open loop needs rps and durationS", () => {
  assert.throws(() => resolveOptions({ threads: 2, rps: 10, durationS: 1 }), /either closed-loop/);
  assert.throws(
    () => resolveOptions({ arrival: "uniform" }),
    (e: unknown) => {
      const problems = (e as ConfigError).problems;
      return problems.some((p) => p.includes('"rps"')) && problems.some((p) => p.includes('"durationS"'));
    },
  );
});

test("a name that could escape the experiments folder or clash with run-N folders is rejected", () => {
  for (const name of ["a/b", "..", ".hidden", "run-2", "", "x".repeat(201)]) {
    assert.throws(() => resolveOptions({ name }), ConfigError, name);
  }
  assert.equal(resolveOptions({ name: "t_test_demo" }).name, "t_test_demo");
});
