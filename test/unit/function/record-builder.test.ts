import { test } from "node:test";
import assert from "node:assert/strict";
import { toRecord, type ClientTiming } from "../../../lib/function/record-builder";
import type { Deployment, RawInvocation } from "../../../lib/platform";
import type { Envelope, RuntimeMetrics } from "../../../lib/runtime/envelope";

const deployment: Deployment = {
  platform: "local",
  functionName: "hello_world",
  hash: "f".repeat(64),
  config: { memory: 768 },
  ref: {},
  deployedAt: "2024-05-01T10:00:00.000Z",
};

const metrics: RuntimeMetrics = {
  requestId: "req-1",
  instanceId: "inst-1",
  coldStart: true,
  instanceInvocations: 1,
  runtimeMs: 12.25,
  initMs: 40.5,
  startedAt: 1_714_557_600_010,
  endedAt: 1_714_557_600_022,
  platform: "local",
  functionName: "hello_world",
  memoryMb: 512,
  region: "eu-west-1",
  runtime: "nodejs20.0.0",
  cpuType: "Some CPU @ 2.0GHz",
  cpuModel: "85",
  cpuCores: 2,
  architecture: "x86_64",
  hostBootTime: 1_714_000_000,
};

const timing: ClientTiming = {
  startedAt: 1_714_557_600_000,
  endedAt: 1_714_557_600_031,
  roundTripMs: 30.5,
  payloadBytes: 17,
};

function raw(patch: Partial<RawInvocation>): RawInvocation {
  return {
    envelope: null,
    failure: null,
    statusCode: 200,
    responseBytes: 123,
    attempts: 1,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
    ...patch,
  };
}

test("ok envelope: latencyMs = roundTripMs − runtimeMs; result, attributes and metrics carried", () => {
  const envelope: Envelope = {
    ok: true,
    result: { message: "Hello Steve!", n: 3 },
    metrics,
    attributes: { phase: "warm", bytes: 42, flag: true, none: null },
  };
  const r = toRecord(deployment, raw({ envelope, billedMs: 13, maxMemoryUsedMb: 61 }), timing);
  assert.equal(r.failed, false);
  assert.equal(r.timedOut, false);
  assert.equal(r.runtimeMs, metrics.runtimeMs);
  assert.ok(
    Math.abs((r.latencyMs as number) - (timing.roundTripMs - metrics.runtimeMs)) < 1e-9,
    String(r.latencyMs),
  );
  assert.deepEqual(r.result, envelope.result);
  assert.deepEqual(r.attributes, envelope.attributes);
  assert.equal(r.roundTripMs, timing.roundTripMs);
  assert.equal(r.startedAt, timing.startedAt);
  assert.equal(r.endedAt, timing.endedAt);
  assert.equal(r.payloadBytes, timing.payloadBytes);
  assert.equal(r.responseBytes, 123);
  assert.equal(r.statusCode, 200);
  assert.equal(r.billedMs, 13);
  assert.equal(r.maxMemoryUsedMb, 61);
  assert.equal(r.functionName, deployment.functionName);
  assert.equal(r.platform, deployment.platform);
  // the function's own measurement wins over the configured memory
  assert.equal(r.memoryMb, metrics.memoryMb);
  for (const key of [
    "coldStart",
    "instanceId",
    "instanceInvocations",
    "requestId",
    "cpuType",
    "cpuModel",
    "cpuCores",
    "architecture",
    "hostBootTime",
    "region",
    "initMs",
  ] as const) {
    assert.equal(r[key], metrics[key], key);
  }
  assert.equal(r.errorType, null);
  assert.equal(r.errorMessage, null);
  assert.equal(r.errorStack, null);
});

test("latencyMs has no floating-point noise (rounded to µs)", () => {
  const envelope: Envelope = { ok: true, result: 1, metrics: { ...metrics, runtimeMs: 0.1 }, attributes: {} };
  const r = toRecord(deployment, raw({ envelope }), { ...timing, roundTripMs: 0.3 });
  // 0.3 - 0.1 is 0.19999999999999998 in floating point
  assert.equal(r.latencyMs, Math.round((0.3 - 0.1) * 1000) / 1000);
});

