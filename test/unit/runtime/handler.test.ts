import { test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { createHandler, type FunctionContext, type UserFunction } from "../../../lib/runtime/handler";
import { currentInstance, type RuntimeInfo } from "../../../lib/runtime/instance";
import type { Envelope } from "../../../lib/runtime/envelope";

// The instance is process state (as in a real deployed function); node --test runs each file in its
// own process, and the first test below is the first request this process serves.
const info: RuntimeInfo = { functionName: "unit_fn", platform: "local", memoryMb: 256, region: "local-1" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;

async function run(
  fn: UserFunction,
  payload: unknown = {},
  deadlineInMs = 60_000,
): Promise<{ text: string; envelope: Envelope }> {
  const text = await createHandler(fn, info)(payload, {
    requestId: `req-${++seq}`,
    deadline: Date.now() + deadlineInMs,
  });
  assert.equal(typeof text, "string", "the handler returns the serialised envelope");
  return { text, envelope: JSON.parse(text) as Envelope };
}

test("coldStart is true only on the first request of the instance", async () => {
  assert.equal(currentInstance(), null, "premise: no request served yet in this process");
  const handler = createHandler(async () => "ok", info);
  const first = JSON.parse(await handler(null, { requestId: "a", deadline: Date.now() + 1000 })) as Envelope;
  const second = JSON.parse(await handler(null, { requestId: "b", deadline: Date.now() + 1000 })) as Envelope;
  const third = (await run(async () => "ok")).envelope;
  assert.deepEqual(
    [first.metrics.coldStart, second.metrics.coldStart, third.metrics.coldStart],
    [true, false, false],
  );
  assert.deepEqual(
    [first, second, third].map((e) => e.metrics.instanceInvocations),
    [1, 2, 3],
  );
  assert.equal(typeof first.metrics.initMs, "number");
  assert.equal(second.metrics.initMs, null, "init time is reported on the cold request only");
  assert.equal(new Set([first, second, third].map((e) => e.metrics.instanceId)).size, 1, "one instance id");
  assert.equal(first.metrics.requestId, "a");
  assert.equal(second.metrics.requestId, "b");
});

test("ok: the result is serialised exactly once, straight into the envelope string", async () => {
  let serialisations = 0;
  const result = {
    message: "Hello Steve!",
    toJSON() {
      serialisations += 1;
      return { message: this.message };
    },
  };
  const { text, envelope } = await run(async () => result);
  assert.equal(serialisations, 1);
  assert.equal(envelope.ok, true);
  assert.deepEqual(envelope.result, { message: "Hello Steve!" });
  assert.ok(text.includes(`"result":${JSON.stringify({ message: "Hello Steve!" })}`), text);
});

test("the payload and a context describing the function reach the user function", async () => {
  let seen: { payload: unknown; ctx: FunctionContext } | null = null;
  const deadline = Date.now() + 5000;
  const handler = createHandler((payload, ctx) => {
    seen = { payload, ctx };
    return 1;
  }, info);
  const envelope = JSON.parse(await handler({ name: "Ann" }, { requestId: "ctx-1", deadline })) as Envelope;
  assert.ok(seen);
  const { payload, ctx } = seen as { payload: unknown; ctx: FunctionContext };
  assert.deepEqual(payload, { name: "Ann" });
  assert.equal(ctx.requestId, "ctx-1");
  assert.equal(ctx.deadline, deadline);
  assert.equal(ctx.functionName, info.functionName);
  assert.equal(ctx.memory, info.memoryMb);
  assert.equal(ctx.platform, info.platform);
  assert.equal(ctx.region, info.region);
  assert.equal(envelope.result, 1, "a synchronous function works too");
  assert.equal(envelope.metrics.functionName, info.functionName);
  assert.equal(envelope.metrics.memoryMb, info.memoryMb);
});

test("ctx.getRemainingTimeMs decreases and never goes below 0", async () => {
  const { envelope } = await run(
    async (_p, ctx) => {
      const first = ctx.getRemainingTimeMs();
      await sleep(30);
      return { first, second: ctx.getRemainingTimeMs() };
    },
    {},
    10_000,
  );
  const { first, second } = envelope.result as { first: number; second: number };
  assert.ok(first <= 10_000 && first > 9_000, String(first));
  assert.ok(first - second >= 29, `${first} → ${second}`);
  const late = await run(async (_p, ctx) => ctx.getRemainingTimeMs(), {}, -500);
  assert.equal(late.envelope.result, 0);
});

test("a thrown Error gives ok false with its name, message and stack", async () => {
  class QuotaError extends Error {
    name = "QuotaError";
  }
  const { envelope } = await run(async () => {
    throw new QuotaError("quota exceeded");
  });
  assert.equal(envelope.ok, false);
  assert.equal("result" in envelope, false);
  assert.equal(envelope.error?.errorType, "QuotaError");
  assert.equal(envelope.error?.errorMessage, "quota exceeded");
  assert.match(envelope.error?.stack ?? "", /^QuotaError: quota exceeded\n\s+at /);
  const sync = await run(() => {
    throw new RangeError("bad index");
  });
  assert.equal(sync.envelope.error?.errorType, "RangeError", "synchronous throws are caught too");
});

test("a thrown string or object is carried as text, without a stack (errorType NonErrorThrown)", async () => {
  const str = (await run(async () => Promise.reject("plain failure"))).envelope;
  assert.equal(str.ok, false);
  assert.deepEqual(str.error, { errorType: "NonErrorThrown", errorMessage: "plain failure", stack: null });
  const obj = (
    await run(() => {
      throw { code: 42 };
    })
  ).envelope;
  assert.deepEqual(obj.error, {
    errorType: "NonErrorThrown",
    errorMessage: JSON.stringify({ code: 42 }),
    stack: null,
  });
  const nothing = (
    await run(() => {
      throw undefined;
    })
  ).envelope;
  assert.equal(nothing.ok, false);
  assert.equal(nothing.error?.errorMessage, "undefined");
});

test("BigInt, circular, function and symbol results give ResultNotSerializable", async () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const results: [string, unknown][] = [
    ["bigint", { n: 10n }],
    ["circular", circular],
    ["function", () => 1],
    ["symbol", Symbol("s")],
  ];
  for (const [label, value] of results) {
    const { text, envelope } = await run(async () => value);
    assert.equal(envelope.ok, false, label);
    assert.equal(envelope.error?.errorType, "ResultNotSerializable", label);
    assert.match(envelope.error?.errorMessage ?? "", /JSON/, label);
    assert.doesNotThrow(() => JSON.parse(text), label);
  }
});

test('an undefined result becomes null; null, 0, false and "" stay as they are', async () => {
  for (const value of [undefined, null, 0, false, ""]) {
    const { envelope } = await run(async () => value);
    assert.equal(envelope.ok, true);
    assert.equal(envelope.result, value === undefined ? null : value);
  }
});

test("inspector attributes land in envelope.attributes, also when the function fails", async () => {
  const ok = await run(async (_p, ctx) => {
    ctx.inspector.addAttribute("items", 3);
    ctx.inspector.addAttribute("meta", { a: 1 });
    await sleep(5);
    ctx.inspector.addTimeStamp("work");
    return "done";
  });
  assert.equal(ok.envelope.attributes.items, 3);
  assert.equal(ok.envelope.attributes.meta, JSON.stringify({ a: 1 }));
  assert.ok((ok.envelope.attributes.work as number) >= 4);
  const failed = await run(async (_p, ctx) => {
    ctx.inspector.addAttribute("stage", "parse");
    throw new Error("parse error");
  });
  assert.equal(failed.envelope.ok, false);
  assert.deepEqual(failed.envelope.attributes, { stage: "parse" });
});

test("metrics.runtimeMs covers the function's work and fits inside the caller's measurement", async () => {
  const t0 = performance.now();
  const { envelope } = await run(async () => {
    await sleep(30);
    return 1;
  });
  const outer = performance.now() - t0;
  assert.ok(envelope.metrics.runtimeMs >= 29, String(envelope.metrics.runtimeMs));
  assert.ok(envelope.metrics.runtimeMs <= outer, `${envelope.metrics.runtimeMs} ≤ ${outer}`);
  assert.ok(envelope.metrics.endedAt >= envelope.metrics.startedAt);
  assert.equal(envelope.metrics.runtime, `nodejs${process.versions.node}`);
});
