import { test } from "node:test";
import assert from "node:assert/strict";
import { parseServerTiming, serverTimingRuntimeMs } from "../../../../platforms/http/server-timing";

test("Server-Timing: names, dur and desc, quoted strings with commas and semicolons", () => {
  const metrics = parseServerTiming(
    'cache;desc="hit, then; miss", db;dur=53.2, app;dur=47.25;desc=handler, missedCache',
  );
  assert.deepEqual(metrics, [
    { name: "cache", durMs: null, description: "hit, then; miss" },
    { name: "db", durMs: 53.2, description: null },
    { name: "app", durMs: 47.25, description: "handler" },
    { name: "missedCache", durMs: null, description: null },
  ]);
});

test("Server-Timing: several headers, spaces, case and only the first dur of a metric", () => {
  assert.deepEqual(
    parseServerTiming(["a ; DUR = 1.5", "b;dur=2;dur=3"]).map((m) => [m.name, m.durMs]),
    [
      ["a", 1.5],
      ["b", 2],
    ],
  );
});

test("Server-Timing: malformed entries and durations are dropped, never guessed", () => {
  assert.deepEqual(parseServerTiming('bad name;dur=1, "quoted";dur=2, ok;dur=abc, neg;dur=-4'), [
    { name: "ok", durMs: null, description: null },
    { name: "neg", durMs: null, description: null },
  ]);
  assert.deepEqual(parseServerTiming(undefined), []);
  assert.deepEqual(parseServerTiming(""), []);
});

test("runtime rule: total, else app, else the only metric with a dur; else null", () => {
  assert.equal(serverTimingRuntimeMs("db;dur=3, total;dur=20, app;dur=15"), 20);
  assert.equal(serverTimingRuntimeMs("db;dur=3, APP;dur=15"), 15);
  assert.equal(serverTimingRuntimeMs("handler;dur=12.3"), 12.3);
  assert.equal(serverTimingRuntimeMs("cache;desc=hit, handler;dur=12.3"), 12.3);
  assert.equal(serverTimingRuntimeMs("db;dur=3, render;dur=4"), null, "phases may overlap: not added up");
  assert.equal(serverTimingRuntimeMs("cache;desc=hit"), null);
  assert.equal(serverTimingRuntimeMs(undefined), null);
});
