// Two definitions of one function name do not fight: a definition never deploys over a newer one's
// deployment. An earlier definition keeps the deployment it already ran on (an experiment on it runs
// the code it started with) and otherwise fails with SUPERSEDED; the latest deployed stays deployed.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { cloudFunction, experiment, FaasLabError, type InvocationRecord } from "../../lib";
import { resultOf } from "../helpers/functions";
import { localSuite } from "../helpers/suite";
import { deployCount, functionFiles } from "../helpers/workspace";

const { workspace, ledger } = localSuite("definitions");

const first = async () => ({ version: 1, pid: process.pid });
const second = async () => ({ version: 2, pid: process.pid });

const versionOf = (record: InvocationRecord): number => {
  const result = resultOf<{ version: number; pid: number }>(record);
  ledger.add(result.pid);
  return result.version;
};
/** The source state.json says is deployed. */
const deployedSource = (name: string): string =>
  (JSON.parse(fs.readFileSync(functionFiles(workspace, name).state, "utf8")) as { source: string }).source;
const superseded = (error: unknown): boolean => {
  assert.ok(error instanceof FaasLabError, String(error));
  assert.equal(error.code, "SUPERSEDED");
  assert.match(
    error.message,
    /"defined_twice" was defined again by a later cloudFunction\(\) call, which has deployed/,
  );
  assert.match(error.hint ?? "", /call the newer definition/);
  return true;
};

test("an earlier definition called after a newer one deployed fails with SUPERSEDED and deploys nothing", async () => {
  const earlier = cloudFunction("defined_twice", first);
  const later = cloudFunction("defined_twice", second);
  assert.equal(versionOf(await later.invoke({})), 2);
  const calls = Array.from({ length: 20 }, () => [earlier.invoke({}), later.invoke({})]).flat();
  const settled = await Promise.allSettled(calls);
  for (const [i, outcome] of settled.entries()) {
    if (i % 2 === 0) {
      assert.equal(outcome.status, "rejected", `call ${i} of the earlier definition`);
      superseded((outcome as PromiseRejectedResult).reason);
    } else {
      assert.equal(outcome.status, "fulfilled", `call ${i} of the later definition`);
      assert.equal(versionOf((outcome as PromiseFulfilledResult<InvocationRecord>).value), 2);
    }
  }
  await assert.rejects(earlier.deploy({ force: true }), superseded);
  assert.equal(deployCount(workspace, "defined_twice"), 1, "one deploy, of the later definition");
  assert.match(deployedSource("defined_twice"), /version: 2/, "state.json stays on the later definition");
});

test("two definitions made before either ran, called alternately: each deploys once and runs its own code", async () => {
  const earlier = cloudFunction("both_fresh", first);
  const later = cloudFunction("both_fresh", second);
  const records = await Promise.all(
    Array.from({ length: 20 }, () => [earlier.invoke({}), later.invoke({})]).flat(),
  );
  assert.deepEqual(
    records.map(versionOf),
    Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 2)),
  );
  assert.equal(deployCount(workspace, "both_fresh"), 2, "not 40 deploys: one each");
  assert.match(deployedSource("both_fresh"), /version: 2/, "state.json ends on the later definition");
});

test("an earlier definition that already ran keeps its deployment: alternate calls, no redeploys", async () => {
  const earlier = cloudFunction("kept_running", first);
  assert.equal(versionOf(await earlier.invoke({})), 1);
  const later = cloudFunction("kept_running", second);
  const records = await Promise.all(
    Array.from({ length: 10 }, () => [earlier.invoke({}), later.invoke({})]).flat(),
  );
  assert.deepEqual(
    records.map(versionOf),
    Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : 2)),
  );
  assert.equal(deployCount(workspace, "kept_running"), 2, "each definition deployed once");
  assert.match(deployedSource("kept_running"), /version: 2/, "state.json is the later definition's");
  const again = await earlier.invoke({});
  assert.equal(versionOf(again), 1);
  assert.equal(again.coldStart, false, "its instances kept running beside the later one's");
});

test("an experiment on the earlier definition, after a newer one deployed, runs the code it ran before", async () => {
  const older = cloudFunction("redefined_before_run", first);
  assert.equal(versionOf(await older.invoke({})), 1);
  const newer = cloudFunction("redefined_before_run", second);
  assert.equal(versionOf(await newer.invoke({})), 2);

  const result = await experiment(older, { name: "on-the-first-definition", threads: 2, runsPerThread: 20 });
  const rows = result.allRows as unknown as Record<string, unknown>[];
  assert.equal(rows.length, 40);
  assert.deepEqual(
    rows.filter((row) => row.failed).map((row) => `${row.errorType}: ${row.errorMessage}`),
    [],
    "no row failed",
  );
  assert.deepEqual([...new Set(rows.map((row) => row.version))], [1], "every row ran the first definition");
  rows.forEach((row) => ledger.add(row.pid));
  assert.equal(deployCount(workspace, "redefined_before_run"), 2, "the experiment redeployed nothing");
  assert.match(deployedSource("redefined_before_run"), /version: 2/, "state.json stays on the newer one");
  assert.equal(versionOf(await newer.invoke({})), 2);
  assert.equal(
    deployCount(workspace, "redefined_before_run"),
    2,
    "and the newer one did not redeploy either",
  );
});
