import assert from "node:assert/strict";
import { test } from "node:test";
import {
  notebookSignal,
  onInterrupt,
  simulateInterrupt,
  stopListeningForInterrupts,
} from "../../../kernel/interrupt";
import { resetTslabCache } from "../../../kernel/tslab";
import { installFakeTslab } from "./fake-tslab";

test("outside tslab the signal never aborts and no SIGINT listener is added", () => {
  resetTslabCache();
  const listeners = process.listenerCount("SIGINT");
  const signal = notebookSignal();
  assert.equal(signal.aborted, false);
  assert.equal(process.listenerCount("SIGINT"), listeners);
});

test("in tslab an interrupt aborts the signals handed out before it, not later ones", (t) => {
  resetTslabCache();
  const fake = installFakeTslab();
  t.after(() => (stopListeningForInterrupts(), fake.remove(), resetTslabCache()));
  const listeners = process.listenerCount("SIGINT");
  const first = notebookSignal();
  assert.equal(notebookSignal(), first, "one signal until the next interrupt");
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
  process.kill(process.pid, "SIGINT");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(signal.aborted, true);
});
