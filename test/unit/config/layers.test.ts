import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  WORKSPACE_CONFIG_FILE,
  buildConfigOf,
  mergeLayers,
  platformDefaults,
  readWorkspaceConfig,
  resolveConfig,
} from "../../../lib/config/layers";
import { ConfigError, FaasLabError } from "../../../lib/errors";
import { packageRoot } from "../../../lib/paths";
import type { PlatformName } from "../../../lib/platform";

/** The defaults file as shipped, read here independently of the code under test. */
const shippedDefaults = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(packageRoot(), "platforms", "local", "defaults.json"), "utf8")) as Record<
    string,
    unknown
  >;

function workspace(t: TestContext, content?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "faaslab-ws-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  if (content !== undefined) writeFileSync(path.join(dir, WORKSPACE_CONFIG_FILE), content);
  return dir;
}

test("platformDefaults('local') is the shipped defaults.json", () => {
  assert.deepEqual(platformDefaults("local"), shippedDefaults());
});

test("with no workspace file, options or reconfigure, the config is exactly the defaults", (t) => {
  const ws = readWorkspaceConfig(workspace(t));
  assert.deepEqual(ws, {});
  assert.deepEqual(resolveConfig("local", ws, undefined, undefined), shippedDefaults());
});

test("layers: defaults < faaslab.config.json section < options < reconfigure", (t) => {
  const defaults = shippedDefaults();
  const file = {
    platform: "local",
    local: { memory: 1024, timeout: 30, concurrency: 2 },
    aws: { memory: 4096 },
  };
  const ws = readWorkspaceConfig(workspace(t, JSON.stringify(file)));
  assert.deepEqual(ws, file);
  const options = { timeout: 20, concurrency: 3 };
  const reconfigured = { concurrency: 4 };
  const config = resolveConfig("local", ws, options, reconfigured);
  assert.equal(config.memory, 1024, "workspace beats defaults");
  assert.equal(config.timeout, 20, "options beat workspace");
  assert.equal(config.concurrency, 4, "reconfigure beats options");
  assert.equal(config.maxInstances, defaults.maxInstances, "untouched keys keep their default");
  assert.equal(config.idleTimeout, defaults.idleTimeout);
  assert.deepEqual(
    Object.keys(config).sort(),
    Object.keys(defaults).sort(),
    "no key from another platform's section",
  );
});

test("`environment` is merged key by key across all four layers; other keys are replaced", (t) => {
  const file = { local: { environment: { A: "ws", B: "ws", C: "ws" } } };
  const ws = readWorkspaceConfig(workspace(t, JSON.stringify(file)));
  const config = resolveConfig(
    "local",
    ws,
    { environment: { B: "opt", D: "opt" } },
    { environment: { C: "re" } },
  );
  const defaultsEnv = shippedDefaults().environment as Record<string, string>;
  assert.deepEqual(config.environment, { ...defaultsEnv, A: "ws", B: "opt", C: "re", D: "opt" });
});

test("mergeLayers: deep-merges only environment, skips missing layers, leaves its inputs untouched", () => {
  const a = { memory: 128, environment: { X: "1" }, tags: { team: "a" } };
  const b = { environment: { Y: "2" }, tags: { owner: "b" } };
  const snapshot = JSON.stringify([a, b]);
  const merged = mergeLayers(a, undefined, b);
  assert.deepEqual(merged, { memory: 128, environment: { X: "1", Y: "2" }, tags: { owner: "b" } });
  assert.equal(JSON.stringify([a, b]), snapshot, "layers are not mutated");
});

test("the resolved config does not share objects with the cached defaults", (t) => {
  const ws = readWorkspaceConfig(workspace(t));
  const first = resolveConfig("local", ws, undefined, undefined);
  (first.environment as Record<string, string>).LEAKED = "yes";
  first.memory = 4096;
  const second = resolveConfig("local", ws, undefined, undefined);
  assert.deepEqual(second, shippedDefaults(), "mutating one result must not change the next one");
  assert.deepEqual(platformDefaults("local"), shippedDefaults());
});

test("a key set to undefined in a layer means 'not set', not 'remove the default'", (t) => {
  const ws = readWorkspaceConfig(workspace(t, JSON.stringify({ local: { memory: 1024 } })));
  const config = resolveConfig("local", ws, { memory: undefined, timeout: 5 }, { concurrency: undefined });
  assert.equal(config.memory, 1024);
  assert.equal(config.timeout, 5);
  assert.equal(config.concurrency, shippedDefaults().concurrency);
});

test("the file's top-level platform key and other platforms' sections never reach the local config", (t) => {
  const ws = readWorkspaceConfig(workspace(t, JSON.stringify({ platform: "aws", aws: { role: "x" } })));
  assert.deepEqual(resolveConfig("local", ws, undefined, undefined), shippedDefaults());
});

test("a corrupt faaslab.config.json is a ConfigError naming the file", (t) => {
  for (const content of ['{ "local": { "memory": 1024 ', "", "[1, 2]", "null", '"local"']) {
    const dir = workspace(t, content);
    const file = path.join(dir, WORKSPACE_CONFIG_FILE);
    assert.throws(
      () => readWorkspaceConfig(dir),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError, `ConfigError for ${JSON.stringify(content)}`);
        assert.ok(e instanceof FaasLabError);
        assert.equal(e.phase, "config");
        assert.equal(e.problems.length, 1);
        assert.ok(e.problems[0].includes(file), e.problems[0]);
        assert.ok(e.message.includes(file), e.message);
        assert.ok(e.hint, "says how to fix it");
        return true;
      },
    );
  }
});

test("a workspace section that is not an object is a ConfigError, not silently ignored", (t) => {
  for (const section of [512, "memory=512", [1], null]) {
    const ws = readWorkspaceConfig(workspace(t, JSON.stringify({ local: section })));
    assert.throws(
      () => resolveConfig("local", ws, undefined, undefined),
      ConfigError,
      JSON.stringify(section),
    );
  }
});

test("an invalid value from the workspace file is reported even though it is not from options", (t) => {
  const ws = readWorkspaceConfig(workspace(t, JSON.stringify({ local: { memory: 10 } })));
  assert.throws(
    () => resolveConfig("local", ws, undefined, undefined),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems.length, 1);
      assert.match(e.problems[0], /"memory".*64/);
      return true;
    },
  );
});

test("a platform without a schema is a FaasLabError in the config phase", () => {
  assert.throws(
    () => resolveConfig("nope" as PlatformName, {}, undefined, undefined),
    (e: unknown) => e instanceof FaasLabError && e.phase === "config" && /"nope"/.test(e.message),
  );
});

test("buildConfigOf('local') is empty: no local knob changes the artifact", () => {
  assert.deepEqual(buildConfigOf("local", shippedDefaults()), {});
});
