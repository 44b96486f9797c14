// map() and pipeline() on the local platform: real instances (child processes), real journals.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import {
  cloudFunction,
  experimentEvents,
  load,
  map,
  MapError,
  ConfigError,
  type CloudFunction,
  type MapProgress,
} from "../../lib";
import { Gate } from "../helpers/gate";
import { chunkWorker, maxOverlap, type MapElement, type MapOutput } from "../helpers/map-functions";
import { localSuite } from "../helpers/suite";

const suite = localSuite("map");
const worker: CloudFunction<MapElement[], MapOutput[]> = cloudFunction("map_worker", chunkWorker, {
  config: { maxInstances: 8 },
});
const elements = (n: number, extra: (i: number) => Partial<MapElement> = () => ({})): MapElement[] =>
  Array.from({ length: n }, (_, i) => ({ v: i, ...extra(i) }));
const keepPids = (outputs: readonly (MapOutput | undefined)[]) =>
  outputs.forEach((o) => suite.ledger.add(o?.pid));

const gates: Gate[] = [];
after(async () => {
  for (const gate of gates) await gate.close();
});

test("results come back in input order whatever order the chunks finish in", async () => {
  // Chunk latencies drawn at random (here, in the test): later chunks often finish first.
  const delays = Array.from({ length: 12 }, () => Math.floor(Math.random() * 60));
  const input = elements(60, (i) => ({ ms: delays[Math.floor(i / 5)] }));
  const m = await map(worker, input, { workers: 12, name: "order" });
  keepPids(m.results);
  assert.deepEqual(
    m.results.map((r) => r?.v),
    input.map((x) => x.v * 10),
  );
  assert.equal(m.report.chunks, 12);
  assert.equal(m.report.chunkSize, 5);
  assert.equal(m.report.invocations, 12);
  assert.equal(m.report.failedChunks, 0);
  assert.deepEqual(m.failures, []);
});

test("at most `workers` chunks run at once, measured inside the function", async () => {
  const m = await map(
    worker,
    elements(24, () => ({ ms: 40 })),
    { chunkSize: 2, workers: 3, name: "bounded" },
  );
  keepPids(m.results);
  assert.equal(m.report.chunks, 12);
  const perChunk = m.results.filter((_, i) => i % 2 === 0) as MapOutput[];
  const overlap = maxOverlap(perChunk);
  assert.ok(overlap <= 3, `${overlap} chunks overlapped inside the function; workers is 3`);
  assert.ok(overlap >= 2, `chunks ran in parallel (max overlap ${overlap})`);
  assert.equal(m.report.workers, 3);
});

test("a chunk that fails once is retried on a fresh invocation and the map succeeds", async () => {
  const marker = path.join(suite.workspace, "fail-once-marker");
  const input = elements(20, (i) => (i === 13 ? { failOnce: marker } : {}));
  const m = await map(worker, input, { workers: 4, name: "retry" });
  keepPids(m.results);
  assert.ok(existsSync(marker), "the chunk did fail once");
  assert.deepEqual(
    m.results.map((r) => r?.v),
    input.map((x) => x.v * 10),
  );
  assert.equal(m.report.retried, 1);
  assert.equal(m.report.invocations, 5);
  const rows = m.experiment.allRows.filter((r) => r.chunk === 2);
  assert.deepEqual(
    rows.map((r) => [r.run, r.failed, r.errorType]),
    [
      [0, true, "Error"],
      [1, false, null],
    ],
  );
});

