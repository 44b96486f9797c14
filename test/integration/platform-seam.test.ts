// The seam every platform plugs into, exercised through a platform that lives outside platforms/
// (test/fixtures/platforms/echo): functions faaslab did not build, answers without the envelope,
// final-attempt timing, UNSUPPORTED operations, and a validated reconfigure.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  cloudFunction,
  configure,
  experiment,
  forceColdStart,
  loadFunctions,
  reconfigure,
  shutdown,
  FaasLabError,
  ConfigError,
} from "../../lib";
import { externalFunction } from "../../lib/function/cloud-function";
import { useEchoPlatform } from "../fixtures/platforms/echo";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";
import { existsSync } from "node:fs";

let workspace: string;
const echo = useEchoPlatform();

before(() => {
  workspace = tempDir("seam");
  configure({ workspace });
});
after(async () => {
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

test("an external function answers with its body: no envelope, no build, still a full record", async () => {
  const ext = externalFunction<{ n: number }, { echoed: { n: number } }>("ext_plain", "echo", {});
  assert.deepEqual(await ext({ n: 1 }), { echoed: { n: 1 } });
  const record = await ext.invoke({ n: 2 });
  assert.equal(record.failed, false);
  assert.deepEqual(record.result, { echoed: { n: 2 } });
  assert.equal(record.platform, "echo");
  assert.equal(record.instanceId, "echo-1");
  assert.equal(record.runtimeMs, 1.5);
  assert.equal(record.latencyMs, Math.round((record.roundTripMs - 1.5) * 1000) / 1000);
  assert.equal(record.coldStart, null, "unknown without the envelope: null, never a guess");
  assert.equal(record.attempts, 1);
  assert.equal(record.retryDelayMs, 0);
  assert.equal(existsSync(functionFiles(workspace, "ext_plain").artifact), false, "nothing was built");
});

test("after retries, roundTripMs is the answering attempt's and the waits are retryDelayMs", async () => {
  const config = { failFirst: 2, attemptMs: 40, backoffMs: 60, answerMs: 30 };
  const ext = externalFunction("ext_retried", "echo", config);
  const record = await ext.invoke(null);
  const wholeCallMs = record.endedAt - record.startedAt;
  assert.equal(record.attempts, 3);
  // Timers never fire early by more than a millisecond: two backoffs of 60 ms are ≥ 118 ms.
  assert.ok(record.retryDelayMs >= 118, `retryDelayMs ${record.retryDelayMs}`);
  assert.ok(record.roundTripMs >= 29, `roundTripMs ${record.roundTripMs} covers the answering attempt`);
  // Neither the failed attempts (2 × 40 ms) nor the backoff are in roundTripMs.
  assert.ok(
    record.roundTripMs <= wholeCallMs - record.retryDelayMs - 78 + 2,
    `roundTripMs ${record.roundTripMs} excludes earlier attempts (call ${wholeCallMs} ms, waits ${record.retryDelayMs} ms)`,
  );
  assert.equal(record.latencyMs, Math.round((record.roundTripMs - 1.5) * 1000) / 1000);
});

test("experiment rows of an external function carry attempts and retryDelayMs", async () => {
  const ext = externalFunction("ext_rows", "echo", { failFirst: 1, backoffMs: 5 });
  const r = await experiment(ext, { threads: 2, runsPerThread: 2, name: "rows" });
  assert.equal(r.rows.length, 4);
  for (const row of r.rows) {
    assert.equal(row.attempts, 2);
    assert.ok(typeof row.retryDelayMs === "number" && row.retryDelayMs >= 4, String(row.retryDelayMs));
  }
});

test("an operation the platform does not offer is UNSUPPORTED, naming platform and operation", async () => {
  const ext = externalFunction("ext_cold", "echo", {});
  await ext(null);
  await assert.rejects(forceColdStart(ext), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "UNSUPPORTED");
    assert.equal(e.platform, "echo");
    assert.match(e.message, /cannot force a cold start/);
    return true;
  });
  const built = cloudFunction("built_on_echo", async () => 1, { platform: "echo" });
  await assert.rejects(built(null), (e: unknown) => {
    assert.ok(e instanceof FaasLabError);
    assert.equal(e.code, "UNSUPPORTED");
    assert.match(e.message, /\[echo\].*cannot deploy a function built by faaslab/);
    return true;
  });
});

test("reconfigure without a platform reconfigure re-attaches; a rejected change changes nothing", async () => {
  const platform = echo;
  const ext = externalFunction("ext_reconf", "echo", {});
  await ext(null);
  const attaches = platform()?.attaches ?? 0;
  const config = await reconfigure(ext, { instanceId: "echo-2" });
  assert.equal(config.instanceId, "echo-2");
  assert.equal(platform()?.attaches, attaches + 1, "attached again with the new config");
  assert.equal((await ext.invoke(null)).instanceId, "echo-2");
  await assert.rejects(reconfigure(ext, { answerMs: -5 }), ConfigError);
  assert.equal(ext.config().answerMs, 0, "the rejected layer was not kept");
  assert.equal((await ext.invoke(null)).failed, false, "the function still works");
});

test("loadFunctions() remembers external functions; remove() goes through the platform", async () => {
  const ext = externalFunction("ext_loaded", "echo", { instanceId: "echo-9" });
  await ext(null);
  const loaded = loadFunctions()["ext_loaded"];
  assert.ok(loaded, "found in the workspace");
  assert.equal((await loaded.invoke(null)).instanceId, "echo-9");
  await loaded.remove();
  assert.deepEqual(echo()?.removed.includes("ext_loaded"), true);
  assert.equal(loadFunctions()["ext_loaded"], undefined);
});
