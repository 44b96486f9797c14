// The same map on `aws`: the real LambdaClient over HTTP on 127.0.0.1 to the fake Lambda, which runs
// the uploaded zip in child processes. Chunks are invocations; rows carry Lambda's billing figures.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, load, map } from "../../lib";
import { chunkWorker, maxOverlap, type MapElement, type MapOutput } from "../helpers/map-functions";
import { fakeAwsSuite } from "./fake-lambda/suite";

const suite = fakeAwsSuite("map-aws");

test("map on aws: results in order, at most `workers` in flight, a chunk failing once retried, rows priced", async () => {
  const fn = cloudFunction("map_aws_worker", chunkWorker, {
    platform: "aws",
    config: suite.config({ memory: 256, timeout: 10 }),
  });
  const marker = path.join(suite.workspace, "aws-fail-once");
  const input: MapElement[] = Array.from({ length: 40 }, (_, i) => ({
    v: i,
    ms: 30,
    ...(i === 17 ? { failOnce: marker } : {}),
  }));
  const m = await map(fn, input, { workers: 4, chunkSize: 5, name: "aws_map" });
  assert.deepEqual(
    m.results.map((r) => r?.v),
    input.map((x) => x.v * 10),
  );
  assert.equal(m.report.platform, "aws");
  assert.equal(m.report.chunks, 8);
  assert.equal(m.report.retried, 1);
  assert.equal(m.report.invocations, 9);
  const perChunk = m.results.filter((_, i) => i % 5 === 0) as MapOutput[];
  assert.ok(maxOverlap(perChunk) <= 4, `overlap ${maxOverlap(perChunk)} with workers 4`);
  const stored = load(fn, "aws_map");
  assert.equal(stored.allRows.length, 9);
  assert.ok(stored.allRows.every((r) => r.platform === "aws" && typeof r.billedMs === "number"));
  assert.ok(
    stored.rows.every((r) => typeof r.costUsd === "number" && r.costUsd > 0),
    "Lambda's price per row",
  );
  const invokes = suite.fake.calls.filter(
    (c) => c.operation === "Invoke" && c.functionName === "map_aws_worker",
  );
  assert.equal(invokes.length, 9, "one Lambda Invoke per chunk invocation");
});

test("aws declares Lambda's 6 MB request limit: a chunk never exceeds it, an element over it is refused unsent", async () => {
  const fn = cloudFunction("map_aws_big", chunkWorker, {
    platform: "aws",
    config: suite.config({ timeout: 10 }),
  });
  const mark = suite.fake.calls.length;
  const huge = [{ v: 0, pad: "x".repeat(6 * 1024 * 1024) }] as unknown as MapElement[];
  await assert.rejects(
    map(fn, huge, { workers: 1 }),
    /element 0 is 6,291,4\d\d bytes of JSON.*6,291,456 bytes \(the aws platform's request limit\)/,
  );
  assert.deepEqual(suite.callsSince(mark), [], "nothing was sent");
});
