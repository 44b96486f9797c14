import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, FaasLabError, listDeployed, removeAll } from "../../../lib";
import { writeState, STATE_VERSION } from "../../../lib/function/state";
import { functionPaths } from "../../../lib/function/workspace";
import type { Deployment, PlatformModule } from "../../../lib/platform";
import { registerPlatform } from "../../../lib/registry";
import { shelfDeployment, useShelfPlatform } from "../../fixtures/platforms/shelf";

const quiet = { log: () => undefined };

function workspace(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), "faaslab-cleanup-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A functions/<name>/state.json as a deploy writes it. */
function record(ws: string, name: string, deployment: Deployment): string {
  const file = functionPaths(name, ws).state;
  writeState(file, {
    version: STATE_VERSION,
    name,
    platform: deployment.platform,
    hash: "h",
    config: deployment.config,
    deployment,
    deployedAt: deployment.deployedAt,
    source: null,
    dependencies: {},
  });
  return file;
}

const localDeployment = (name: string, ws: string): Deployment => ({
  platform: "local",
  functionName: name,
  hash: "h",
  config: {},
  ref: { artifact: path.join(ws, "functions", name, "deployed", "x.js"), log: "/dev/null" },
  deployedAt: "2026-01-02T00:00:00.000Z",
});

/** alpha (eu, also on the shelf), beta (eu, gone from the shelf), delta (us, on the shelf), gamma (eu, shelf only). */
function scene(t: TestContext) {
  const ws = workspace(t);
  const shelf = useShelfPlatform();
  shelf.put("eu", "alpha", "gamma");
  shelf.put("us", "delta");
  shelf.put("ap", "epsilon");
  record(ws, "alpha", shelfDeployment("alpha", "eu"));
  record(ws, "beta", shelfDeployment("beta", "eu"));
  record(ws, "delta", shelfDeployment("delta", "us"));
  record(ws, "loc", localDeployment("loc", ws));
  return { ws, shelf };
}

const summary = (functions: { functionName: string; foundIn: string; location: string | null }[]) =>
  functions.map((f) => `${f.functionName} ${f.foundIn} ${f.location ?? "-"}`);

test("listDeployed: workspace entries merged with what the platform lists where the workspace points", async (t) => {
  const { ws, shelf } = scene(t);
  const { functions, problems } = await listDeployed({ workspace: ws, ...quiet });
  assert.deepEqual(problems, []);
  assert.deepEqual(summary(functions), [
    "loc workspace -",
    "alpha both eu",
    "beta workspace -",
    "delta both us",
    "gamma platform eu",
  ]);
  assert.deepEqual(shelf.listedAt.sort(), ["eu", "us"], "the default place and each function's place, once");
  const gamma = functions.find((f) => f.functionName === "gamma");
  assert.equal(gamma?.stateFile, null);
  assert.deepEqual(gamma?.deployment.ref, { name: "gamma", place: "eu" });
  const alpha = functions.find((f) => f.functionName === "alpha");
  assert.equal(alpha?.stateFile, functionPaths("alpha", ws).state);
  assert.equal(alpha?.deployedAt, "2026-01-01T00:00:00.000Z");
});

test("listDeployed: platform, prefix and config narrow it down", async (t) => {
  const { ws, shelf } = scene(t);
  const shelfOnly = await listDeployed({ workspace: ws, platform: "shelf", prefix: "d", ...quiet });
  assert.deepEqual(summary(shelfOnly.functions), ["delta both us"]);
  shelf.listedAt.length = 0;
  const ap = await listDeployed({ workspace: ws, platform: "shelf", config: { place: "ap" }, ...quiet });
  assert.deepEqual(shelf.listedAt, ["ap"], "a given config is the only place asked");
  assert.deepEqual(summary(ap.functions), [
    "alpha workspace -",
    "beta workspace -",
    "delta workspace -",
    "epsilon platform ap",
  ]);
  const local = await listDeployed({ workspace: ws, platform: "local", ...quiet });
  assert.deepEqual(summary(local.functions), ["loc workspace -"], "local cannot list: its workspace is all");
  writeFileSync(path.join(ws, "faaslab.config.json"), JSON.stringify({ shelf: { place: "ap" } }));
  const configured = await listDeployed({ workspace: ws, platform: "shelf", prefix: "eps", ...quiet });
  assert.deepEqual(summary(configured.functions), ["epsilon platform ap"], "faaslab.config.json's place");
});

