// What a function throws that is not an Error reaches the caller as errorType "NonErrorThrown" with
// the value's JSON as the message — BigInts, cycles and nested Errors included, never "[object Object]".
// An Error from another realm (node:vm) is still an Error.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vm from "node:vm";
import { createHandler, type UserFunction } from "../../../lib/runtime/handler";
import type { Envelope, RemoteError } from "../../../lib/runtime/envelope";

const info = { functionName: "thrower", platform: "local", memoryMb: 128, region: null };

async function thrown(fn: UserFunction): Promise<RemoteError> {
  const text = await createHandler(fn, info)({}, { requestId: "r", deadline: Date.now() + 10_000 });
  const envelope = JSON.parse(text) as Envelope;
  assert.equal(envelope.ok, false);
  assert.ok(envelope.error);
  return envelope.error;
}

const throwing = (value: unknown): UserFunction => {
  return () => {
    throw value;
  };
};

test("a thrown plain object keeps its JSON, with errorType NonErrorThrown", async () => {
  assert.deepEqual(await thrown(throwing({ code: 1 })), {
    errorType: "NonErrorThrown",
    errorMessage: '{"code":1}',
    stack: null,
  });
  assert.deepEqual(await thrown(throwing([1, "a", null])), {
    errorType: "NonErrorThrown",
    errorMessage: '[1,"a",null]',
    stack: null,
  });
});

test("BigInts, cycles and nested Errors inside a thrown value still give its JSON", async () => {
  const big = await thrown(throwing({ code: 1n, nested: { limit: 2n ** 70n } }));
  assert.equal(big.errorType, "NonErrorThrown");
  assert.deepEqual(JSON.parse(big.errorMessage), {
    code: "1n",
    nested: { limit: "1180591620717411303424n" },
  });

  const node: Record<string, unknown> = { id: 7 };
  node.self = node;
  node.list = [node, { back: node }];
  const cyclic = await thrown(throwing(node));
  assert.deepEqual(JSON.parse(cyclic.errorMessage), {
    id: 7,
    self: "[Circular]",
    list: ["[Circular]", { back: "[Circular]" }],
  });

  const shared = { a: 1 };
  const repeated = await thrown(throwing({ x: shared, y: shared }));
  assert.deepEqual(JSON.parse(repeated.errorMessage), { x: { a: 1 }, y: { a: 1 } }, "a repeat is no cycle");

  const wrapped = await thrown(throwing({ status: 500, cause: new RangeError("inner") }));
  assert.deepEqual(JSON.parse(wrapped.errorMessage), {
    status: 500,
    cause: { name: "RangeError", message: "inner" },
  });
});

test("primitives: a string is the message itself; others their JSON or String() form", async () => {
  const cases: [unknown, string][] = [
    ["plain failure", "plain failure"],
    [42, "42"],
    [false, "false"],
    [null, "null"],
    [undefined, "undefined"],
    [12n, '"12n"'],
    [Symbol("why"), "Symbol(why)"],
  ];
  for (const [value, message] of cases) {
    const error = await thrown(throwing(value));
    assert.deepEqual(error, { errorType: "NonErrorThrown", errorMessage: message, stack: null }, message);
  }
});

test("a value whose JSON throws is described with the reason, not as [object Object]", async () => {
  const error = await thrown(
    throwing({
      get broken(): never {
        throw new Error("getter exploded");
      },
    }),
  );
  assert.equal(error.errorType, "NonErrorThrown");
  assert.equal(error.errorMessage, "an object that JSON cannot show (getter exploded)");
});

test("an Error made in another realm keeps its name, message and stack", async () => {
  const foreign = vm.runInNewContext('new TypeError("from another realm")') as unknown;
  assert.equal(foreign instanceof Error, false, "premise: instanceof does not see it");
  const error = await thrown(throwing(foreign));
  assert.equal(error.errorType, "TypeError");
  assert.equal(error.errorMessage, "from another realm");
  assert.match(error.stack ?? "", /^TypeError: from another realm/);
});
