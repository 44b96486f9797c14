// Memory is enforced on both paths: V8's heap limit (JS objects) and the RSS watchdog (Buffers live
// outside the V8 heap, so only the watchdog can stop them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { growBuffers, growHeap, resultOf } from "../helpers/functions";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("memory");

test("JS objects beyond memory 128 (V8 heap limit) fail the request with OutOfMemory; the next call gets a fresh instance", async () => {
  const fn = cloudFunction("heap_hog", growHeap, { config: { memory: 128, timeout: 20 } });
  const record = await fn.invoke({ maxMb: 3000 });
  assert.equal(record.failed, true, `expected a failure, got ${JSON.stringify(record.result)}`);
  assert.equal(record.errorType, "OutOfMemory");
  assert.equal(record.timedOut, false);
  assert.match(record.errorMessage ?? "", /128 MB/);

  const next = await fn.invoke({ maxMb: 0 });
  ledger.add(resultOf<{ pid: number }>(next).pid);
  assert.equal(next.coldStart, true);
});

test("Buffers are outside the V8 heap: a small allocation survives and barely grows the heap", async () => {
  const fn = cloudFunction("buffer_ok", growBuffers, { config: { memory: 512, timeout: 20 } });
  const result = resultOf<{ pid: number; heapGrowthMb: number; rssMb: number }>(
    await fn.invoke({ maxMb: 96 }),
  );
  ledger.add(result.pid);
  assert.ok(result.rssMb > 96, `the buffers are resident (rss ${result.rssMb.toFixed(0)} MB)`);
  assert.ok(result.heapGrowthMb < 16, `the V8 heap grew by ${result.heapGrowthMb.toFixed(1)} MB only`);
});

test("Buffers beyond memory 128 are stopped by the RSS watchdog with OutOfMemory", async () => {
  const fn = cloudFunction("buffer_hog", growBuffers, { config: { memory: 128, timeout: 20 } });
  const record = await fn.invoke({ maxMb: 1024 });
  assert.equal(record.failed, true, `expected a failure, got ${JSON.stringify(record.result)}`);
  assert.equal(record.errorType, "OutOfMemory");
  assert.equal(record.timedOut, false);

  const next = await fn.invoke({ maxMb: 0 });
  ledger.add(resultOf<{ pid: number }>(next).pid);
  assert.equal(next.coldStart, true);
});
