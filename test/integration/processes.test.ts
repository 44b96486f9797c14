// Instances never outlive the process that started them, however it ends, at any moment of their life;
// a notebook interrupt never kills them; and they never open a network port.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction } from "../../lib";
import { nap, resultOf, type NapResult } from "../helpers/functions";
import { FakeKernel, kernelScript, type Message } from "../helpers/fake-kernel";
import { isAlive, runNode, sleep, startNodeUntilJson, survivors } from "../helpers/processes";
import { listeningSocketsOf, socketInodes } from "../helpers/sockets";
import { StartGate } from "../helpers/start-gate";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";
import { START_ATTEMPTS } from "../../platforms/local/spawn";

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

// Jupyter's interrupt is SIGINT to the kernel's whole process group; Jupyter's kernel kill is SIGKILL
// to it. These tests hold an instance at a known moment (StartGate) and signal it there.

interface Held {
  gate: StartGate;
  kernel: FakeKernel;
  /** The instance process, held before faaslab's shim has loaded. */
  held: number;
}

/** Runs `body` with a fake kernel whose function's instance is held while starting; cleans up both. */
async function withHeldInstance(name: string, body: (held: Held) => Promise<void>): Promise<void> {
  const gate = new StartGate();
  const kernel = new FakeKernel(kernelScript(name, gate), env, workspace);
  try {
    const held = await gate.next("start", 30000);
    ledger.add(held);
    await body({ gate, kernel, held });
  } finally {
    await kernel.stop();
    gate.remove();
  }
}

const isRecord = (m: Message) => "record" in m;
const ok = (pid: number) => ({ failed: false, errorType: null, errorMessage: null, result: { pid } });

/** Jupyter's interrupt, and proof that it happened: the kernel's SIGINT listener reported it. */
async function interrupt(kernel: FakeKernel, nth: number): Promise<void> {
  kernel.signalGroup("SIGINT");
  await kernel.message((m) => m.interrupted === nth, 10000);
}

test("a notebook interrupt kills no instance: neither one still starting nor one serving a request", async () => {
  await withHeldInstance("sigint_fn", async ({ gate, kernel, held }) => {
    await interrupt(kernel, 1);
    gate.release("start");
    const serving = await Promise.race([gate.next("serve", 30000), kernel.message(isRecord, 30000)]);
    assert.equal(serving, held, "the instance held while starting is the one serving the request");
    await interrupt(kernel, 2);
    gate.release("serve");
    assert.deepEqual((await kernel.message(isRecord, 30000)).record, ok(held));
    kernel.command("exit");
    assert.deepEqual(await kernel.exited, { code: 0, signal: null });
  });
});

test("an instance process that SIGINT kills before it has started is started again", async () => {
  // An interrupt that arrives while the kernel forks an instance reaches it before it is in a session
  // of its own; here the same signal is sent to the instance itself, at the same point of its life.
  await withHeldInstance("sigint_restart", async ({ gate, kernel, held }) => {
    process.kill(held, "SIGINT");
    const second = await gate.next("start", 30000);
    ledger.add(second);
    assert.notEqual(second, held, "a new process");
    gate.release("start");
    gate.release("serve");
    assert.deepEqual((await kernel.message(isRecord, 30000)).record, ok(second));
  });
});

test(`a request fails as a crash when SIGINT kills ${START_ATTEMPTS} starts in a row`, async () => {
  await withHeldInstance("sigint_every_start", async ({ gate, kernel, held }) => {
    let pid = held;
    for (let start = 1; start < START_ATTEMPTS; start++) {
      process.kill(pid, "SIGINT");
      pid = await gate.next("start", 30000);
      ledger.add(pid);
    }
    process.kill(pid, "SIGINT");
    const { record } = (await kernel.message(isRecord, 30000)) as { record: Record<string, unknown> };
    assert.equal(record.errorType, "InstanceCrashed");
    assert.match(String(record.errorMessage), /signal SIGINT/);
  });
});

test("a kernel SIGKILLed while its instance is still starting leaves no instance behind", async () => {
  await withHeldInstance("killed_while_starting", async ({ kernel, held }) => {
    kernel.signalGroup("SIGKILL");
    await kernel.exited;
    const left = await survivors([held], 2000);
    for (const pid of left) process.kill(pid, "SIGKILL"); // never leave the orphan held
    assert.deepEqual(left, [], "the starting instance outlived its killed kernel");
  });
});

test("shutdown() stops an instance that is still starting", async () => {
  await withHeldInstance("shutdown_while_starting", async ({ kernel, held }) => {
    kernel.command("shutdown");
    await kernel.message((m) => m.shutdown === true, 15000);
    assert.equal(isAlive(held), false, "shutdown() resolved while the starting instance still ran");
    const { record } = (await kernel.message(isRecord, 5000)) as { record: Record<string, unknown> };
    assert.equal(record.errorType, "InstanceRetired");
  });
});

test("a kernel that exits without shutdown() while its instance is still starting leaves none behind", async () => {
  await withHeldInstance("exit_while_starting", async ({ kernel, held }) => {
    kernel.command("exit");
    assert.deepEqual(await kernel.exited, { code: 0, signal: null });
    const left = await survivors([held], 2000);
    for (const pid of left) process.kill(pid, "SIGKILL"); // never leave the orphan held
    assert.deepEqual(left, [], "the starting instance outlived its kernel");
  });
});
