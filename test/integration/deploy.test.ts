// When a call deploys: once for concurrent first calls, again only when the source changes; config
// changes reconfigure without rebuilding; remove() deletes the deployment.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { ConfigError, cloudFunction, experiment, reconfigure, type UserFunction } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { isAlive, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { deployCount, functionFiles, readStateFile } from "../helpers/workspace";

const { workspace, ledger } = localSuite("deploy");

/** A function from source text, so tests control every character of fn.toString(). */
const fromSource = (source: string) =>
  (0, eval)(source) as UserFunction<unknown, { value: number; pid: number }>;

test("5 concurrent first calls deploy once and all succeed", async () => {
  const fn = cloudFunction("deploy_once", nap);
  const results = await Promise.all(Array.from({ length: 5 }, () => fn({ ms: 10 })));
  results.forEach((r) => ledger.add(r.pid));
  assert.equal(results.length, 5);
  assert.ok(results.every((r) => typeof r.pid === "number"));
  assert.equal(deployCount(workspace, "deploy_once"), 1);
});

test("an identical source does not redeploy; a whitespace change does, with a new hash", async () => {
  const source = "async (payload) => ({ value: payload.x * 2, pid: process.pid })";
  const first = cloudFunction("change_detect", fromSource(source));
  assert.equal((await first({ x: 2 })).value, 4);
  const files = functionFiles(workspace, "change_detect");
  const hash = readStateFile(workspace, "change_detect").hash;
  const builtAt = fs.statSync(files.artifact).mtimeMs;
  assert.equal(deployCount(workspace, "change_detect"), 1);

  const same = cloudFunction("change_detect", fromSource(source));
  ledger.add((await same({ x: 3 })).pid);
  assert.equal(deployCount(workspace, "change_detect"), 1, "re-running an identical cell does not deploy");
  assert.equal(readStateFile(workspace, "change_detect").hash, hash);
  assert.equal(fs.statSync(files.artifact).mtimeMs, builtAt, "and does not rebuild");

  const spaced = cloudFunction("change_detect", fromSource(source.replace("=>", "=>  ")));
  const result = await spaced({ x: 5 });
  ledger.add(result.pid);
  assert.equal(result.value, 10);
  assert.equal(deployCount(workspace, "change_detect"), 2, "a whitespace change redeploys");
  const newHash = readStateFile(workspace, "change_detect").hash;
  assert.notEqual(newHash, hash);
  assert.match(newHash, /^[0-9a-f]{64}$/);
});

test("reconfigure(memory) keeps the artifact and runs the next call on a new instance with the new memory", async () => {
  const fn = cloudFunction(
    "reconfigured",
    async (_payload: unknown, ctx) => {
      const v8 = require("node:v8") as typeof import("node:v8");
      return {
        pid: process.pid,
        memory: ctx.memory,
        heapLimitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
      };
    },
    { config: { memory: 256 } },
  );
  type Result = { pid: number; memory: number; heapLimitMb: number };
  const before = await fn.invoke({});
  const old = resultOf<Result>(before);
  ledger.add(old.pid);
  assert.equal(before.memoryMb, 256);
  assert.ok(old.heapLimitMb < 512, `heap limit follows memory 256 (${old.heapLimitMb} MB)`);
  const files = functionFiles(workspace, "reconfigured");
  const hash = readStateFile(workspace, "reconfigured").hash;
  const builtAt = fs.statSync(files.artifact).mtimeMs;

  const effective = await reconfigure(fn, { memory: 1024 });
  assert.equal(effective.memory, 1024);
  const state = readStateFile(workspace, "reconfigured");
  assert.equal(state.hash, hash, "same artifact hash");
  assert.equal(state.config.memory, 1024, "state.json records the new config");
  assert.equal(fs.statSync(files.artifact).mtimeMs, builtAt, "build/index.js was not rewritten");
  assert.equal(deployCount(workspace, "reconfigured"), 1, "no rebuild");

  const afterCall = await fn.invoke({});
  const fresh = resultOf<Result>(afterCall);
  ledger.add(fresh.pid);
  assert.equal(afterCall.memoryMb, 1024);
  assert.equal(fresh.memory, 1024, "the function's context sees the new memory");
  assert.ok(fresh.heapLimitMb > 900, `heap limit follows memory 1024 (${fresh.heapLimitMb} MB)`);
  assert.equal(afterCall.coldStart, true);
  assert.notEqual(afterCall.instanceId, before.instanceId);
  assert.ok(await waitFor(() => !isAlive(old.pid), 2000), "the instance with the old config was stopped");
});

test("a rejected reconfigure() changes nothing: later calls, config() and experiments keep working", async () => {
  const fn = cloudFunction("reconfig_rejected", async () => ({ pid: process.pid }), {
    config: { memory: 256 },
  });
  ledger.add(resultOf<{ pid: number }>(await fn.invoke({})).pid);
  await assert.rejects(reconfigure(fn, { memory: 10 }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /"memory" must be at least 64 MB, got 10/);
    return true;
  });
  assert.equal(fn.config().memory, 256, "the rejected layer was not kept");
  const after = await fn.invoke({});
  assert.equal(after.failed, false, after.errorMessage ?? "");
  assert.equal(after.memoryMb, 256);
  ledger.add(resultOf<{ pid: number }>(after).pid);
  const r = await experiment(fn, { threads: 1, runsPerThread: 2, name: "after_rejected" });
  assert.equal(r.rows.filter((row) => !row.failed).length, 2);
});

test("remove() deletes state.json and the deployed artifact; calling again redeploys", async () => {
  const fn = cloudFunction("removable", nap);
  const first = await fn({ ms: 0 });
  ledger.add(first.pid);
  const files = functionFiles(workspace, "removable");
  const artifact = readStateFile(workspace, "removable").deployment.ref.artifact;
  assert.equal(typeof artifact, "string");
  assert.ok(fs.existsSync(artifact as string), "the deployed artifact exists before remove()");

  await fn.remove();
  assert.equal(fs.existsSync(files.state), false, "state.json is gone");
  assert.equal(fs.existsSync(artifact as string), false, "the deployed artifact is gone");
  assert.ok(await waitFor(() => !isAlive(first.pid), 2000), "its instance was stopped");

  const again: NapResult = await fn({ ms: 0 });
  ledger.add(again.pid);
  assert.notEqual(again.pid, first.pid);
  assert.equal(deployCount(workspace, "removable"), 2, "the call after remove() deployed again");
  assert.ok(fs.existsSync(files.state));
});
