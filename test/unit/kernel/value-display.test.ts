import assert from "node:assert/strict";
import { test } from "node:test";
import { display, displayValue, setValueDisplay } from "../../../lib/display";

test("without a registered display nothing is shown and display() prints", (t) => {
  setValueDisplay(null);
  assert.equal(displayValue({ a: 1 }), false);
  const logged: unknown[] = [];
  t.mock.method(console, "log", (v: unknown) => logged.push(v));
  display("x");
  assert.deepEqual(logged, ["x"]);
});

test("the registered display decides; one that throws counts as not shown", (t) => {
  t.after(() => setValueDisplay(null));
  setValueDisplay((v) => v === "rich");
  assert.equal(displayValue("rich"), true);
  assert.equal(displayValue("plain"), false);
  setValueDisplay(() => {
    throw new Error("boom");
  });
  assert.equal(displayValue("rich"), false);
});
