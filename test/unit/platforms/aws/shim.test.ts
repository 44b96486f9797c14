import { test } from "node:test";
import assert from "node:assert/strict";
import { requestPayload, start, type LambdaContext } from "../../../../platforms/aws/shim/handler";

// What Lambda sets in a function's environment (this file runs in its own process).
process.env.AWS_LAMBDA_FUNCTION_NAME = "calc_service";
process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "1024";
process.env.AWS_REGION = "eu-central-1";

const context = (id: string, remainingMs = 3000): LambdaContext => ({
  awsRequestId: id,
  getRemainingTimeInMillis: () => remainingMs,
});

const { handler } = start(async (payload, ctx) => ({
  doubled: (payload as { n: number }).n * 2,
  seen: { name: ctx.functionName, memory: ctx.memory, platform: ctx.platform, region: ctx.region },
  remaining: ctx.getRemainingTimeMs(),
}));

test("the handler returns the envelope as an object: platform aws, memory and region from the environment, cold then warm", async () => {
  const first = await handler({ n: 21 }, context("req-1"));
  const second = await handler({ n: 2 }, context("req-2", 800));
  assert.equal(typeof first, "object", "an object, which Lambda serialises once");
  assert.equal(first.ok, true);
  assert.deepEqual(first.result, {
    doubled: 42,
    seen: { name: "calc_service", memory: 1024, platform: "aws", region: "eu-central-1" },
    remaining: (first.result as { remaining: number }).remaining,
  });
  assert.equal(first.metrics.platform, "aws");
  assert.equal(first.metrics.memoryMb, 1024);
  assert.equal(first.metrics.region, "eu-central-1");
  assert.equal(first.metrics.functionName, "calc_service");
  assert.equal(first.metrics.requestId, "req-1");
  assert.deepEqual([first.metrics.coldStart, second.metrics.coldStart], [true, false]);
  assert.equal(second.metrics.instanceId, first.metrics.instanceId);
  const remaining = (second.result as { remaining: number }).remaining;
  assert.ok(
    remaining <= 800 && remaining > 700,
    `the deadline comes from getRemainingTimeInMillis (${remaining})`,
  );
});

test("a function error is an ok:false envelope (not a Lambda FunctionError)", async () => {
  const { handler: failing } = start(async () => {
    throw new RangeError("bad input");
  });
  const envelope = await failing({}, context("req-3"));
  assert.equal(envelope.ok, false);
  assert.equal(envelope.error?.errorType, "RangeError");
  assert.equal(envelope.error?.errorMessage, "bad input");
});

test("through a function URL the payload is the JSON body of the HTTP event", () => {
  const http = { version: "2.0", rawPath: "/", requestContext: { http: { method: "POST" } } };
  assert.deepEqual(requestPayload({ ...http, body: '{"n":5}' }), { n: 5 });
  assert.deepEqual(
    requestPayload({ ...http, body: Buffer.from('{"n":6}').toString("base64"), isBase64Encoded: true }),
    { n: 6 },
  );
  assert.equal(requestPayload({ ...http }), null);
  assert.equal(requestPayload({ ...http, body: "plain" }), "plain");
  assert.deepEqual(
    requestPayload({ n: 7, version: "2.0" }),
    { n: 7, version: "2.0" },
    "a plain event is the payload",
  );
});
