import assert from "node:assert/strict";
import { test } from "node:test";
import type { InvocationRecord } from "../../../lib";
import { answerFor } from "../../../lib/serve/answer";

function record(overrides: Partial<InvocationRecord>): InvocationRecord {
  return {
    experiment: null,
    functionName: "f",
    platform: "local",
    memoryMb: 512,
    thread: null,
    run: null,
    seq: null,
    payloadIndex: null,
    requestId: "req-1",
    startedAt: 1,
    endedAt: 2,
    roundTripMs: 9,
    runtimeMs: 4.25,
    latencyMs: 4.75,
    coldStart: false,
    instanceId: "inst-1",
    instanceInvocations: 2,
    cpuType: "x",
    cpuModel: null,
    cpuCores: 2,
    architecture: "x64",
    hostBootTime: null,
    region: null,
    cpuAllocated: null,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
    costUsd: null,
    failed: false,
    timedOut: false,
    errorType: null,
    errorMessage: null,
    errorStack: null,
    attempts: 1,
    retryDelayMs: 0,
    statusCode: 200,
    payloadBytes: 2,
    responseBytes: 10,
    result: { ok: true },
    attributes: { phase: "x" },
    ...overrides,
  };
}

test("a result is 200 with the instance, cold start, request id and Server-Timing headers", () => {
  const answer = answerFor(record({}), false);
  assert.equal(answer.status, 200);
  assert.deepEqual(JSON.parse(answer.body), { ok: true });
  assert.equal(answer.headers["x-faaslab-instance-id"], "inst-1");
  assert.equal(answer.headers["x-faaslab-cold-start"], "false");
  assert.equal(answer.headers["x-faaslab-request-id"], "req-1");
  assert.equal(answer.headers["server-timing"], "fn;dur=4.25");
});

test("unknown facts are left out, never invented; undefined is null; a non-ASCII id is percent-encoded", () => {
  const answer = answerFor(
    record({ runtimeMs: null, coldStart: null, instanceId: "été", result: undefined }),
    false,
  );
  assert.equal(answer.headers["server-timing"], undefined);
  assert.equal(answer.headers["x-faaslab-cold-start"], undefined);
  assert.equal(answer.headers["x-faaslab-instance-id"], "%C3%A9t%C3%A9");
  assert.equal(answer.body, "null");
});

test("failures: Throttled 429, timeout 504, anything else 500, each with type and message", () => {
  const failed = { failed: true, result: undefined, requestId: null };
  const cases: [Partial<InvocationRecord>, number][] = [
    [{ ...failed, errorType: "Throttled", errorMessage: "busy", statusCode: 429 }, 429],
    [{ ...failed, errorType: "Throttled", errorMessage: "busy", statusCode: null }, 429],
    [{ ...failed, errorType: "TimeoutError", errorMessage: "late", timedOut: true, statusCode: 504 }, 504],
    [{ ...failed, errorType: "RangeError", errorMessage: "bad", errorStack: "RangeError: bad" }, 500],
    [{ ...failed, errorType: "InstanceCrashed", errorMessage: "exit 3" }, 500],
  ];
  for (const [overrides, status] of cases) {
    const answer = answerFor(record(overrides), false);
    assert.equal(answer.status, status, String(overrides.errorType));
    const body = JSON.parse(answer.body) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, overrides.errorType);
    assert.equal(body.errorMessage, overrides.errorMessage);
  }
});

test("asked for the envelope, a record that came from one answers it whole; a platform failure does not", () => {
  const answer = answerFor(record({}), true);
  assert.equal(answer.headers["x-faaslab-envelope"], "1");
  const envelope = JSON.parse(answer.body) as {
    ok: boolean;
    result: unknown;
    metrics: Record<string, unknown>;
    attributes: unknown;
  };
  assert.equal(envelope.ok, true);
  assert.deepEqual(envelope.result, { ok: true });
  assert.equal(envelope.metrics.instanceInvocations, 2);
  assert.deepEqual(envelope.attributes, { phase: "x" });
  const thrownAnswer = answerFor(
    record({ failed: true, result: undefined, errorType: "E", errorMessage: "m", errorStack: "s" }),
    true,
  );
  assert.equal(thrownAnswer.status, 200, "the function ran: its envelope says it failed, as a shim's does");
  const thrown = JSON.parse(thrownAnswer.body) as { ok: boolean; error: unknown };
  assert.deepEqual(thrown, {
    ...thrown,
    ok: false,
    error: { errorType: "E", errorMessage: "m", stack: "s" },
  });
  const throttled = answerFor(
    record({ failed: true, requestId: null, errorType: "Throttled", errorMessage: "x" }),
    true,
  );
  assert.equal(throttled.headers["x-faaslab-envelope"], undefined);
  assert.equal(throttled.status, 429);
});
