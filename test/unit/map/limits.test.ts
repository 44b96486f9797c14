import assert from "node:assert/strict";
import { test } from "node:test";
import { platformModule } from "../../../lib/registry";
import { resolveConfig } from "../../../lib/config/layers";

test("aws declares Lambda's synchronous request limit, 6 MiB", () => {
  assert.equal(platformModule("aws").maxPayloadBytes?.({}), 6 * 1024 * 1024);
});

test("local's limit is its maxPayloadBytes knob: 6 MiB by default, configurable", () => {
  const local = platformModule("local");
  assert.equal(local.maxPayloadBytes?.(resolveConfig("local", {}, {}, {})), 6 * 1024 * 1024);
  assert.equal(local.maxPayloadBytes?.(resolveConfig("local", {}, { maxPayloadBytes: 2048 }, {})), 2048);
  assert.throws(
    () => resolveConfig("local", {}, { maxPayloadBytes: 10 }, {}),
    /maxPayloadBytes.*at least 1024/,
  );
});
