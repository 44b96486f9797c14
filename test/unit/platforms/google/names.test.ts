import { test } from "node:test";
import assert from "node:assert/strict";
import { GOOGLE_ID_PATTERN, describeId, googleFunctionId } from "../../../../platforms/google/names";
import { platformModule } from "../../../../platforms/google";

test("a name that is already a valid Google id is kept as it is", () => {
  for (const name of ["calc", "calc-service", "a", "f2"]) assert.equal(googleFunctionId(name), name);
});

test("hello_world maps deterministically to a valid id, and never onto hello-world's", () => {
  const id = googleFunctionId("hello_world");
  assert.match(id, GOOGLE_ID_PATTERN);
  assert.match(id, /^hello-world-[0-9a-f]{6}$/);
  assert.equal(googleFunctionId("hello_world"), id, "same name, same id");
  assert.notEqual(id, googleFunctionId("hello-world"));
  assert.notEqual(googleFunctionId("Hello_World"), id);
});

test("every faaslab name (letters, digits, _ and -, up to 64) maps to a valid id of 63 at most", () => {
  const names = ["Calc", "x_", "a-", "A".repeat(64), `a${"_".repeat(63)}`, "Z9_-_9z", `b${"-".repeat(63)}`];
  const ids = names.map(googleFunctionId);
  for (const [i, id] of ids.entries()) {
    assert.match(id, GOOGLE_ID_PATTERN, `${names[i]} → ${id}`);
    assert.ok(id.length <= 63);
  }
  assert.equal(new Set(ids).size, ids.length, "distinct names, distinct ids");
});

test("the module's resourceName is the mapping; messages show both names", () => {
  assert.equal(platformModule.resourceName("hello_world"), googleFunctionId("hello_world"));
  assert.equal(describeId("calc", "calc"), '"calc"');
  assert.match(
    describeId("hello_world", googleFunctionId("hello_world")),
    /"hello_world" \(Google id "hello-world-[0-9a-f]{6}"\)/,
  );
});
