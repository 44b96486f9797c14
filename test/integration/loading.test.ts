// Functions deployed in one process are callable from another; the free-name check runs before any
// build; declared dependencies are installed from a local package without a network.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { cloudFunction, FaasLabError, useFunction } from "../../lib";
import { nap } from "../helpers/functions";
import { runNode } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib, deployCount, functionFiles } from "../helpers/workspace";

const { workspace, ledger } = localSuite("loading");

const greet = async (payload: { name: string }) => ({ message: `Hello ${payload.name}!`, pid: process.pid });

test("loadFunctions() and useFunction() in a fresh process call what this process deployed", async () => {
  const greeter = cloudFunction("greeter", greet);
  const here = await greeter({ name: "Steve" });
  ledger.add(here.pid);
  await cloudFunction("napper", nap).deploy();

  const script = `
    const faaslab = require(${JSON.stringify(compiledLib())});
    (async () => {
      const all = faaslab.loadFunctions();
      const fromLoad = await all.greeter({ name: "Ann" });
      const record = await faaslab.useFunction("greeter").invoke({ name: "Bob" });
      console.log(JSON.stringify({ names: Object.keys(all).sort(), fromLoad, result: record.result,
        coldStart: record.coldStart, workerPid: process.pid }));
      await faaslab.shutdown();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = await runNode(script, {
    cwd: workspace,
    env: { ...process.env, FAASLAB_WORKSPACE: workspace },
    timeoutMs: 15000,
  });
  assert.equal(run.code, 0, `the fresh process failed: ${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split("\n").pop() as string);

  assert.deepEqual(out.names, ["greeter", "napper"]);
  assert.equal(out.fromLoad.message, "Hello Ann!");
  assert.equal(out.result.message, "Hello Bob!");
  assert.equal(out.coldStart, false, "the second call in that process reused its instance");
  assert.notEqual(out.fromLoad.pid, here.pid, "that process started instances of its own");
  assert.notEqual(out.fromLoad.pid, out.workerPid);
  assert.equal(deployCount(workspace, "greeter"), 1, "loading did not rebuild or redeploy");
});

test("useFunction() of an unknown name throws a FaasLabError that lists the deployed names", async () => {
  await cloudFunction("listed_one", nap).deploy();
  assert.throws(
    () => useFunction("no_such_function"),
    (error: unknown) => {
      assert.ok(error instanceof FaasLabError);
      assert.equal(error.code, "NOT_DEPLOYED");
      assert.match(error.message, /no_such_function/);
      assert.match(error.hint ?? "", /listed_one/);
      return true;
    },
  );
});

test("a function using an outer variable is rejected before building, naming the variable", async () => {
  const multiplier = 3;
  const fn = cloudFunction("uses_outer", async (payload: { x: number }) => ({ y: payload.x * multiplier }));
  await assert.rejects(fn.deploy(), (error: unknown) => {
    assert.ok(error instanceof FaasLabError);
    assert.equal(error.code, "UNRESOLVED_NAMES");
    assert.match(error.message, /"multiplier"/);
    assert.match(error.hint ?? "", /multiplier/);
    return true;
  });
  await assert.rejects(fn({ x: 1 }), FaasLabError);
  const files = functionFiles(workspace, "uses_outer");
  assert.equal(fs.existsSync(files.state), false, "no state.json was written");
  assert.equal(fs.existsSync(files.artifact), false, "nothing was built");
});

test("dependencies: a local package (file:) is installed into the build and require()d by the function", async () => {
  const marker = randomUUID();
  const pkgDir = path.join(workspace, "tinypkg-src");
  fs.mkdirSync(pkgDir);
  fs.writeFileSync(
    path.join(pkgDir, "package.json"),
    JSON.stringify({ name: "tinypkg", version: "1.0.0", main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(pkgDir, "index.js"),
    `exports.shout = (s) => s.toUpperCase() + "!";\nexports.marker = ${JSON.stringify(marker)};\n`,
  );

  const fn = cloudFunction(
    "with_dependency",
    async (payload: { text: string }) => {
      const tiny = require("tinypkg") as { shout(s: string): string; marker: string };
      return { shouted: tiny.shout(payload.text), marker: tiny.marker, pid: process.pid };
    },
    { dependencies: { tinypkg: `file:${pkgDir}` } },
  );
  const offline = { npm_config_offline: "true", npm_config_registry: "http://127.0.0.1:9/" };
  const saved = { ...process.env };
  Object.assign(process.env, offline); // npm must not need the network for a file: package
  try {
    const result = await fn({ text: "quiet" });
    ledger.add(result.pid);
    assert.equal(result.shouted, "QUIET!");
    assert.equal(result.marker, marker, "the code came from the local package");
  } finally {
    for (const key of Object.keys(offline)) if (saved[key] === undefined) delete process.env[key];
  }
  assert.equal(
    fs.existsSync(path.join(workspace, "node_modules", "tinypkg")),
    false,
    "not from the workspace",
  );
});
