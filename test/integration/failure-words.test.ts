// A failure says which limit fired: the invoke option or the function's timeout, and a payload that
// is a large share of the memory limit is named in an OutOfMemory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("failure-words");

test("a request stopped by invoke's timeoutMs says so, not the function's timeout", async () => {
  const fn = cloudFunction("short_limit", nap, { config: { timeout: 2 } });
  const record = await fn.invoke({ ms: 5000 }, { timeoutMs: 500 });
  assert.equal(record.errorType, "TimeoutError");
  assert.match(record.errorMessage ?? "", /^Task timed out after 0\.5 seconds/);
  assert.match(record.errorMessage ?? "", /timeoutMs/);
  ledger.add(resultOf<NapResult>(await fn.invoke({ ms: 0 })).pid);
});

test("a request stopped by the function's timeout says that limit", async () => {
  const fn = cloudFunction("own_limit", nap, { config: { timeout: 0.3 } });
  const record = await fn.invoke({ ms: 5000 }, { timeoutMs: 10000 });
  assert.match(record.errorMessage ?? "", /^Task timed out after 0\.3 seconds \(the function's timeout/);
  ledger.add(resultOf<NapResult>(await fn.invoke({ ms: 0 })).pid);
});

test("an OutOfMemory caused by a large payload names the payload's size", async () => {
  const fn = cloudFunction("big_payload", async (p: { data: string }) => p.data.length, {
    config: { memory: 128 },
  });
  const record = await fn.invoke({ data: "x".repeat(100 * 2 ** 20) });
  assert.equal(record.errorType, "OutOfMemory");
  assert.match(record.errorMessage ?? "", /payload alone is 100\.0 MB \(78% of the limit\)/);
  const small = await fn.invoke({ data: "x" });
  assert.equal(small.result, 1);
});
