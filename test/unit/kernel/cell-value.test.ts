import assert from "node:assert/strict";
import { test } from "node:test";
import { wrapExports } from "../../../kernel/cell-value";

test("only the last-expression slot is routed to the display", () => {
  const shown: unknown[] = [];
  const target: Record<string, unknown> = {};
  const exports = wrapExports(target, (v) => (shown.push(v), v === "rich"));
  exports.tsLastExpr = "rich";
  assert.equal("tsLastExpr" in target, false);
  exports.tsLastExpr3 = "plain";
  assert.equal(target.tsLastExpr3, "plain");
  exports.tsLastExprX = "rich";
  exports.myVar = "rich";
  assert.equal(target.tsLastExprX, "rich");
  assert.equal(target.myVar, "rich");
  assert.deepEqual(shown, ["rich", "plain"]);
});

test("defineProperty with a getter (how TypeScript emits re-exports) is routed too", () => {
  const target: Record<string, unknown> = {};
  const exports = wrapExports(target, () => true);
  Object.defineProperty(exports, "tsLastExpr", { enumerable: true, get: () => "v" });
  assert.equal("tsLastExpr" in target, false);
});

test("a display that throws, null and undefined fall back to tslab's own printing", () => {
  const target: Record<string, unknown> = {};
  const exports = wrapExports(target, () => {
    throw new Error("boom");
  });
  exports.tsLastExpr = { a: 1 };
  assert.deepEqual(target.tsLastExpr, { a: 1 });
  let called = false;
  const other = wrapExports({} as Record<string, unknown>, () => (called = true));
  other.tsLastExpr = null;
  other.tsLastExpr0 = undefined;
  assert.equal(called, false);
});

test("reads, deletes and key listing pass through to tslab's exports", () => {
  const target: Record<string, unknown> = { a: 1 };
  const exports = wrapExports(target, () => false);
  assert.equal(exports.a, 1);
  exports.b = 2;
  assert.deepEqual(Object.keys(exports), ["a", "b"]);
  delete exports.a;
  assert.deepEqual(target, { b: 2 });
});