test("listDeployed: a platform that fails or cannot load is a problem; the workspace entries stay", async (t) => {
  const { ws, shelf } = scene(t);
  shelf.failingPlaces.add("us");
  record(ws, "ghost", { ...shelfDeployment("ghost", "eu"), platform: "retired_platform" });
  registerPlatform(
    "broken_sdk",
    () => {
      throw new FaasLabError("the broken-sdk package is not installed", {
        code: "PLATFORM_UNAVAILABLE",
        phase: "config",
      });
    },
    path.join(ws, "none.json"),
  );
  record(ws, "needs_sdk", { ...shelfDeployment("needs_sdk", "eu"), platform: "broken_sdk" });
  const lines: string[] = [];
  const { functions, problems } = await listDeployed({ workspace: ws, log: (l) => lines.push(l) });
  assert.deepEqual(problems.map((p) => `${p.platform} ${p.error.code}`).sort(), [
    "broken_sdk PLATFORM_UNAVAILABLE",
    "retired_platform PLATFORM_UNAVAILABLE",
    "shelf LIST_FAILED",
  ]);
  assert.match(problems.find((p) => p.platform === "shelf")?.message ?? "", /place us is closed/);
  assert.ok(
    lines.some((l) => /^warning: .*place us is closed/.test(l)),
    lines.join("\n"),
  );
  assert.deepEqual(summary(functions), [
    "needs_sdk workspace -",
    "loc workspace -",
    "ghost workspace -",
    "alpha both eu",
    "beta workspace -",
    "delta workspace -",
    "gamma platform eu",
  ]);
});

test("removeAll: through the workspace and the platform, state.json gone, one failure stops nothing", async (t) => {
  const { ws, shelf } = scene(t);
  shelf.failingRemovals.add("beta");
  const result = await removeAll({ platform: "shelf", workspace: ws, ...quiet });
  assert.deepEqual(
    result.removed.map((f) => f.functionName),
    ["alpha", "delta", "gamma"],
  );
  assert.deepEqual(
    result.failed.map((f) => [f.function.functionName, f.error.phase]),
    [["beta", "remove"]],
  );
  assert.match(result.failed[0].error.message, /the shelf is stuck/);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(shelf.removed, ["eu/alpha", "us/delta", "eu/gamma"]);
  assert.ok(!existsSync(functionPaths("alpha", ws).state) && !existsSync(functionPaths("delta", ws).state));
  assert.ok(existsSync(functionPaths("beta", ws).state), "a failed removal keeps its state.json");
  assert.ok(existsSync(functionPaths("loc", ws).state), "other platforms are not touched");
  assert.ok(shelf.has("ap", "epsilon"), "places nothing points at are not touched");
});

test("removeAll: only the prefix; an aborted signal removes nothing and says so", async (t) => {
  const { ws, shelf } = scene(t);
  const some = await removeAll({ platform: "shelf", prefix: "ga", workspace: ws, ...quiet });
  assert.deepEqual(
    some.removed.map((f) => f.functionName),
    ["gamma"],
  );
  assert.deepEqual(shelf.removed, ["eu/gamma"]);
  const controller = new AbortController();
  controller.abort();
  const none = await removeAll({ platform: "shelf", workspace: ws, signal: controller.signal, ...quiet });
  assert.deepEqual(none.removed, []);
  assert.deepEqual(
    none.failed.map((f) => f.error.code),
    ["ABORTED", "ABORTED", "ABORTED"],
  );
  assert.deepEqual(shelf.removed, ["eu/gamma"]);
});

test("removeAll: platform required and valid; a platform that cannot remove is refused up front", async (t) => {
  const ws = workspace(t);
  await assert.rejects(removeAll({ workspace: ws } as never), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /"platform" is required/);
    return true;
  });
  await assert.rejects(removeAll({ platform: "nowhere", workspace: ws }), /"platform" must be one of/);
  await assert.rejects(
    listDeployed({ config: { place: "eu" }, workspace: ws }),
    /"config" needs a "platform"/,
  );
  const module = {
    name: "keeper",
    schema: { platform: "keeper", fields: {} },
    buildKeys: [],
    capabilities: [],
    shimEntry: null,
    buildTarget: () => "node22",
    resourceName: (n: string) => n,
    create: () => ({ name: "keeper", invoke: async () => ({}) as never }),
  } as unknown as PlatformModule;
  registerPlatform("keeper", () => module, path.join(ws, "none.json"));
  record(ws, "kept", { ...shelfDeployment("kept", "eu"), platform: "keeper" });
  await assert.rejects(removeAll({ platform: "keeper", workspace: ws }), { code: "UNSUPPORTED" });
  assert.ok(existsSync(functionPaths("kept", ws).state));
});
