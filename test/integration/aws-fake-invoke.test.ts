// The fake Lambda's Invoke, driven by the raw @aws-sdk/client-lambda client over real HTTP: the
// execution-environment semantics the aws adapter's end-to-end tests rely on (warm reuse, cold
// starts, log tail and REPORT, timeouts, out-of-memory, crashes, errors, limits).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { InvokeCommand, TooManyRequestsException } from "@aws-sdk/client-lambda";
import { isAlive, waitFor } from "../helpers/processes";
import { rawFake } from "./fake-lambda/raw-client";

const raw = rawFake();

describe("invoke: environments, logs and errors", () => {
  before(() => raw.create("inv_fn", { Environment: { Variables: { GREETING: "hello" } }, Timeout: 1 }));

  test("cold then warm on the same environment; REPORT has Init Duration only on the cold call", async () => {
    const cold = await raw.call("inv_fn", { mode: "echo", n: 1 });
    const warm = await raw.call("inv_fn", { mode: "echo", n: 2 });
    assert.equal(cold.out.StatusCode, 200);
    assert.equal(cold.out.FunctionError, undefined);
    assert.equal(cold.out.ExecutedVersion, "$LATEST");
    assert.deepEqual(cold.body.event, { mode: "echo", n: 1 });
    assert.equal(warm.body.pid, cold.body.pid);
    assert.match(
      cold.report,
      /^REPORT RequestId: [\w-]+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t$/,
    );
    assert.doesNotMatch(warm.report, /Init Duration/);
    assert.match(cold.log, /^START RequestId: [\w-]+ Version: \$LATEST$/m);
    assert.deepEqual(
      cold.body.env,
      { name: "inv_fn", memory: "256", region: "us-east-1", greeting: "hello" },
      "no credentials of the caller leak in",
    );
    assert.equal(cold.body.ctx.requestId, cold.out.$metadata.requestId);
    assert.equal(cold.body.ctx.memory, "256");
    assert.ok(cold.body.ctx.remaining > 0 && cold.body.ctx.remaining <= 1000);
    assert.equal(raw.fake.invocationLog.at(-2)?.coldStart, true);
    assert.equal(raw.fake.invocationLog.at(-1)?.coldStart, false);
  });

  test("console output is in the log tail as Lambda's tab-separated lines", async () => {
    const { log } = await raw.call("inv_fn", { mode: "log", who: "the fake" });
    assert.match(log, /\t[\w-]+\tINFO\thello from the fake\n/);
    assert.match(log, /\tERROR\tto stderr\n/);
  });

  test("a thrown error is FunctionError Unhandled with errorType, errorMessage and trace", async () => {
    const { out, body } = await raw.call("inv_fn", { mode: "throw", why: "input" });
    assert.equal(out.FunctionError, "Unhandled");
    assert.equal(body.errorType, "RangeError");
    assert.equal(body.errorMessage, "bad input");
    assert.match(body.trace[0], /RangeError: bad input/);
    const next = await raw.call("inv_fn", { mode: "echo" });
    assert.doesNotMatch(next.report, /Init Duration/, "a handled error keeps the environment");
  });

  test("a timeout kills the environment: Sandbox.Timedout, REPORT Status: timeout, then a cold start", async () => {
    const warm = await raw.call("inv_fn", { mode: "echo" });
    const { out, body, report, log } = await raw.call("inv_fn", { mode: "spin" });
    assert.equal(out.FunctionError, "Unhandled");
    assert.equal(body.errorType, "Sandbox.Timedout");
    assert.match(body.errorMessage, /Task timed out after 1\.00 seconds/);
    assert.match(log, /Task timed out after 1\.00 seconds/);
    assert.match(report, /Duration: 1000\.00 ms.*Status: timeout/);
    assert.ok(await waitFor(() => !isAlive(warm.body.pid as number), 2000));
    const next = await raw.call("inv_fn", { mode: "echo" });
    assert.match(next.report, /Init Duration/);
  });

  test("a crash (process.exit, unhandled rejection) is Runtime.* Unhandled, then a cold start", async () => {
    const exit = await raw.call("inv_fn", { mode: "exit" });
    assert.equal(exit.out.FunctionError, "Unhandled");
    assert.equal(exit.body.errorType, "Runtime.ExitError");
    assert.match(exit.body.errorMessage, /exit status 3/);
    const rejected = await raw.call("inv_fn", { mode: "reject" });
    assert.equal(rejected.body.errorType, "Runtime.UnhandledPromiseRejection");
    assert.match(rejected.body.errorMessage, /nobody waits/);
    assert.match((await raw.call("inv_fn", { mode: "echo" })).report, /Init Duration/);
  });

  test("using more than MemorySize kills the environment: Runtime.OutOfMemory, Max Memory Used = Memory Size", async () => {
    await raw.create("hog_fn", { MemorySize: 128 });
    const { out, body, report } = await raw.call("hog_fn", { mode: "hog" });
    assert.equal(out.FunctionError, "Unhandled");
    assert.equal(body.errorType, "Runtime.OutOfMemory");
    assert.match(
      report,
      /Memory Size: 128 MB\tMax Memory Used: 128 MB\t.*Status: error\tError Type: Runtime.OutOfMemory/,
    );
  });

  test("parallel invokes run on separate environments, which are then reused", async () => {
    const parallel = await Promise.all([1, 2, 3].map(() => raw.call("inv_fn", { mode: "sleep", ms: 200 })));
    const pids = new Set(parallel.map((r) => r.body.pid as number));
    assert.equal(pids.size, 3);
    const again = await Promise.all([1, 2, 3].map(() => raw.call("inv_fn", { mode: "sleep", ms: 200 })));
    assert.deepEqual(new Set(again.map((r) => r.body.pid as number)), pids);
    assert.ok(again.every((r) => !/Init Duration/.test(r.report)));
  });

  test("limits: a response over 6 MB, an unparsable payload, throttling", async () => {
    const big = await raw.call("inv_fn", { mode: "big" });
    assert.equal(big.body.errorType, "Function.ResponseSizeTooLarge");
    await assert.rejects(
      raw.client.send(new InvokeCommand({ FunctionName: "inv_fn", Payload: "{not json" })),
      (e: Error) => e.name === "InvalidRequestContentException",
    );
    raw.fake.failNext("Invoke", 1, "throttle");
    await assert.rejects(
      raw.client.send(new InvokeCommand({ FunctionName: "inv_fn" })),
      (e: unknown) => e instanceof TooManyRequestsException && e.$metadata.httpStatusCode === 429,
    );
  });
});
