// faaslab on `aws` end to end: the public API → the aws adapter → the real LambdaClient → HTTP on
// 127.0.0.1 → the fake Lambda, which unpacks the uploaded zip and runs it in child processes.
// Deploy (create, then update), reconfigure, the billing fields of records, an experiment with
// costs, forced cold starts and remove.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { GetFunctionCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import {
  cloudFunction,
  experiment,
  forceColdStart,
  reconfigure,
  type CloudFunction,
  type InvocationRecord,
} from "../../lib";
import { isAlive, waitFor } from "../helpers/processes";
import { fakeAwsSuite, TEST_ROLE } from "./fake-lambda/suite";

const suite = fakeAwsSuite("aws-e2e");
const NAME = "e2e_calc";
const PRICES = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../../platforms/aws/defaults.json"), "utf8"),
).prices as { requestUsd: number; gbSecondUsd: Record<string, number> };

const calc = async (p: { n: number }) => ({ square: p.n * p.n });
const calcV2 = async (p: { n: number }) => ({ square: p.n * p.n, cube: p.n ** 3 });

const settings = () => suite.fake.functions().find((f) => f.name === NAME)?.configuration ?? {};
const entryOf = (record: InvocationRecord) =>
  suite.fake.invocationLog.find((e) => e.requestId === record.requestId);
// One handle for the redefined function: reconfigure() lasts until the function is defined again.
let handle: CloudFunction<{ n: number }, unknown> | undefined;
const v2 = () =>
  (handle ??= cloudFunction(NAME, calcV2, {
    platform: "aws",
    config: suite.config({ memory: 1024, timeout: 10 }),
  }));

test("the first call creates the function, waits until Active (the waiter polls), then invokes", async () => {
  const f = cloudFunction(NAME, calc, { platform: "aws", config: suite.config({ memory: 1024 }) });
  const mark = suite.fake.calls.length;
  assert.deepEqual(await f({ n: 5 }), { square: 25 });
  const calls = suite.callsSince(mark);
  assert.deepEqual(calls.slice(0, 2), ["GetFunction 404", "CreateFunction 201"]);
  const polls = calls.slice(2, -1);
  assert.ok(
    polls.length >= 2 && polls.every((c) => c === "GetFunction 200"),
    `waiter polls: ${calls.join(", ")}`,
  );
  assert.equal(calls.at(-1), "Invoke 200");
  const s = settings();
  assert.deepEqual(
    [s.State, s.MemorySize, s.Timeout, s.Runtime, s.Handler, s.Role, s.Architectures],
    ["Active", 1024, 3, "nodejs22.x", "index.handler", TEST_ROLE, ["arm64"]],
  );
});

test("changed source: UpdateFunctionCode, wait, UpdateFunctionConfiguration, wait — no create", async () => {
  const mark = suite.fake.calls.length;
  const record = await v2().invoke({ n: 2 });
  assert.deepEqual(record.result, { square: 4, cube: 8 });
  assert.equal(record.coldStart, true, "new code runs in a new execution environment");
  const calls = suite.callsSince(mark);
  const code = calls.indexOf("UpdateFunctionCode 200");
  const configuration = calls.indexOf("UpdateFunctionConfiguration 200");
  assert.ok(code >= 0 && configuration > code, calls.join(", "));
  assert.ok(
    calls.slice(code + 1, configuration).includes("GetFunction 200"),
    "waited between the two updates",
  );
  assert.ok(!calls.some((c) => c.startsWith("CreateFunction")));
  assert.equal(settings().Timeout, 10);
});

test("reconfigure(f, { memory: 2048 }) sends only a configuration update; the next call is cold at 2048 MB", async () => {
  const f = v2();
  assert.equal((await f.invoke({ n: 1 })).coldStart, false);
  const mark = suite.fake.calls.length;
  await reconfigure(f, { memory: 2048 });
  const calls = suite.callsSince(mark);
  assert.ok(calls.includes("UpdateFunctionConfiguration 200"), calls.join(", "));
  assert.ok(!calls.some((c) => /^(UpdateFunctionCode|CreateFunction) /.test(c)), calls.join(", "));
  assert.deepEqual([settings().MemorySize, settings().Timeout], [2048, 10]);
  const next = await f.invoke({ n: 3 });
  assert.equal(next.coldStart, true);
  assert.equal(next.memoryMb, 2048);
});

test("records carry billedMs, initMs (cold only) and maxMemoryUsedMb from the REPORT line", async () => {
  const f = v2();
  await forceColdStart(f);
  const cold = await f.invoke({ n: 1 });
  const warm = await f.invoke({ n: 2 });
  assert.equal(cold.coldStart, true);
  assert.equal(warm.coldStart, false);
  for (const record of [cold, warm]) {
    const entry = entryOf(record);
    assert.ok(entry, `the fake ran request ${record.requestId}`);
    assert.equal(record.billedMs, entry.billedMs);
    assert.ok(Number.isInteger(record.billedMs) && record.billedMs! >= 1);
    assert.ok(record.maxMemoryUsedMb! > 0 && record.maxMemoryUsedMb! <= 2048);
    assert.equal(record.statusCode, 200);
    assert.equal(record.attempts, 1);
  }
  assert.ok(cold.initMs !== null && cold.initMs > 0);
  assert.ok(Math.abs(cold.initMs - entryOf(cold)!.initMs!) < 0.01, "initMs is Lambda's Init Duration");
  assert.ok(cold.billedMs! >= Math.ceil(cold.initMs), "init is billed");
  assert.equal(warm.initMs, null);
});

test("an experiment of 3 threads × 4 runs: 12 rows priced from defaults.json, over kept-alive connections", async () => {
  const f = v2();
  const connections = suite.fake.connections;
  const r = await experiment(f, {
    threads: 3,
    runsPerThread: 4,
    payloads: [{ n: 1 }, { n: 2 }],
    name: "e2e_cost",
  });
  assert.equal(r.rows.length, 12);
  for (const row of r.rows) {
    assert.equal(row.failed, false);
    assert.equal(row.memoryMb, 2048);
    const arch = /arm|aarch/.test(String(row.architecture)) ? "arm64" : "x86_64";
    const expected =
      PRICES.requestUsd + (2048 / 1024) * (Number(row.billedMs) / 1000) * PRICES.gbSecondUsd[arch];
    assert.equal(typeof row.costUsd, "number");
    assert.ok(Math.abs(Number(row.costUsd) - expected) < 1e-12, `costUsd ${row.costUsd} vs ${expected}`);
  }
  assert.ok(new Set(r.rows.map((row) => row.instanceId)).size <= 3, "at most one environment per thread");
  assert.ok(suite.fake.connections - connections <= 3, "one kept-alive connection per thread at most");
});

test("remove() deletes the function: GetFunction is a 404 and its environments are stopped", async () => {
  const f = v2();
  const pids = suite.fake.pids();
  assert.ok(pids.length > 0);
  const mark = suite.fake.calls.length;
  await f.remove();
  assert.deepEqual(suite.callsSince(mark), ["DeleteFunction 204"]);
  const client = new LambdaClient({ endpoint: suite.fake.endpoint, maxAttempts: 1 });
  try {
    await assert.rejects(
      client.send(new GetFunctionCommand({ FunctionName: NAME })),
      ResourceNotFoundException,
    );
  } finally {
    client.destroy();
  }
  assert.ok(await waitFor(() => pids.every((pid) => !isAlive(pid)), 2000));
});
