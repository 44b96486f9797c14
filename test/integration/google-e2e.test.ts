// faaslab on `google` end to end: the public API → the google adapter → the real
// FunctionServiceClient (REST) → HTTP on 127.0.0.1 → the fake Cloud Functions v2 API, which builds the
// uploaded zip and serves it under the real Functions Framework in child processes.
// Deploy (create, then update), invoke, reconfigure (service config only), an experiment with costs,
// forceColdStart, list, remove.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import {
  cloudFunction,
  experiment,
  forceColdStart,
  listDeployed,
  reconfigure,
  type CloudFunction,
} from "../../lib";
import { googleFunctionId } from "../../platforms/google/names";
import { fakeGoogleSuite } from "./google/suite";

const suite = fakeGoogleSuite("google-e2e");
const NAME = "e2e_calc";
const ID = googleFunctionId(NAME);
const PRICES = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../../platforms/google/defaults.json"), "utf8"),
).prices as { requestUsd: number; vcpuSecondUsd: number; gibSecondUsd: number };

const calc = async (p: { n: number }) => ({ square: p.n * p.n });
const calcV2 = async (p: { n: number }) => ({ square: p.n * p.n, cube: p.n ** 3 });
const view = () => suite.fake.functions().find((f) => f.functionId === ID);

let handle: CloudFunction<{ n: number }, unknown> | undefined;
const v2 = () =>
  (handle ??= cloudFunction(NAME, calcV2, {
    platform: "google",
    config: suite.config({ memory: 512, public: true }),
  }));

test("the first call uploads, creates, polls the operation until done, then invokes the uri", async () => {
  const f = cloudFunction(NAME, calc, {
    platform: "google",
    config: suite.config({ memory: 512, public: true }),
  });
  const mark = suite.fake.calls.length;
  const record = await f.invoke({ n: 5 });
  assert.deepEqual(record.result, { square: 25 });
  assert.equal(record.coldStart, true, "the revision's first instance serves its first request");
  const calls = suite.callsSince(mark);
  assert.deepEqual(calls.slice(0, 4), [
    "generateUploadUrl 200",
    "upload 200",
    "getFunction 404",
    "createFunction 200",
  ]);
  assert.ok(
    calls.filter((c) => c === "getOperation 200").length >= 2,
    `the operation was polled: ${calls.join(", ")}`,
  );
  assert.deepEqual(
    calls.slice(-2),
    ["getServiceIamPolicy 200", "setServiceIamPolicy 200"],
    "public: allUsers granted",
  );
  assert.equal(view()?.state, "ACTIVE");
  assert.equal(view()?.public, true);
  assert.equal(suite.fake.uploads.at(-1)?.authorization, false, "the upload carries no credentials");
});

test("a record: warm on the same instance, billedMs in 100 ms steps, cpuAllocated, the faaslab name", async () => {
  const f = cloudFunction(NAME, calc, {
    platform: "google",
    config: suite.config({ memory: 512, public: true }),
  });
  const first = await f.invoke({ n: 2 });
  const second = await f.invoke({ n: 3 });
  assert.equal(first.failed, false, first.errorMessage ?? "");
  assert.equal(second.coldStart, false);
  assert.equal(second.instanceId, first.instanceId);
  assert.equal(first.cpuAllocated, 0.333);
  assert.equal(first.memoryMb, 512);
  assert.ok(second.billedMs !== null && second.billedMs % 100 === 0 && second.billedMs >= 100);
  assert.equal(first.functionName, NAME);
});

test("changed source: upload and updateFunction (build + service), no create; the old revision kept serving until then", async () => {
  const builds = suite.fake.builds;
  const mark = suite.fake.calls.length;
  assert.deepEqual(await v2()({ n: 2 }), { square: 4, cube: 8 });
  const calls = suite.callsSince(mark);
  assert.ok(
    calls.includes("updateFunction 200") && !calls.some((c) => c.startsWith("createFunction")),
    calls.join(", "),
  );
  assert.equal(suite.fake.builds, builds + 1);
});

test("reconfigure: service config only (no upload, no build), and the next call sees the new memory", async () => {
  const builds = suite.fake.builds;
  const mark = suite.fake.calls.length;
  const lines: string[] = [];
  const effective = await reconfigure(v2(), { memory: 2048, concurrency: 4 }, { log: (l) => lines.push(l) });
  assert.equal(effective.memory, 2048);
  const calls = suite.callsSince(mark);
  assert.ok(
    !calls.some((c) => c.startsWith("upload") || c.startsWith("generateUploadUrl")),
    calls.join(", "),
  );
  assert.equal(suite.fake.builds, builds, "no build");
  assert.ok(
    lines.some((l) => /SERVICE/.test(l)),
    `stages streamed: ${lines.join(" | ")}`,
  );
  const record = await v2().invoke({ n: 1 });
  assert.equal(record.memoryMb, 2048);
  assert.equal(record.cpuAllocated, 1);
});

test("an experiment: rows carry coldStart, instanceId and a costUsd from the Cloud Run price table", async () => {
  const r = await experiment(v2(), {
    threads: 2,
    runsPerThread: 3,
    payloads: [{ n: 3 }],
    name: "google-e2e",
  });
  assert.equal(r.rows.length, 6);
  for (const row of r.rows) {
    assert.equal(row.failed, false);
    assert.ok(typeof row.instanceId === "string");
    const seconds = (row.billedMs as number) / 1000;
    const expected = PRICES.requestUsd + seconds * (1 * PRICES.vcpuSecondUsd + 2 * PRICES.gibSecondUsd);
    assert.ok(Math.abs((row.costUsd as number) - expected) < 1e-12, `${row.costUsd} vs ${expected}`);
  }
});

test("forceColdStart: a new revision; the next call is cold on a new instance", async () => {
  const warm = await v2().invoke({ n: 1 });
  const revision = view()?.revision;
  await forceColdStart(v2());
  assert.notEqual(view()?.revision, revision);
  const after = await v2().invoke({ n: 1 });
  assert.equal(after.coldStart, true);
  assert.notEqual(after.instanceId, warm.instanceId);
});

test("list finds it by its label, with the faaslab name; remove deletes it and waits", async () => {
  const listed = await listDeployed({ platform: "google", config: suite.config() });
  assert.deepEqual(listed.problems, []);
  const mine = listed.functions.find((l) => l.resourceName === ID);
  assert.ok(mine, JSON.stringify(listed));
  assert.equal(mine.functionName, NAME);
  assert.equal(mine.foundIn, "both", "state.json and the platform agree on the id");
  await v2().remove();
  assert.equal(view(), undefined);
});
