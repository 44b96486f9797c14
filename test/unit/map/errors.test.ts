import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, FaasLabError, MapError } from "../../../lib";
import { describeValue, resultProblem } from "../../../lib/map/chunk-call";
import { failuresOf } from "../../../lib/map/map-error";
import { resolveMapOptions } from "../../../lib/map/options";
import type { ChunkOutcome } from "../../../lib/map/report";

const chunk = { index: 3, start: 90, end: 120, bytes: 0 };

test("a chunk's answer: an array, and in a map one result per element", () => {
  assert.equal(resultProblem(new Array(30).fill(null), chunk, true), null);
  assert.match(
    resultProblem(new Array(29).fill(1), chunk, true) ?? "",
    /returned an array of 29 results for 30 elements/,
  );
  assert.equal(resultProblem([1], chunk, false), null, "a pipeline step may filter");
  assert.match(
    resultProblem({ a: 1 }, chunk, true) ?? "",
    /returned an object \{"a":1\}; a chunk function must return an array of 30 results/,
  );
  assert.match(
    resultProblem(undefined, chunk, false) ?? "",
    /returned undefined; a chunk function must return an array$/,
  );
  assert.equal(describeValue("x".repeat(100)), `a string "${"x".repeat(56)}…`, "long values are cut");
});

test("MapError: a FaasLabError listing each failed chunk, with partial and failures", () => {
  const outcomes: ChunkOutcome[] = [
    {
      chunk: { index: 0, start: 0, end: 2, bytes: 0 },
      status: "ok",
      invocations: 1,
      errorType: null,
      errorMessage: null,
    },
    {
      chunk: { index: 1, start: 2, end: 4, bytes: 0 },
      status: "failed",
      invocations: 3,
      errorType: "TypeError",
      errorMessage: "boom",
    },
    {
      chunk: { index: 2, start: 4, end: 5, bytes: 0 },
      status: "not started",
      invocations: 0,
      errorType: null,
      errorMessage: null,
    },
  ];
  const failures = failuresOf(outcomes);
  assert.deepEqual(failures, [
    { chunk: 1, start: 2, end: 4, elements: 2, errorType: "TypeError", errorMessage: "boom", invocations: 3 },
    {
      chunk: 2,
      start: 4,
      end: 5,
      elements: 1,
      errorType: "Aborted",
      errorMessage: "not started: the map was aborted",
      invocations: 0,
    },
  ]);
  const partial = ["a", "b", undefined, undefined, undefined];
  const error = new MapError('map "m" of f', failures, partial, {
    aborted: false,
    chunks: 3,
    platform: "local",
  });
  assert.ok(error instanceof FaasLabError);
  assert.equal(error.code, "MAP_FAILED");
  assert.equal(error.phase, "invoke");
  assert.equal(error.partial, partial);
  assert.equal(error.aborted, false);
  assert.match(
    error.message,
    /^\[local\] invoke failed: map "m" of f: 2 of 3 chunks failed: chunk 1 \(elements 2–3\): TypeError: boom \(3 invocations\); chunk 2 \(element 4\): Aborted/,
  );
  assert.match(error.message, /Hint: err\.partial holds every result/);
  const aborted = new MapError("m", failures, partial, { aborted: true, chunks: 3 });
  assert.equal(aborted.code, "MAP_ABORTED");
  assert.match(aborted.message, /was aborted: 2 of 3 chunks have no result/);
});

test("MapError names five failures and counts the rest", () => {
  const failures = Array.from({ length: 8 }, (_, i) => ({
    chunk: i,
    start: i,
    end: i + 1,
    elements: 1,
    errorType: "E",
    errorMessage: "m",
    invocations: 1,
  }));
  const error = new MapError("m", failures, [], { aborted: false, chunks: 8 });
  assert.equal(error.failures.length, 8);
  assert.match(error.message, /chunk 4 \(element 4\): E: m \(1 invocation\); and 3 more/);
});

test("options: every problem at once, unknown keys with a suggestion", () => {
  assert.throws(
    () =>
      resolveMapOptions(
        { worker: 4, chunkSize: 0, retries: -1, onChunkError: "ignore", name: "run-2" } as never,
        "map",
      ),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems.length, 5);
      assert.match(error.problems[0], /unknown option "worker" \(did you mean "workers"\?\)/);
      return true;
    },
  );
  const resolved = resolveMapOptions({}, "map", new Date("2026-01-02T03:04:05Z"));
  assert.deepEqual(resolved, {
    workers: null,
    chunkSize: null,
    maxChunkBytes: null,
    retries: 2,
    onChunkError: "fail",
    name: "map-20260102-030405",
    overwrite: false,
  });
});
