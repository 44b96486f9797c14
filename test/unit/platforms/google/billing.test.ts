import { test } from "node:test";
import assert from "node:assert/strict";
import { cost } from "../../../../lib/stats/cost";
import type { Envelope } from "../../../../lib/runtime/envelope";
import { billedMs, cpuAllocated } from "../../../../platforms/google/billing";

const envelope = (runtimeMs: number, coldStart: boolean, initMs: number | null): Envelope =>
  ({ ok: true, metrics: { runtimeMs, coldStart, initMs }, attributes: {} }) as unknown as Envelope;

test("billedMs: the request's time rounded up to 100 ms; a cold start's instance start-up is billed too", () => {
  assert.equal(billedMs(envelope(12, false, null)), 100);
  assert.equal(billedMs(envelope(100, false, null)), 100);
  assert.equal(billedMs(envelope(100.2, false, null)), 200);
  assert.equal(billedMs(envelope(12, true, 250)), 300);
  assert.equal(billedMs(envelope(12, false, 250)), 100, "a warm request does not pay the start-up");
  assert.equal(billedMs(null), null);
});

test("cpuAllocated: the configured vCPU, else Google's default for the memory", () => {
  assert.equal(cpuAllocated({ cpu: null, memory: 512 }), 0.333);
  assert.equal(cpuAllocated({ cpu: 1, memory: 512 }), 1);
});

test("costUsd of a google row: request fee + vCPU-s at the row's cpuAllocated + GiB-s, over billed 100 ms steps", () => {
  const row = { memoryMb: 512, billedMs: 300, runtimeMs: 212, initMs: null, cpuAllocated: 1 };
  const [usd] = cost([row], "google").perInvocationUsd;
  // 0.3 s × (1 vCPU × 0.000024 + 0.5 GiB × 0.0000025) + 0.0000004
  const expected = 0.0000004 + 0.3 * (1 * 0.000024 + 0.5 * 0.0000025);
  assert.ok(usd !== null && Math.abs(usd - expected) < 1e-15, `${usd} vs ${expected}`);
  const [defaultCpu] = cost([{ ...row, cpuAllocated: null }], "google").perInvocationUsd;
  const atTier = 0.0000004 + 0.3 * (0.333 * 0.000024 + 0.5 * 0.0000025);
  assert.ok(defaultCpu !== null && Math.abs(defaultCpu - atTier) < 1e-15, "without it, the memory's tier");
});
