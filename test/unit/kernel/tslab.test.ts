import assert from "node:assert/strict";
import { test } from "node:test";
import { inTslab, kernelTslab, resetTslabCache, sendMimeBundle } from "../../../kernel/tslab";
import { installFakeTslab } from "./fake-tslab";

test("outside tslab nothing is detected and nothing is sent", () => {
  resetTslabCache();
  assert.equal(inTslab(), false);
  assert.equal(kernelTslab(), null);
  assert.equal(sendMimeBundle({ "text/plain": "x" }), false);
});

test("inside tslab one display_data carries every MIME type; an id makes later sends updates", (t) => {
  resetTslabCache();
  const fake = installFakeTslab();
  t.after(() => (fake.remove(), resetTslabCache()));
  assert.equal(inTslab(), true);
  assert.equal(
    sendMimeBundle({ "text/html": "<b>x</b>", "text/plain": "x", "application/json": { a: 1 } }),
    true,
  );
  assert.equal(sendMimeBundle({ "text/plain": "1" }, "id1"), true);
  assert.equal(sendMimeBundle({ "text/plain": "2" }, "id1", true), true);
  assert.deepEqual(fake.written, [
    {
      data: { "text/html": "<b>x</b>", "text/plain": "x", "application/json": { a: 1 } },
      transient: {},
      update: false,
    },
    { data: { "text/plain": "1" }, transient: { display_id: "id1" }, update: false },
    { data: { "text/plain": "2" }, transient: { display_id: "id1" }, update: true },
  ]);
});

test("without tslab's internal jupyter.js the public API is used (HTML, or text)", (t) => {
  resetTslabCache();
  const fake = installFakeTslab();
  t.after(() => (fake.remove(), resetTslabCache()));
  fake.hideInternals();
  assert.equal(sendMimeBundle({ "text/html": "<i>h</i>", "text/plain": "h" }), true);
  assert.equal(sendMimeBundle({ "text/plain": "p" }, "k"), true);
  assert.equal(sendMimeBundle({ "text/plain": "q" }, "k", true), true);
  assert.equal(fake.written.length, 0);
  assert.deepEqual(fake.publicCalls, [
    { id: null, mime: "text/html", value: "<i>h</i>" },
    { id: "d1", mime: "text/plain", value: "p" },
    { id: "d1", mime: "text/plain", value: "q" },
  ]);
});
