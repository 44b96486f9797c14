// A deployed function that throws something other than an Error: the record (and the FunctionError of
// a direct call) carries errorType "NonErrorThrown" and the value's JSON, from a real instance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction, FunctionError } from "../../lib";
import { localSuite } from "../helpers/suite";

const { ledger } = localSuite("non-error-throws");

const thrower = async (payload: { mode: string }) => {
  if (payload.mode === "ok") return { pid: process.pid };
  if (payload.mode === "object") throw { code: 1, reason: "quota" };
  if (payload.mode === "bigint") throw { code: 1n, retryable: false };
  const node: Record<string, unknown> = { step: "parse" };
  node.parent = node;
  throw node;
};

test("thrown non-Errors arrive from the instance as NonErrorThrown with their JSON", async () => {
  const fn = cloudFunction("non_error_thrower", thrower);
  const ok = await fn.invoke({ mode: "ok" });
  ledger.add((ok.result as { pid: number }).pid);

  const object = await fn.invoke({ mode: "object" });
  assert.equal(object.failed, true);
  assert.equal(object.errorType, "NonErrorThrown");
  assert.deepEqual(JSON.parse(object.errorMessage ?? ""), { code: 1, reason: "quota" });

  const bigint = await fn.invoke({ mode: "bigint" });
  assert.equal(bigint.errorType, "NonErrorThrown");
  assert.deepEqual(JSON.parse(bigint.errorMessage ?? ""), { code: "1n", retryable: false });

  const cyclic = await fn.invoke({ mode: "cyclic" });
  assert.deepEqual(JSON.parse(cyclic.errorMessage ?? ""), { step: "parse", parent: "[Circular]" });

  await assert.rejects(fn({ mode: "object" }), (error: unknown) => {
    assert.ok(error instanceof FunctionError);
    assert.equal(error.errorType, "NonErrorThrown");
    assert.match(error.message, /raised NonErrorThrown: \{"code":1,"reason":"quota"\}/);
    return true;
  });
});
