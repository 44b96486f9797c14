import assert from "node:assert/strict";
import { test } from "node:test";
import {
  notebookSignal,
  onInterrupt,
  simulateInterrupt,
  stopListeningForInterrupts,
} from "../../../kernel/interrupt";
import { resetTslabCache } from "../../../kernel/tslab";
import { withinGuard } from "../../helpers/guard";
import { installFakeTslab } from "./fake-tslab";
import { runNode } from "../../helpers/processes";

test("outside tslab the signal never aborts and no SIGINT listener is added", () => {
  resetTslabCache();
  const listeners = process.listenerCount("SIGINT");
  const signal = notebookSignal();
  assert.equal(signal.aborted, false);
  assert.equal(process.listenerCount("SIGINT"), listeners);
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("in tslab an interrupt aborts the signals handed out before it, not later ones", async (t) => {
  resetTslabCache();
  const fake = installFakeTslab();
  t.after(() => (stopListeningForInterrupts(), fake.remove(), resetTslabCache()));
  const listeners = process.listenerCount("SIGINT");
  const first = notebookSignal();
  assert.equal(notebookSignal(), first, "one signal until the next interrupt");
  assert.equal(process.listenerCount("SIGINT"), listeners, "not during the synchronous part of a cell");
  await nextTurn();
  assert.equal(process.listenerCount("SIGINT"), listeners + 1);
  let calls = 0;
  const stop = onInterrupt(() => calls++);
  simulateInterrupt();
  assert.equal(first.aborted, true);
  assert.equal((first.reason as DOMException).name, "AbortError");
  assert.equal(calls, 1);
  const second = notebookSignal();
  assert.equal(second.aborted, false);
  stop();
  simulateInterrupt();
  assert.equal(second.aborted, true);
  assert.equal(calls, 1);
});

test("a real SIGINT reaches the listener", async (t) => {
  resetTslabCache();
  const fake = installFakeTslab();
  // Like tslab: a listener of its own is present, so Node's default exit never applies.
  const keepAlive = () => {};
  process.on("SIGINT", keepAlive);
  t.after(
    () => (process.off("SIGINT", keepAlive), stopListeningForInterrupts(), fake.remove(), resetTslabCache()),
  );
  const signal = notebookSignal();
  const aborted = new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
  await nextTurn();
  process.kill(process.pid, "SIGINT");
  // The signal arrives through the event loop: wait for the abort itself (a fixed 50 ms could pass
  // first on a loaded machine), bounded only against a hang.
  await withinGuard(aborted, "the SIGINT to abort the notebook signal");
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as DOMException).name, "AbortError");
});

test("an interrupt after a cell that started listening, as importing faaslab does, leaves the kernel alive", async () => {
  // tslab runs a cell's synchronous part with vm's breakOnSigint; listening starts inside it here.
  const script = `
    const vm = require("node:vm");
    const fake = require(${JSON.stringify(require.resolve("./fake-tslab"))}).installFakeTslab();
    const { notebookSignal } = require(${JSON.stringify(require.resolve("../../../kernel/interrupt"))});
    process.on("SIGINT", () => undefined); // tslab's own listener
    globalThis.startListening = notebookSignal;
    const signal = vm.runInThisContext("startListening()", { breakOnSigint: true });
    signal.addEventListener("abort", () => (fake.remove(), console.log("aborted"), process.exit(0)));
    setImmediate(() => process.kill(process.pid, "SIGINT")); // the next interrupt, after the cell's synchronous part
    setTimeout(() => (fake.remove(), console.log("not aborted")), 5000); // a bound, and the kernel's other work`;
  const run = await runNode(script, { timeoutMs: 10000 });
  assert.deepEqual(
    { code: run.code, signal: run.signal, stdout: run.stdout.trim() },
    { code: 0, signal: null, stdout: "aborted" },
    run.stderr,
  );
});
