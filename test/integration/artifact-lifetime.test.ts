// A deployed artifact lives as long as an instance or a request needs it: remove() with calls in
// flight or racing a call never leaves a state in which calls crash, and a deployed copy deleted or
// changed on disk is found and rebuilt by the next call — in this process and in a fresh one.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cloudFunction, shutdown, type InvocationRecord } from "../../lib";
import { nap, resultOf } from "../helpers/functions";
import { runNode, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib, deployCount, functionFiles, readStateFile } from "../helpers/workspace";

const { workspace, ledger } = localSuite("artifact-lifetime");

const pidOf = (record: InvocationRecord): number => {
  const pid = resultOf<{ pid: number }>(record).pid;
  ledger.add(pid);
  return pid;
};
const deployedDir = (name: string) => path.join(functionFiles(workspace, name).dir, "deployed");
const deployedCopy = (name: string) => readStateFile(workspace, name).deployment.ref.artifact as string;
/** This process's hold files (instances start from these, see platforms/local/holds.ts). */
const holdFiles = (name: string): string[] => {
  try {
    return fs.readdirSync(deployedDir(name)).filter((file) => file.includes(`.${process.pid}-`));
  } catch {
    return [];
  }
};
const described = (records: InvocationRecord[]) =>
  records.map((r) => (r.failed ? `${r.errorType}: ${r.errorMessage}` : "ok"));
const deployLog = (name: string) => fs.readFileSync(functionFiles(workspace, name).deployLog, "utf8");

test("remove() with 20 calls in flight: none crashes, queued ones fail as retired, the next call redeploys", async () => {
  const fn = cloudFunction("removed_busy", nap);
  pidOf(await fn.invoke({ ms: 0 }));
  const copy = deployedCopy("removed_busy");
  const calls = Array.from({ length: 20 }, () => fn.invoke({ ms: 200 }));
  await fn.remove();
  assert.equal(fs.existsSync(copy), false, "the deployed copy is deleted at once");
  const records = await Promise.all(calls);
  const unexpected = records.filter((r) => r.failed && r.errorType !== "InstanceRetired");
  assert.deepEqual(described(unexpected), [], "no call crashed on a deleted artifact");
  for (const r of records.filter((r) => r.failed)) assert.match(r.errorMessage ?? "", /removed/);
  const finished = records.filter((r) => !r.failed);
  finished.forEach(pidOf);
  assert.ok(finished.length >= 1, `calls already on an instance finished (${described(records).join(", ")})`);

  const again = await fn.invoke({ ms: 0 });
  pidOf(again);
  assert.equal(deployCount(workspace, "removed_busy"), 2, "the call after remove() deployed again");
  assert.ok(fs.existsSync(functionFiles(workspace, "removed_busy").state));
});

test("remove() racing a call, in either order: that call and every later one run, also a fresh identical definition", async () => {
  const source = async () => ({ pid: process.pid });
  const fn = cloudFunction("remove_race", source);
  pidOf(await fn.invoke({}));
  const afterTicks = async <T>(ticks: number, run: () => Promise<T>): Promise<T> => {
    for (let i = 0; i < ticks; i++) await null;
    return run();
  };
  for (let ticks = 0; ticks < 4; ticks++) {
    for (const callFirst of [true, false]) {
      const label = `${callFirst ? "call" : "remove"} first, ${ticks} ticks apart`;
      const racing = callFirst
        ? (await Promise.all([fn.invoke({}), afterTicks(ticks, () => fn.remove())]))[0]
        : (await Promise.all([fn.remove(), afterTicks(ticks, () => fn.invoke({}))]))[1];
      const later = await fn.invoke({});
      const fresh = await cloudFunction("remove_race", source).invoke({});
      assert.deepEqual(described([racing, later, fresh]), ["ok", "ok", "ok"], label);
      [racing, later, fresh].forEach(pidOf);
    }
  }
});

