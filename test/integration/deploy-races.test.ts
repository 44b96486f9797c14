// A remove() and the deploys of one function run one after the other: a call made while a slow remove
// is under way waits for it and deploys again, instead of taking the deployment being removed as the
// current one (after which every later call went to a function that no longer existed).
// Exercised through the echo platform (test/fixtures/platforms/echo), whose remove is held open here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { configure, shutdown, type InvocationRecord } from "../../lib";
import { externalFunction } from "../../lib/function/cloud-function";
import type { Deployment, RawInvocation } from "../../lib/platform";
import { useEchoPlatform } from "../fixtures/platforms/echo";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";

let workspace: string;
const echo = useEchoPlatform();

before(() => {
  workspace = tempDir("deploy-races");
  configure({ workspace });
});
after(async () => {
  await shutdown();
  configure({ workspace: process.cwd() });
  removeDir(workspace);
});

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test("a call during a slow remove() waits for it and deploys again; later calls never reach the removed one", async () => {
  const fn = externalFunction("raced_remove", "echo", {});
  assert.equal((await fn.invoke("before")).failed, false);
  const platform = echo();
  assert.ok(platform, "premise: the echo platform is in use");

  // Removed deployments answer like a function that no longer exists; remove() waits for the gate.
  const removed = new Set<unknown>();
  const started = deferred();
  const gate = deferred();
  const remove = platform.remove.bind(platform);
  const invoke = platform.invoke.bind(platform);
  platform.remove = async (deployment: Deployment) => {
    started.resolve();
    await gate.promise;
    removed.add(deployment.ref.attach);
    return remove(deployment);
  };
  platform.invoke = async (deployment: Deployment, payload: unknown): Promise<RawInvocation> => {
    const raw = await invoke(deployment, payload);
    if (!removed.has(deployment.ref.attach)) return raw;
    return {
      ...raw,
      result: undefined,
      failure: { errorType: "NotFound", errorMessage: "removed", timedOut: false },
    };
  };

  const removing = fn.remove();
  await started.promise;
  const during = fn.invoke("during");
  gate.resolve();
  await removing;
  const records: InvocationRecord[] = [await during, await fn.invoke("after"), await fn.invoke("again")];
  assert.deepEqual(
    records.map((r) => (r.failed ? `${r.errorType}: ${r.errorMessage}` : r.result)),
    [{ echoed: "during" }, { echoed: "after" }, { echoed: "again" }],
  );
  assert.equal(platform.attaches, 2, "attached again after the remove");
  assert.ok(existsSync(functionFiles(workspace, "raced_remove").state), "state.json describes the new one");
});