test("a chunk that always fails: MapError lists it and keeps every other result in place", async () => {
  const input = elements(20, (i) => (i === 7 ? { poison: true } : {}));
  const error = await map(worker, input, { workers: 4, retries: 1, name: "poisoned" }).then(
    () => assert.fail("map resolved"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MapError);
  assert.equal(error.code, "MAP_FAILED");
  assert.deepEqual(
    error.failures.map((f) => [f.chunk, f.start, f.end, f.errorType, f.invocations]),
    [[1, 5, 10, "RangeError", 2]],
  );
  assert.match(error.failures[0].errorMessage, /poisoned chunk starting at 5/);
  assert.match(
    error.message,
    /chunk 1 \(elements 5–9\): RangeError: poisoned chunk starting at 5 \(2 invocations\)/,
  );
  keepPids(error.partial as MapOutput[]);
  assert.deepEqual(
    error.partial.map((r) => (r as MapOutput | undefined)?.v),
    input.map((x) => (x.v >= 5 && x.v < 10 ? undefined : x.v * 10)),
  );
  const stored = load(worker, "poisoned");
  assert.equal(stored.allRows.length, 5, "3 chunks once, the failing one twice");
});

test('onChunkError: "skip" resolves with the holes and names the failed chunk', async () => {
  const input = elements(9, (i) => (i === 8 ? { poison: true } : {}));
  const m = await map(worker, input, { workers: 3, retries: 0, onChunkError: "skip", name: "skipped" });
  keepPids(m.results);
  assert.deepEqual(
    m.results.map((r) => r?.v),
    [0, 10, 20, 30, 40, 50, undefined, undefined, undefined],
  );
  assert.deepEqual(
    m.failures.map((f) => [f.chunk, f.start, f.end]),
    [[2, 6, 9]],
  );
  assert.equal(m.report.failedChunks, 1);
  assert.equal(m.report.missingElements, 3);
});

test("an abort mid-map starts no new chunk and keeps the finished ones (results and rows)", async () => {
  const gate = await Gate.open();
  gates.push(gate);
  const input = elements(12, () => ({ gate: gate.url }));
  const controller = new AbortController();
  const running = map(worker, input, {
    chunkSize: 2,
    workers: 2,
    signal: controller.signal,
    name: "aborted",
  });
  const outcome = running.then(
    () => assert.fail("an aborted map resolved"),
    (e: unknown) => e,
  );
  await gate.untilWaiting(2);
  gate.release(); // chunks 0 and 1 finish
  await gate.untilArrivals(4); // chunks 2 and 3 are now inside the function
  await gate.untilWaiting(2);
  controller.abort();
  const error = await outcome;
  gate.release();
  assert.ok(error instanceof MapError);
  assert.equal(error.code, "MAP_ABORTED");
  assert.equal(error.aborted, true);
  const partial = error.partial as (MapOutput | undefined)[];
  keepPids(partial);
  assert.deepEqual(
    partial.map((r) => r?.v),
    [0, 10, 20, 30, ...new Array(8).fill(undefined)],
  );
  assert.deepEqual(
    error.failures.map((f) => f.chunk),
    [2, 3, 4, 5],
  );
  assert.equal(gate.arrivals.length, 4, "no chunk started after the abort");
  const stored = load(worker, "aborted");
  assert.equal(stored.complete, false);
  assert.equal(stored.meta.status, "aborted");
  assert.deepEqual(stored.allRows.map((r) => [r.chunk, r.failed]).sort(), [
    [0, false],
    [1, false],
    [2, true],
    [3, true],
  ]);
});

test("a chunk answering with the wrong number of results is a clear error naming the chunk, not retried", async () => {
  const input = elements(8, (i) => (i === 5 ? { short: true } : {}));
  const error = await map(worker, input, { workers: 2, name: "short" }).then(
    () => assert.fail("map resolved"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MapError);
  assert.deepEqual(
    error.failures.map((f) => [f.chunk, f.errorType, f.invocations]),
    [[1, "ChunkResultMismatch", 1]],
  );
  assert.match(
    error.message,
    /chunk 1 \(elements 4–7\): ChunkResultMismatch: returned an array of 3 results for 4 elements/,
  );
  keepPids(error.partial as MapOutput[]);
  const row = load(worker, "short").allRows.find((r) => r.chunk === 1);
  assert.equal(row?.failed, true);
  assert.equal(row?.errorType, "ChunkResultMismatch");
});

test("load() reads a map's rows back: one per invocation, with chunk, step and elements", async () => {
  const input = elements(25);
  const events: MapProgress[] = [];
  const listen = (p: MapProgress) => void (p.experiment === "loaded" && events.push(p));
  experimentEvents.on("progress", listen);
  const m = await map(worker, input, { workers: 4, name: "loaded" }).finally(() =>
    experimentEvents.off("progress", listen),
  );
  const last = events.at(-1);
  assert.deepEqual(
    [last?.finished, last?.done, last?.total, last?.elements],
    [true, 4, 4, { done: 25, total: 25 }],
    "progress: chunks and elements",
  );
  keepPids(m.results);
  const stored = load(worker, "loaded");
  assert.equal(stored.complete, true);
  assert.equal(stored.rows.length, m.report.invocations);
  assert.deepEqual(stored.rows.map((r) => [r.chunk, r.step, r.elements]).sort(), [
    [0, 1, 7],
    [1, 1, 6],
    [2, 1, 6],
    [3, 1, 6],
  ]);
  assert.ok(stored.rows.every((r) => r.experiment === "loaded" && r.functionName === "map_worker"));
  assert.ok(stored.summary("runtimeMs").n === 4);
  assert.equal(stored.meta.options.kind, "map");
});

test("an element too big for a chunk alone is refused before anything is deployed or sent", async () => {
  const big = cloudFunction("map_never_deployed", chunkWorker);
  const input = [{ v: 1 }, { v: 2, pad: "x".repeat(5000) }] as unknown as MapElement[];
  await assert.rejects(
    map(big, input, { workers: 2, maxChunkBytes: 1024, name: "too_big" }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /element 1 is 5,0\d\d bytes of JSON/);
      return true;
    },
  );
  assert.equal(existsSync(path.join(suite.workspace, "functions", "map_never_deployed")), false);
  await assert.rejects(
    map(big, input, { maxChunkBytes: 10_000_000 }),
    /over the local platform's request limit/,
  );
});
