// What goes wrong on `aws`, end to end through the real LambdaClient and the fake Lambda: function
// errors, timeouts, out-of-memory and crashes are failed rows (data); throttling is retried and
// counted; IAM propagation is waited out; credentials and package size problems are clear errors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cloudFunction, experiment, FaasLabError } from "../../lib";
import { functionFiles } from "../helpers/workspace";
import { startFakeLambda, type FakeLambda, type FakeLambdaOptions } from "./fake-lambda/server";
import { fakeAwsSuite } from "./fake-lambda/suite";

const suite = fakeAwsSuite("aws-e2e-failures");

/** A fake of its own (new endpoint → new SDK clients, which resolve credentials afresh). */
async function withOwnFake(
  options: FakeLambdaOptions,
  body: (fake: FakeLambda) => Promise<void>,
): Promise<void> {
  const fake = await startFakeLambda(options);
  try {
    await body(fake);
  } finally {
    await fake.close();
  }
}

async function withEnv(vars: Record<string, string | undefined>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    await body();
  } finally {
    apply(saved);
  }
}

test("a function error is a failed row with the error, still billed and priced", async () => {
  const f = cloudFunction(
    "e2e_throws",
    async (p: { why: string }) => {
      throw new TypeError(`nope: ${p.why}`);
    },
    { platform: "aws", config: suite.config() },
  );
  const r = await experiment(f, { threads: 1, runsPerThread: 2, payloads: [{ why: "a" }], name: "e2e_fail" });
  assert.equal(r.rows.length, 2);
  for (const row of r.rows) {
    assert.equal(row.failed, true);
    assert.equal(row.errorType, "TypeError");
    assert.equal(row.errorMessage, "nope: a");
    assert.equal(typeof row.billedMs, "number");
    assert.equal(typeof row.costUsd, "number");
  }
});

test("a timeout is a failed, timedOut record billed for the whole timeout; the next call is cold", async () => {
  const f = cloudFunction(
    "e2e_slow",
    async (p: { ms: number }) => {
      await new Promise((resolve) => setTimeout(resolve, p.ms));
      return "done";
    },
    { platform: "aws", config: suite.config({ timeout: 1 }) },
  );
  const record = await f.invoke({ ms: 2500 });
  assert.equal(record.failed, true);
  assert.equal(record.timedOut, true);
  assert.equal(record.errorType, "TimeoutError");
  assert.match(record.errorMessage ?? "", /Task timed out after 1\.00 seconds/);
  assert.ok(record.billedMs !== null && record.billedMs >= 1000);
  const next = await f.invoke({ ms: 0 });
  assert.equal(next.failed, false);
  assert.equal(next.coldStart, true);
});

