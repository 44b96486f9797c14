// Loading a function never leaves the workspace: names given to useFunction()/loadFunctions() are
// checked as defined ones are, and a state.json whose deployment names files outside the function's
// own directories is never followed — nothing there is run, appended to or deleted.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { cloudFunction, ConfigError, FaasLabError, loadFunctions, useFunction } from "../../lib";
import { resultOf } from "../helpers/functions";
import { localSuite } from "../helpers/suite";
import { functionFiles, removeDir } from "../helpers/workspace";

const { workspace, ledger } = localSuite("workspace-escape");

/** A directory beside the workspace with a script that leaves a marker file if anything runs it. */
function outsideDir(t: { after(fn: () => void): void }) {
  const dir = path.join(workspace, "..", `escape-${randomUUID()}`);
  fs.mkdirSync(dir);
  t.after(() => removeDir(dir));
  const marker = path.join(dir, "it-ran");
  const script = path.join(dir, "payload.js");
  fs.writeFileSync(script, `require("fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
  return { dir, script, marker, log: path.join(dir, "log.txt") };
}

/** A state.json as faaslab writes it, for `name`, whose deployment ref is `ref`. */
function writeState(file: string, name: string, ref: Record<string, unknown>): void {
  const hash = "0".repeat(64);
  const deployedAt = new Date().toISOString();
  const deployment = { platform: "local", functionName: name, hash, config: {}, ref, deployedAt };
  const state = {
    version: 1,
    name,
    platform: "local",
    hash,
    config: {},
    deployment,
    deployedAt,
    source: null,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...state, dependencies: {} }));
}

test('useFunction("../../dir") is refused like an invalid definition: nothing outside is read or run', async (t) => {
  const outside = outsideDir(t);
  const name = `../../${path.basename(outside.dir)}`;
  assert.equal(path.join(workspace, "functions", name), outside.dir, "premise: the name leads outside");
  writeState(path.join(outside.dir, "state.json"), name, { artifact: outside.script, log: outside.log });
  assert.throws(
    () => useFunction(name),
    (error: unknown) => error instanceof ConfigError && /must start with a letter/.test(error.message),
  );
  assert.throws(() => useFunction("CON"), /reserved by Windows/);
  assert.equal(fs.existsSync(outside.marker), false, "the outside script never ran");
  assert.ok(fs.existsSync(outside.script), "and is still there");
});

test("a state.json naming files outside its function's directories is not followed, not even to remove them", async (t) => {
  const outside = outsideDir(t);
  const name = "points_outside";
  const files = functionFiles(workspace, name);
  const deployedDir = path.join(files.dir, "deployed");
  const inside = (file: string) => path.join(deployedDir, file);
  const refs: Record<string, unknown>[] = [
    { artifact: outside.script, log: path.join(files.dir, "logs", "instances.log") },
    { artifact: inside("local-0000000000000000.js"), log: outside.log },
    {
      artifact: path.join(deployedDir, "..", "..", "..", "..", path.basename(outside.dir), "payload.js"),
      log: outside.log,
    },
  ];
  for (const ref of refs) {
    writeState(files.state, name, ref);
    const loaded = useFunction(name);
    await assert.rejects(loaded.invoke({}), (error: unknown) => {
      assert.ok(error instanceof FaasLabError);
      assert.equal(error.code, "UNTRUSTED_STATE", `${JSON.stringify(ref)}: ${error.message}`);
      assert.match(error.message, /is not followed/);
      return true;
    });
    assert.equal(fs.existsSync(outside.marker), false, `nothing ran for ${JSON.stringify(ref)}`);
    await loaded.remove();
    assert.ok(fs.existsSync(outside.script), "remove() deleted nothing outside");
    assert.equal(fs.existsSync(files.state), false, "only the state.json itself");
  }
  assert.equal(fs.existsSync(outside.log), false, "no instance log was written outside");

  writeState(files.state, name, { artifact: outside.script, log: outside.log });
  const defined = cloudFunction(name, async () => ({ pid: process.pid }));
  const record = await defined.invoke({});
  ledger.add(resultOf<{ pid: number }>(record).pid);
  assert.equal(fs.existsSync(outside.marker), false, "a definition deploys anew instead");
  assert.ok(fs.existsSync(outside.script));
});

test("loadFunctions() skips folders whose names are no function names", async () => {
  const record = await cloudFunction("loadable", async () => ({ pid: process.pid })).invoke({});
  ledger.add(resultOf<{ pid: number }>(record).pid);
  for (const bad of ["bad name", "CON", "9lives"]) {
    const state = functionFiles(workspace, "loadable").state;
    const copy = JSON.parse(fs.readFileSync(state, "utf8")) as Record<string, unknown>;
    const target = path.join(workspace, "functions", bad, "state.json");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, JSON.stringify({ ...copy, name: bad }));
  }
  const names = Object.keys(loadFunctions());
  assert.ok(names.includes("loadable"), names.join(", "));
  for (const bad of ["bad name", "CON", "9lives"]) assert.equal(names.includes(bad), false, bad);
});
