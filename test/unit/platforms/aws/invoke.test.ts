import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { FaasLabError } from "../../../../lib/errors";
import { awsError, deployed, lambda, testPlatform } from "./helpers";

const REPORT =
  "REPORT RequestId: 6f1e-42\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 265.72 ms\t\n";
const tail = (text: string) => Buffer.from(`START RequestId: 6f1e-42\n${text}`).toString("base64");
const payloadOf = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput["Payload"];

function envelope(coldStart: boolean) {
  return {
    ok: true,
    result: { sum: 3 },
    metrics: {
      requestId: "6f1e-42",
      instanceId: "i-1",
      coldStart,
      instanceInvocations: coldStart ? 1 : 2,
      runtimeMs: 1.5,
    },
    attributes: {},
  };
}

beforeEach(() => lambda.reset());

test("invoke: LogType Tail; the REPORT line gives billedMs, initMs, maxMemoryUsedMb; status and bytes recorded", async () => {
  const body = payloadOf(envelope(true));
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, LogResult: tail(REPORT), Payload: body });
  const { platform } = testPlatform();
  const raw = await platform.invoke(deployed(), { a: 1, b: 2 });
  const input = lambda.commandCalls(InvokeCommand)[0].args[0].input;
  assert.equal(input.LogType, "Tail");
  assert.equal(input.InvocationType, "RequestResponse");
  assert.equal(input.FunctionName, "calc_service");
  assert.equal(input.Payload, '{"a":1,"b":2}');
  assert.equal(raw.failure, null);
  assert.deepEqual(raw.envelope?.result, { sum: 3 });
  assert.equal(raw.billedMs, 662);
  assert.equal(raw.initMs, 265.72);
  assert.equal(raw.maxMemoryUsedMb, 71);
  assert.equal(raw.statusCode, 200);
  assert.equal(raw.responseBytes, body?.byteLength);
  assert.equal(raw.attempts, 1);
});

test("coldStart is cross-checked with Init Duration: Lambda's init wins over a shim that says warm", async () => {
  lambda
    .on(InvokeCommand)
    .resolves({ StatusCode: 200, LogResult: tail(REPORT), Payload: payloadOf(envelope(false)) });
  const { platform } = testPlatform();
  const raw = await platform.invoke(deployed(), null);
  assert.equal(raw.envelope?.metrics.coldStart, true);
  const warm = REPORT.replace("Init Duration: 265.72 ms\t", "");
  lambda
    .on(InvokeCommand)
    .resolves({ StatusCode: 200, LogResult: tail(warm), Payload: payloadOf(envelope(false)) });
  const again = await platform.invoke(deployed(), null);
  assert.equal(again.envelope?.metrics.coldStart, false);
  assert.equal(again.initMs, null);
});

test("a throttled invoke (429) is retried with bounded exponential backoff and every attempt counted", async () => {
  const throttled = () => awsError("TooManyRequestsException", "Rate Exceeded.", 429);
  lambda
    .on(InvokeCommand)
    .rejectsOnce(throttled())
    .rejectsOnce(throttled())
    .resolves({ StatusCode: 200, LogResult: tail(REPORT), Payload: payloadOf(envelope(true)) });
  const { platform, sleeps } = testPlatform();
  const raw = await platform.invoke(deployed(), {});
  assert.equal(raw.attempts, 3);
  assert.equal(raw.failure, null);
  assert.equal(sleeps.length, 2);
  assert.ok(sleeps[0] >= 50 && sleeps[0] <= 100 && sleeps[1] >= 100 && sleeps[1] <= 200, String(sleeps));
});

test("throttled on every attempt: a failed invocation (Throttled, 429), not an exception", async () => {
  lambda.on(InvokeCommand).rejects(awsError("TooManyRequestsException", "Rate Exceeded.", 429));
  const { platform, sleeps } = testPlatform({ throttleBackoff: { attempts: 5, baseMs: 100, maxMs: 300 } });
  const raw = await platform.invoke(deployed(), {});
  assert.equal(raw.attempts, 5);
  assert.equal(raw.statusCode, 429);
  assert.equal(raw.envelope, null);
  assert.equal(raw.failure?.errorType, "Throttled");
  assert.match(raw.failure?.errorMessage ?? "", /5 attempts.*Rate Exceeded/);
  assert.equal(sleeps.length, 4);
  assert.ok(
    sleeps.every((ms) => ms <= 300),
    "the backoff is capped",
  );
});

