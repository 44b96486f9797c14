import assert from "node:assert/strict";
import { test } from "node:test";
import { planChunks, type Chunk } from "../../../lib/map/chunks";
import { ConfigError, FaasLabError } from "../../../lib";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sizes = (chunks: Chunk[]) => chunks.map((c) => c.end - c.start);
const none = { workers: null, chunkSize: null, maxBytes: null };

/** Every element exactly once, in order, no chunk empty, indices 0…n−1. */
function assertCovers(chunks: Chunk[], n: number): void {
  let next = 0;
  chunks.forEach((c, i) => {
    assert.equal(c.index, i);
    assert.equal(c.start, next, `chunk ${i} starts where the previous ended`);
    assert.ok(c.end > c.start, `chunk ${i} is not empty`);
    next = c.end;
  });
  assert.equal(next, n);
}

test("workers: min(workers, elements) chunks whose sizes differ by at most one", () => {
  for (const [n, workers] of [
    [3000, 100],
    [10, 3],
    [7, 7],
    [5, 100],
    [101, 100],
    [1, 1],
  ]) {
    const chunks = planChunks(range(n), { ...none, workers });
    assertCovers(chunks, n);
    assert.equal(chunks.length, Math.min(workers, n));
    const s = sizes(chunks);
    assert.ok(Math.max(...s) - Math.min(...s) <= 1, `${n} over ${workers}: ${s.join(",")}`);
  }
  assert.deepEqual(sizes(planChunks(range(10), { ...none, workers: 3 })), [4, 3, 3]);
});

test("chunkSize: fixed-size chunks, only the last one smaller", () => {
  const chunks = planChunks(range(95), { ...none, chunkSize: 30, workers: 2 });
  assertCovers(chunks, 95);
  assert.deepEqual(sizes(chunks), [30, 30, 30, 5]);
  assert.deepEqual(sizes(planChunks(range(3), { ...none, chunkSize: 30 })), [3]);
});

test("no input, no chunk", () => {
  assert.deepEqual(planChunks([], { ...none, workers: 10 }), []);
});

test("bytes: each chunk's JSON is exactly its bytes, and a chunk over maxBytes is split where it would overflow", () => {
  const elements = range(40).map((i) => ({ id: i, text: "x".repeat(i % 7 === 0 ? 90 : 10) }));
  const chunks = planChunks(elements, { workers: 4, chunkSize: null, maxBytes: 300 });
  assertCovers(chunks, elements.length);
  assert.ok(chunks.length > 4, "the byte limit cut more chunks than workers");
  for (const c of chunks) {
    const json = JSON.stringify(elements.slice(c.start, c.end));
    assert.equal(c.bytes, Buffer.byteLength(json), `chunk ${c.index} bytes`);
    assert.ok(c.bytes <= 300, `chunk ${c.index} is ${c.bytes} bytes`);
    // Greedy: the next element would not have fitted (unless the count cut ended the chunk there).
    const next = elements[c.end];
    if (next !== undefined && c.end % 10 !== 0) {
      assert.ok(
        c.bytes + 1 + Buffer.byteLength(JSON.stringify(next)) > 300,
        `chunk ${c.index} was cut early`,
      );
    }
  }
});

test("bytes are counted as UTF-8 and undefined elements as null, as JSON sends them", () => {
  const elements = ["é", undefined, "日本"];
  const [chunk] = planChunks(elements, { workers: 1, chunkSize: null, maxBytes: null });
  assert.equal(chunk.bytes, Buffer.byteLength(JSON.stringify(elements)));
});

test("an element too big alone is a ConfigError naming it and the limit, before any chunk exists", () => {
  const elements = ["small", "y".repeat(500), "small", "z".repeat(600)];
  assert.throws(
    () =>
      planChunks(elements, {
        workers: 2,
        chunkSize: null,
        maxBytes: 200,
        limitSource: "the aws platform's request limit",
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /element 1 is 502 bytes of JSON; element 3 is 602 bytes of JSON/);
      assert.match(
        error.message,
        /limit of 200 bytes \(the aws platform's request limit\); nothing was sent/,
      );
      return true;
    },
  );
});

test("an element JSON cannot carry is refused with its path", () => {
  assert.throws(
    () => planChunks([1, { a: BigInt(2) }], { ...none, workers: 1 }),
    (error: unknown) => {
      assert.ok(error instanceof FaasLabError);
      assert.equal(error.code, "PAYLOAD_NOT_SERIALIZABLE");
      assert.match(error.message, /element 1 cannot be sent as JSON: elements\[1\]\.a is a BigInt/);
      return true;
    },
  );
});
