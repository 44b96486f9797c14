// The open loop on mocked time (setTimeout and Date): when each request leaves is exact here, so the
// schedule, the catch-up after a late wake-up and the in-flight cap are checked to the millisecond.
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { openLoopClock, runOpenLoop } from "../../../lib/experiment/loops";
import { resolveOptions, type OpenLoopPlan } from "../../../lib/experiment/options";
import type { RunContext } from "../../../lib/experiment/run-context";

const monotonic = openLoopClock.now;
// The open loop schedules on its own clock; here it follows the mocked Date.
beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  openLoopClock.now = () => Date.now();
});
afterEach(() => {
  mock.timers.reset();
  openLoopClock.now = monotonic;
});

interface Sent {
  run: number;
  payloadIndex: number;
  at: number;
  complete(): void;
}

/** A RunContext whose invocations never finish until the test completes them, on the mocked clock. */
function fakeContext() {
  const sent: Sent[] = [];
  const skipped: { run: number; at: number; reason: string }[] = [];
  const tracker = { inFlight: 0, total: 0, setTotal: (n: number) => (tracker.total = n) };
  const context = {
    aborted: false,
    tracker,
    invokeOne(payloadIndex: number, _thread: number, run: number): Promise<void> {
      tracker.inFlight += 1;
      return new Promise((resolve) => {
        let done = false;
        const complete = () => {
          if (done) return;
          done = true;
          tracker.inFlight -= 1;
          resolve();
        };
        sent.push({ run, payloadIndex, at: Date.now(), complete });
      });
    },
    recordSkipped(_payloadIndex: number, run: number, reason: string): void {
      skipped.push({ run, at: Date.now(), reason });
    },
  };
  return { context: context as unknown as RunContext, sent, skipped, tracker };
}

/** Lets the loop run everything that is due (its sleeps resolve in promise callbacks). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Advances the mocked clock `ms` milliseconds, one at a time (timers fire on time). */
async function advance(ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    mock.timers.tick(1);
    await settle();
  }
}

function open(rps: number, durationS: number, payloads: number, maxInFlight = 1000) {
  const options = resolveOptions({
    rps,
    durationS,
    arrival: "uniform",
    maxInFlight,
    payloads: Array.from({ length: payloads }, (_, n) => ({ n })),
  });
  return { options, plan: options.plan as OpenLoopPlan };
}

test("the open loop sends every request at its scheduled time, without waiting for any to finish", async () => {
  const { context, sent, skipped, tracker } = fakeContext();
  const { options, plan } = open(100, 1.5, 3);
  let finished = false;
  const run = runOpenLoop(context, plan, options).then(() => (finished = true));
  await settle();
  await advance(1600);

  assert.equal(tracker.total, 150);
  assert.deepEqual(
    sent.map((s) => s.at),
    Array.from({ length: 150 }, (_, i) => i * 10),
    "request i leaves at i × 10 ms: 100 per second, none early, none late",
  );
  assert.deepEqual(
    sent.map((s) => s.run),
    sent.map((_, i) => i),
  );
  assert.deepEqual(
    sent.map((s) => s.payloadIndex),
    sent.map((_, i) => i % 3),
  );
  assert.equal(tracker.inFlight, 150, "not one had finished, and all were sent");
  assert.deepEqual(skipped, []);
  assert.equal(finished, false, "the loop waits for the requests it sent");
  sent.forEach((s) => s.complete());
  await run;
});

test("after a late wake-up the overdue requests leave at once and the schedule goes on unshifted", async () => {
  const { context, sent } = fakeContext();
  const { options, plan } = open(100, 1, 1);
  const run = runOpenLoop(context, plan, options);
  await settle();
  await advance(100); // on time up to 100 ms
  mock.timers.tick(305); // the event loop was blocked: the next wake-up comes at 405 ms
  await settle();
  await advance(600);

  const at = sent.map((s) => s.at);
  const expected = Array.from({ length: 100 }, (_, i) => (i * 10 > 100 && i * 10 <= 405 ? 405 : i * 10));
  assert.deepEqual(at, expected, "arrivals 110…400 at 405 ms, the others at their own time");
  sent.forEach((s) => s.complete());
  await run;
});

test("at maxInFlight an arrival is recorded as skipped, and sending resumes when a request finishes", async () => {
  const { context, sent, skipped } = fakeContext();
  const { options, plan } = open(100, 0.1, 1, 3);
  const run = runOpenLoop(context, plan, options);
  await settle();
  await advance(45); // 0, 10 and 20 ms sent: the cap is reached; 30 and 40 ms skipped
  sent[0].complete();
  await settle();
  await advance(55); // 50 ms sent; 60 … 90 ms skipped again

  assert.deepEqual(
    sent.map((s) => [s.run, s.at]),
    [
      [0, 0],
      [1, 10],
      [2, 20],
      [5, 50],
    ],
  );
  assert.deepEqual(
    skipped.map((s) => [s.run, s.at]),
    [
      [3, 30],
      [4, 40],
      [6, 60],
      [7, 70],
      [8, 80],
      [9, 90],
    ],
  );
  assert.ok(skipped.every((s) => /3 requests were already in flight \(maxInFlight\)/.test(s.reason)));
  sent.forEach((s) => s.complete());
  await run;
});