test('a false-y result (0, false, null, "") is carried, not dropped', () => {
  for (const result of [0, false, null, ""]) {
    const r = toRecord(deployment, raw({ envelope: { ok: true, result, metrics, attributes: {} } }), timing);
    assert.equal(r.failed, false);
    assert.equal(r.result, result);
  }
});

test("function error envelope: failed, errorType/errorMessage/errorStack, result undefined", () => {
  const error = {
    errorType: "TypeError",
    errorMessage: "x is not a function",
    stack: "TypeError: x is not a function\n    at handler (fn.js:3:5)",
  };
  const envelope: Envelope = {
    ok: false,
    error,
    metrics: { ...metrics, coldStart: false },
    attributes: { before: 1 },
  };
  const r = toRecord(deployment, raw({ envelope }), timing);
  assert.equal(r.failed, true);
  assert.equal(r.timedOut, false);
  assert.equal(r.errorType, error.errorType);
  assert.equal(r.errorMessage, error.errorMessage);
  assert.equal(r.errorStack, error.stack);
  assert.equal(r.result, undefined);
  assert.equal("result" in r, true, "the key exists so every row has the same shape");
  // the function ran, so its timings are known
  assert.equal(r.runtimeMs, metrics.runtimeMs);
  assert.equal(r.coldStart, false);
  assert.deepEqual(r.attributes, { before: 1 });
});

test("platform failure without an envelope: failed, timedOut as given, unknowns are null (never 0)", () => {
  for (const timedOut of [true, false]) {
    const failure = { errorType: timedOut ? "Timeout" : "InstanceCrashed", errorMessage: "boom", timedOut };
    const r = toRecord(
      deployment,
      raw({ failure, statusCode: null, responseBytes: null, instanceId: "inst-9" }),
      timing,
    );
    assert.equal(r.failed, true);
    assert.equal(r.timedOut, timedOut);
    assert.equal(r.errorType, failure.errorType);
    assert.equal(r.errorMessage, failure.errorMessage);
    assert.equal(r.runtimeMs, null);
    assert.equal(r.latencyMs, null);
    assert.equal(r.coldStart, null);
    assert.equal(r.instanceInvocations, null);
    assert.equal(r.cpuType, null);
    assert.equal(r.requestId, null);
    assert.equal(r.result, undefined);
    assert.deepEqual(r.attributes, {});
    assert.equal(r.roundTripMs, timing.roundTripMs, "the client still measured the round trip");
    assert.equal(r.instanceId, "inst-9", "the platform's instance id is used when the function sent none");
    // memory falls back to the deployment's configured value
    assert.equal(r.memoryMb, deployment.config.memory);
  }
});

test("platform failure without any memory information gives memoryMb null", () => {
  const failure = { errorType: "Throttled", errorMessage: "busy", timedOut: false };
  const r = toRecord({ ...deployment, config: {} }, raw({ failure }), timing);
  assert.equal(r.memoryMb, null);
  assert.equal(r.instanceId, null);
});

test("every field of the record is present and unknown ones are null, not 0 or undefined", () => {
  const failure = { errorType: "Crash", errorMessage: "exit 1", timedOut: false };
  const r = toRecord({ ...deployment, config: {} }, raw({ failure, statusCode: null, responseBytes: null }), {
    ...timing,
    payloadBytes: null,
  });
  const numericUnknowns = [
    "runtimeMs",
    "latencyMs",
    "memoryMb",
    "instanceInvocations",
    "cpuCores",
    "hostBootTime",
    "billedMs",
    "initMs",
    "maxMemoryUsedMb",
    "costUsd",
    "statusCode",
    "payloadBytes",
    "responseBytes",
  ] as const;
  for (const key of numericUnknowns) assert.equal(r[key], null, key);
  for (const key of ["experiment", "thread", "run", "seq", "payloadIndex"] as const)
    assert.equal(r[key], null, key);
});