test("FunctionError Unhandled: a failed invocation with Lambda's errorType and errorMessage", async () => {
  const error = {
    errorType: "Runtime.ExitError",
    errorMessage: "RequestId: x Error: Runtime exited with error: exit status 1",
  };
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    FunctionError: "Unhandled",
    LogResult: tail(REPORT.replace("Max Memory Used: 71", "Max Memory Used: 60")),
    Payload: payloadOf(error),
  });
  const { platform } = testPlatform();
  const raw = await platform.invoke(deployed(), {});
  assert.equal(raw.envelope, null);
  assert.deepEqual(raw.failure, { ...error, timedOut: false });
  assert.equal(raw.statusCode, 200);
  assert.equal(raw.billedMs, 662, "billing figures are kept for failed requests too");
});

test("a Lambda timeout becomes TimeoutError with timedOut, as on local", async () => {
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    FunctionError: "Unhandled",
    Payload: payloadOf({
      errorType: "Sandbox.Timedout",
      errorMessage: "RequestId: x Error: Task timed out after 3.00 seconds",
    }),
  });
  const { platform } = testPlatform();
  const raw = await platform.invoke(deployed(), {});
  assert.equal(raw.failure?.errorType, "TimeoutError");
  assert.equal(raw.failure?.timedOut, true);
  assert.match(raw.failure?.errorMessage ?? "", /Task timed out after 3\.00 seconds/);
});

test("a service error (5xx) is data; a missing function or bad credentials throw a clear FaasLabError", async () => {
  lambda.on(InvokeCommand).rejectsOnce(awsError("ServiceException", "internal", 500));
  const { platform } = testPlatform();
  const raw = await platform.invoke(deployed(), {});
  assert.deepEqual([raw.failure?.errorType, raw.statusCode], ["ServiceException", 500]);

  lambda.reset();
  lambda.on(InvokeCommand).rejects(awsError("ResourceNotFoundException", "Function not found", 404));
  await assert.rejects(platform.invoke(deployed(), {}), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "AWS_FUNCTION_NOT_FOUND");
    assert.equal(e.phase, "invoke");
    return true;
  });
  lambda.reset();
  lambda
    .on(InvokeCommand)
    .rejects(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }));
  await assert.rejects(platform.invoke(deployed(), {}), /no AWS credentials found.*Hint:/);
});

test("an invoke whose signal already fired is a failed invocation with no attempt", async () => {
  const { platform } = testPlatform();
  const controller = new AbortController();
  controller.abort();
  const aborted = await platform.invoke(deployed(), {}, { signal: controller.signal });
  assert.deepEqual([aborted.failure?.errorType, aborted.statusCode, aborted.attempts], ["Aborted", 499, 0]);
  assert.equal(lambda.calls().length, 0);
});

test("one pair of clients per region/endpoint, created once and reused (keep-alive)", async () => {
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(envelope(false)) });
  const { platform } = testPlatform();
  await platform.invoke(deployed(), {});
  await platform.invoke(deployed(), {});
  const other = deployed();
  other.ref = { ...other.ref, region: "eu-west-1" };
  await platform.invoke(other, {});
  const clients = lambda.calls().map((call) => call.thisValue as LambdaClient);
  assert.equal(clients[0], clients[1], "the same client serves every invoke of a region");
  assert.notEqual(clients[0], clients[2]);
  assert.equal(await clients[0].config.region(), "us-east-1");
  assert.equal(await clients[2].config.region(), "eu-west-1");
  assert.equal(await clients[0].config.maxAttempts(), 1, "the adapter retries (and counts) itself");
  await platform.shutdown();
});
