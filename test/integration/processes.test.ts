// Instances never outlive the process that started them, however it ends, and never open a network port.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { isAlive, runNode, sleep, startNodeUntilJson, survivors } from "../helpers/processes";
import { listeningSocketsOf, socketInodes } from "../helpers/sockets";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("processes");
const env = { ...process.env, FAASLAB_WORKSPACE: workspace };

/** A script that deploys `name`, warms two instances (idleTimeout 60 s), prints their PIDs, then runs `tail`. */
const scriptFor = (name: string, tail: string) => `
  const faaslab = require(${JSON.stringify(compiledLib())});
  const fn = faaslab.cloudFunction(${JSON.stringify(name)}, async (p) => {
    await new Promise((r) => setTimeout(r, p.ms));
    while (p.spin) {}
    return { pid: process.pid };
  }, { config: { concurrency: 1, maxInstances: 2, idleTimeout: 60, timeout: 5 } });
  (async () => {
    const warm = await Promise.all([fn({ ms: 100 }), fn({ ms: 100 })]);
    console.log(JSON.stringify({ pids: warm.map((r) => r.pid) }));
    ${tail}
  })().catch((e) => { console.error(e); process.exit(1); });`;

const pidsIn = (stdout: string): number[] => {
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `the script printed its instance PIDs: ${stdout}`);
  return (JSON.parse(line) as { pids: number[] }).pids;
};

for (const [how, tail] of [
  ["ends without shutdown()", ""],
  ["calls process.exit() without shutdown()", "process.exit(0);"],
  ["throws an uncaught error", "setImmediate(() => { throw new Error('boom'); });"],
]) {
  test(`a script that ${how} leaves no instance behind`, async () => {
    const run = await runNode(scriptFor(`exit_${how.split(" ")[0]}`, tail), {
      cwd: workspace,
      env,
      timeoutMs: 15000,
    });
    assert.equal(run.signal, null, `the script ended by itself (stderr: ${run.stderr})`);
    const pids = pidsIn(run.stdout);
    assert.equal(new Set(pids).size, 2, "it ran two instances");
    assert.deepEqual(await survivors(pids, 2000), [], "instances still running after their parent exited");
  });
}

test("a script SIGKILLed while a request is in flight leaves no instance behind", async () => {
  const script = scriptFor("killed_parent", "await fn({ ms: 30000 });");
  const { child, message } = await startNodeUntilJson(script, { cwd: workspace, env, timeoutMs: 15000 });
  const pids = (message as { pids: number[] }).pids;
  assert.equal(new Set(pids).size, 2);
  assert.ok(pids.every(isAlive), "both instances run while their parent lives");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await sleep(200); // the long request reaches an instance
  child.kill("SIGKILL");
  await exited;
  assert.deepEqual(await survivors(pids, 2000), [], "instances still running after their parent was killed");
});

test("a script SIGKILLed while its function spins in a synchronous loop leaves no instance behind", async () => {
  const script = scriptFor("killed_while_spinning", "await fn({ ms: 0, spin: true });");
  const { child, message } = await startNodeUntilJson(script, { cwd: workspace, env, timeoutMs: 15000 });
  const pids = (message as { pids: number[] }).pids;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await sleep(200); // the spinning request reaches an instance
  child.kill("SIGKILL");
  await exited;
  const left = await survivors(pids, 2000);
  for (const pid of left) process.kill(pid, "SIGKILL"); // never leave the orphan spinning
  assert.deepEqual(
    left,
    [],
    "a spinning instance outlived its killed parent (nothing enforces its timeout now)",
  );
});

test("an instance holds sockets (its IPC channel) but listens on no TCP port", async () => {
  const fn = cloudFunction("no_ports", nap, { config: { concurrency: 2 } });
  const busy = fn.invoke({ ms: 300 });
  const probe = resultOf<NapResult>(await fn.invoke({ ms: 0 }));
  ledger.add(probe.pid);
  assert.ok(socketInodes(probe.pid).size >= 1, "the fd scan sees the instance's IPC socket");
  assert.deepEqual(listeningSocketsOf(probe.pid), [], "listening TCP sockets owned by the instance");
  assert.equal((await busy).failed, false);

  // Control: the same scan does see a process that listens (on loopback, port chosen by the OS).
  const listener = `require("node:net").createServer().listen(0, "127.0.0.1", () => console.log("{}"))`;
  const { child } = await startNodeUntilJson(listener, { timeoutMs: 5000 });
  try {
    assert.equal(listeningSocketsOf(child.pid as number).length, 1, "the scan finds a real listening socket");
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
});

test("a notebook interrupt (SIGINT to the kernel's process group) does not kill the instance serving a request", async () => {
  // Its own process group (detached), which it signals like Jupyter's interrupt does; it ignores SIGINT
  // itself, as tslab does.
  const script = `
    const lib = require(${JSON.stringify(compiledLib())});
    process.on("SIGINT", () => undefined);
    const fn = lib.cloudFunction("sigint_fn", async () => { await new Promise((r) => setTimeout(r, 300)); return process.pid; });
    fn.deploy().then(async () => {
      const pending = fn.invoke({});
      setTimeout(() => process.kill(-process.pid, "SIGINT"), 150);
      const record = await pending;
      console.log(JSON.stringify({ failed: record.failed, errorType: record.errorType, pid: record.result }));
      await lib.shutdown();
    });`;
  const run = await runNode(script, { env, cwd: workspace, detached: true, timeoutMs: 20000 });
  const line = run.stdout.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `no result: ${run.stderr}`);
  const outcome = JSON.parse(line) as { failed: boolean; errorType: string | null; pid: number };
  ledger.add(outcome.pid);
  assert.deepEqual(
    { failed: outcome.failed, errorType: outcome.errorType },
    { failed: false, errorType: null },
  );
});