test("a deployed copy deleted from disk is rebuilt by the next call, here and in a fresh process", async () => {
  const fn = cloudFunction("copy_deleted", nap);
  pidOf(await fn.invoke({ ms: 0 }));
  fs.rmSync(deployedDir("copy_deleted"), { recursive: true }); // the copy and this process's holds
  // Two calls: one could run on the warm instance, the other needs a new one, started from the file.
  const records = await Promise.all([fn.invoke({ ms: 100 }), fn.invoke({ ms: 100 })]);
  assert.deepEqual(described(records), ["ok", "ok"]);
  records.forEach(pidOf);
  assert.equal(deployCount(workspace, "copy_deleted"), 2, "rebuilt once");
  assert.match(deployLog("copy_deleted"), /deleted or changed|is missing/);

  fs.rmSync(deployedDir("copy_deleted"), { recursive: true });
  const script = `
    const faaslab = require(${JSON.stringify(compiledLib())});
    const nap = ${nap.toString()};
    (async () => {
      const loaded = await faaslab.useFunction("copy_deleted").invoke({ ms: 0 }).then(
        () => "ran", (e) => e.code + ": " + e.message);
      const record = await faaslab.cloudFunction("copy_deleted", nap).invoke({ ms: 0 });
      const reloaded = await faaslab.useFunction("copy_deleted").invoke({ ms: 0 });
      console.log(JSON.stringify({ loaded, failed: record.failed, error: record.errorMessage,
        pid: record.result && record.result.pid, reloadedFailed: reloaded.failed }));
      await faaslab.shutdown();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = await runNode(script, {
    cwd: workspace,
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    timeoutMs: 30_000,
  });
  assert.equal(run.code, 0, `the fresh process failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split("\n").pop() as string) as {
    loaded: string;
    failed: boolean;
    error: string | null;
    pid: number;
    reloadedFailed: boolean;
  };
  ledger.add(out.pid);
  assert.match(
    out.loaded,
    /^NOT_DEPLOYED: .*damaged: its artifact .* is missing/,
    "no source there: it says so",
  );
  assert.equal(out.failed, false, `the definition there rebuilt it: ${out.error}`);
  assert.equal(out.reloadedFailed, false, "then the loaded function runs too");
  assert.equal(deployCount(workspace, "copy_deleted"), 3);
});

test("a deployed copy whose bytes changed on disk is detected and rebuilt by the next call", async () => {
  const fn = cloudFunction("copy_changed", nap);
  pidOf(await fn.invoke({ ms: 0 }));
  const copy = deployedCopy("copy_changed");
  const hash = readStateFile(workspace, "copy_changed").hash;
  fs.writeFileSync(copy, "this is not JavaScript ("); // in place: the very file this process's holds share
  const records = await Promise.all([fn.invoke({ ms: 100 }), fn.invoke({ ms: 100 })]);
  assert.deepEqual(described(records), ["ok", "ok"]);
  records.forEach(pidOf);
  assert.equal(deployCount(workspace, "copy_changed"), 2, "rebuilt once");
  assert.equal(readStateFile(workspace, "copy_changed").hash, hash, "the same function");
  assert.notEqual(fs.readFileSync(copy, "utf8"), "this is not JavaScript (", "a whole copy again");
});

test("remove() deletes this process's holds once the instances exited; shutdown() deletes all of them", async () => {
  const removed = cloudFunction("holds_removed", nap);
  pidOf(await removed.invoke({ ms: 0 }));
  assert.equal(holdFiles("holds_removed").length, 1, "premise: instances start from a hold");
  await removed.remove();
  assert.ok(await waitFor(() => holdFiles("holds_removed").length === 0, 5000), "the hold was deleted");

  const kept = cloudFunction("holds_kept", nap);
  pidOf(await kept.invoke({ ms: 0 }));
  assert.equal(holdFiles("holds_kept").length, 1);
  await shutdown();
  assert.deepEqual(holdFiles("holds_kept"), [], "no hold left after shutdown()");
  assert.ok(fs.existsSync(deployedCopy("holds_kept")), "the deployed copy stays: still deployed");
});
