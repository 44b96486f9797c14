// A payload JSON cannot carry is refused with the path of each bad value; what JSON changes passes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, FaasLabError } from "../../../lib/errors";
import { resolveOptions } from "../../../lib/experiment/options";
import { PAYLOAD_JSON_HINT, payloadJson, payloadProblems } from "../../../lib/function/payload";

/** The FaasLabError payloadJson throws for `payload`. */
function refusal(payload: unknown): FaasLabError {
  try {
    payloadJson(payload, "local");
  } catch (error) {
    assert.ok(error instanceof FaasLabError, `not a FaasLabError: ${String(error)}`);
    return error;
  }
  assert.fail("payloadJson accepted the payload");
}

function deepArray(depth: number): unknown[] {
  const root: unknown[] = [];
  let at = root;
  for (let i = 1; i < depth; i++) {
    const next: unknown[] = [];
    at.push(next);
    at = next;
  }
  return root;
}

test("a BigInt is named by its path", () => {
  const error = refusal({ a: { b: 10n } });
  assert.equal(error.code, "PAYLOAD_NOT_SERIALIZABLE");
  assert.equal(error.phase, "invoke");
  assert.equal(error.platform, "local");
  assert.equal(error.hint, PAYLOAD_JSON_HINT);
  assert.match(error.message, /the payload cannot be sent as JSON: payload\.a\.b is a BigInt\./);
  assert.ok(error.cause instanceof TypeError);
});

test("a cycle is named by where it closes and what it points back to", () => {
  const payload: { list: unknown[]; self?: unknown } = { list: [1, { up: null }] };
  (payload.list[1] as { up: unknown }).up = payload;
  assert.match(refusal(payload).message, /payload\.list\[1\]\.up is circular: it is payload again/);
});

test("a shared (not circular) object is fine, as JSON.stringify says", () => {
  const shared = { x: 1 };
  assert.equal(payloadJson({ a: shared, b: [shared, shared] }), '{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
});

test("a 20,000-deep array is walked without overflowing and named with an abbreviated path", () => {
  const error = refusal(deepArray(20_000));
  assert.match(
    error.message,
    /payload\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]…\[0\]\[0\]\[0\] is nested 19,999 levels deep/,
  );
  assert.ok(error.cause instanceof RangeError);
});

test("keys that are not identifiers are quoted; every bad value is named, then counted", () => {
  const error = refusal({ "a b": 1n, list: [2n, { "x.y": 3n }] });
  assert.match(
    error.message,
    /payload\["a b"\] is a BigInt; payload\.list\[0\] is a BigInt; payload\.list\[1\]\["x\.y"\] is a BigInt/,
  );
  const many = payloadProblems(
    Array.from({ length: 25 }, (_, i) => BigInt(i)),
    "payload",
  );
  assert.equal(many.length, 11);
  assert.equal(many[10], "and 15 more");
});

test("a throwing toJSON or getter is named; a BigInt with a toJSON is not a problem", () => {
  const payload = {
    bad: {
      toJSON: () => {
        throw new Error("nope");
      },
    },
    get broken(): number {
      throw new Error("getter");
    },
  };
  const message = refusal(payload).message;
  assert.match(message, /payload\.bad cannot be serialised: its toJSON\(\) threw Error: nope/);
  assert.match(message, /payload\.broken cannot be read: its getter threw Error: getter/);
  const withToJSON = Object.assign(Object(5n) as object, { toJSON: () => "5" });
  assert.equal(payloadJson({ n: withToJSON }), '{"n":"5"}');
});

test("what JSON changes silently is not refused (the README says what happens)", () => {
  const json = payloadJson({
    when: new Date(0),
    map: new Map([["k", 1]]),
    set: new Set([1]),
    nan: NaN,
    inf: -Infinity,
    gone: undefined,
    list: [undefined, () => 1],
  });
  assert.equal(
    json,
    '{"when":"1970-01-01T00:00:00.000Z","map":{},"set":{},"nan":null,"inf":null,"list":[null,null]}',
  );
  assert.equal(payloadJson(undefined), undefined);
});

test("experiment payloads are checked up front, every problem at once, each with its path", () => {
  const circular: Record<string, unknown> = {};
  circular.me = circular;
  const payloads = [{ fine: 1 }, { a: { b: 1n } }, circular, deepArray(20_000)];
  assert.throws(
    () => resolveOptions({ payloads, threads: 0 }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.problems.length, 4, error.problems.join("\n"));
      assert.equal(error.problems[0], "payloads[1].a.b is a BigInt");
      assert.equal(error.problems[1], "payloads[2].me is circular: it is payloads[2] again");
      assert.match(error.problems[2], /^payloads\[3\](\[0\]){6}…(\[0\]){3} is nested 19,999 levels deep/);
      assert.equal(error.problems[3], '"threads" must be a whole number ≥ 1, got 0');
      assert.equal(error.hint, PAYLOAD_JSON_HINT);
      return true;
    },
  );
});
