import { test } from "node:test";
import assert from "node:assert/strict";
import {
  requestIdOf,
  requestPayload,
  start,
  type HttpResponse,
} from "../../../../platforms/google/shim/handler";

function response(): HttpResponse & { code: number; headers: Record<string, string>; body: string } {
  const res = {
    code: 0,
    headers: {} as Record<string, string>,
    body: "",
    status(code: number) {
      res.code = code;
      return res;
    },
    set(field: string, value: string) {
      res.headers[field] = value;
      return res;
    },
    send(body: string) {
      res.body = body;
    },
  };
  return res;
}

test("the HTTP entry answers the envelope; the faaslab name, memory and region come from FAASLAB_*", async () => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    K_SERVICE: "hello-world-35072c",
    K_REVISION: "hello-world-35072c-00002-abc",
    FAASLAB_FUNCTION_NAME: "hello_world",
    FAASLAB_MEMORY_MB: "512",
    FAASLAB_REGION: "europe-west1",
    FAASLAB_TIMEOUT_S: "30",
  });
  try {
    const { faaslab } = start(async (payload: unknown, ctx) => ({
      payload,
      name: ctx.functionName,
      memory: ctx.memory,
      region: ctx.region,
      remaining: ctx.getRemainingTimeMs(),
    }));
    const res = response();
    await faaslab(
      { body: { n: 1 }, rawBody: Buffer.from('{"n":1}'), headers: { "function-execution-id": "exec-1" } },
      res,
    );
    assert.equal(res.code, 200);
    assert.equal(res.headers["content-type"], "application/json");
    const envelope = JSON.parse(res.body);
    assert.equal(envelope.ok, true);
    assert.deepEqual(envelope.result.payload, { n: 1 });
    assert.equal(envelope.result.name, "hello_world");
    assert.equal(envelope.result.memory, 512);
    assert.equal(envelope.result.region, "europe-west1");
    assert.ok(envelope.result.remaining > 0 && envelope.result.remaining <= 30_000);
    assert.equal(envelope.metrics.requestId, "exec-1");
    assert.equal(envelope.metrics.platform, "google");
  } finally {
    process.env = saved;
  }
});

test("a thrown error is an ok:false envelope with status 200, never the framework's bare 500", async () => {
  const { faaslab } = start(async () => {
    throw new TypeError("boom");
  });
  const res = response();
  await faaslab({ body: "null", headers: {} }, res);
  assert.equal(res.code, 200);
  const envelope = JSON.parse(res.body);
  assert.equal(envelope.ok, false);
  assert.equal(envelope.error.errorType, "TypeError");
  assert.equal(envelope.error.errorMessage, "boom");
});

test("payloads: parsed JSON, JSON text sent as text/plain, raw bytes, and no body at all", () => {
  assert.deepEqual(requestPayload({ body: { a: 1 }, rawBody: Buffer.from('{"a":1}'), headers: {} }), {
    a: 1,
  });
  assert.equal(requestPayload({ body: "null", headers: {} }), null);
  assert.equal(requestPayload({ body: "5", headers: {} }), 5);
  assert.equal(requestPayload({ body: Buffer.from('"s"'), headers: {} }), "s");
  assert.equal(requestPayload({ body: "not json", headers: {} }), "not json");
  assert.equal(requestPayload({ body: {}, headers: {} }), null);
  assert.deepEqual(requestPayload({ body: {}, rawBody: Buffer.from("{}"), headers: {} }), {});
});

test("request ids: the execution id header, else the trace id", () => {
  assert.equal(requestIdOf({ "function-execution-id": "e1" }), "e1");
  assert.equal(requestIdOf({ "x-cloud-trace-context": "abc123/456;o=1" }), "abc123");
  assert.equal(requestIdOf({}), null);
});