test("exceeding the memory size is an OutOfMemory row; a crash is a Runtime.ExitError row", async () => {
  const f = cloudFunction(
    "e2e_hog",
    async (p: { mode: string }) => {
      if (p.mode === "exit") process.exit(7);
      const keep: Buffer[] = [];
      for (let i = 0; i < 64; i++) {
        keep.push(Buffer.alloc(8 << 20, 1));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return keep.length;
    },
    { platform: "aws", config: suite.config({ memory: 128 }) },
  );
  const oom = await f.invoke({ mode: "hog" });
  assert.equal(oom.failed, true);
  assert.equal(oom.errorType, "OutOfMemory");
  assert.equal(oom.maxMemoryUsedMb, 128);
  const crash = await f.invoke({ mode: "exit" });
  assert.equal(crash.failed, true);
  assert.equal(crash.errorType, "Runtime.ExitError");
  assert.match(crash.errorMessage ?? "", /exit status 7/);
});

test("throttling (429) is retried with backoff and counted in attempts", async () => {
  const f = cloudFunction("e2e_throttled", async () => "ok", { platform: "aws", config: suite.config() });
  await f.deploy();
  suite.fake.failNext("Invoke", 2, "throttle");
  const record = await f.invoke(null);
  assert.equal(record.failed, false, record.errorMessage ?? "");
  assert.equal(record.attempts, 3);
  assert.equal(record.result, "ok");
  // The default backoff waits at least 50 + 100 ms (equal jitter of 100 and 200 ms steps): that is
  // retryDelayMs, and it is not in roundTripMs (the answering attempt) or latencyMs.
  assert.ok(record.retryDelayMs >= 148, `retryDelayMs ${record.retryDelayMs}`);
  const wholeCallMs = record.endedAt - record.startedAt;
  assert.ok(
    record.roundTripMs <= wholeCallMs - record.retryDelayMs + 2,
    `roundTripMs ${record.roundTripMs} + retryDelayMs ${record.retryDelayMs} fit in the call's ${wholeCallMs} ms`,
  );
  assert.equal(record.latencyMs, Math.round((record.roundTripMs - (record.runtimeMs ?? 0)) * 1000) / 1000);
});

test("an unthrottled call waits nothing between attempts", async () => {
  const f = cloudFunction("e2e_unthrottled", async () => "ok", { platform: "aws", config: suite.config() });
  const record = await f.invoke(null);
  assert.equal(record.attempts, 1);
  assert.equal(record.retryDelayMs, 0);
});

test("a role IAM has not propagated yet: CreateFunction is retried and the deploy succeeds", async () => {
  const f = cloudFunction("e2e_new_role", async () => 1, { platform: "aws", config: suite.config() });
  suite.fake.failNext("CreateFunction", 1, "roleNotAssumable");
  const mark = suite.fake.calls.length;
  assert.equal(await f(null), 1);
  const creates = suite.callsSince(mark).filter((c) => c.startsWith("CreateFunction"));
  assert.deepEqual(creates, ["CreateFunction 400", "CreateFunction 201"]);
  assert.match(
    readFileSync(functionFiles(suite.workspace, "e2e_new_role").deployLog, "utf8"),
    /cannot be assumed/,
  );
});

test("no credentials, or credentials Lambda refuses: a FaasLabError naming the problem", async () => {
  await withOwnFake({}, async (fake) => {
    const f = cloudFunction("e2e_no_creds", async () => 1, {
      platform: "aws",
      config: { ...suite.config(), endpoint: fake.endpoint },
    });
    await withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, async () => {
      await assert.rejects(f.deploy(), (e: unknown) => {
        assert.ok(e instanceof FaasLabError, String(e));
        assert.equal(e.code, "AWS_CREDENTIALS");
        assert.match(e.message, /no AWS credentials/);
        return true;
      });
    });
  });
  await withOwnFake({}, async (fake) => {
    const f = cloudFunction("e2e_bad_creds", async () => 1, {
      platform: "aws",
      config: { ...suite.config(), endpoint: fake.endpoint },
    });
    await withEnv({ AWS_ACCESS_KEY_ID: "AKIAINVALIDKEY000000" }, async () => {
      await assert.rejects(f.deploy(), (e: unknown) => {
        assert.ok(e instanceof FaasLabError, String(e));
        assert.equal(e.code, "AWS_CREDENTIALS");
        assert.match(e.message, /UnrecognizedClientException/);
        return true;
      });
    });
  });
});

test("a package over Lambda's limits (request size, unzipped size) is AWS_PACKAGE_TOO_LARGE", async () => {
  for (const limits of [{ requestLimitBytes: 2000 }, { unzippedLimitBytes: 1000 }]) {
    await withOwnFake(limits, async (fake) => {
      const f = cloudFunction("e2e_too_big", async () => 1, {
        platform: "aws",
        config: { ...suite.config(), endpoint: fake.endpoint },
      });
      await assert.rejects(f.deploy(), (e: unknown) => {
        assert.ok(e instanceof FaasLabError, String(e));
        assert.equal(e.code, "AWS_PACKAGE_TOO_LARGE", `${JSON.stringify(limits)}: ${e.message}`);
        return true;
      });
    });
  }
});
