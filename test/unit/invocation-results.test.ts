import assert from "node:assert/strict";
import { test } from "node:test";
import { failedInvocation, stoppedWaiting } from "../../lib/invocation-results";

test("failedInvocation carries the failure, its status and attempts, and nothing measured", () => {
  const raw = failedInvocation("Throttled", "slow down", { statusCode: 429, attempts: 3 });
  assert.deepEqual(raw.failure, { errorType: "Throttled", errorMessage: "slow down", timedOut: false });
  assert.deepEqual([raw.statusCode, raw.attempts, raw.envelope, raw.responseBytes], [429, 3, null, null]);
  assert.deepEqual([raw.billedMs, raw.initMs, raw.maxMemoryUsedMb], [null, null, null]);
  const bare = failedInvocation("NetworkError", "gone", { timedOut: true, attempts: 1 });
  assert.deepEqual([bare.statusCode, bare.failure?.timedOut], [null, true]);
});

test("stoppedWaiting: the timeoutMs signal alone is a TimeoutError 504 naming who did not answer", () => {
  const timeout = AbortSignal.abort();
  const raw = stoppedWaiting("Lambda", { timeoutMs: 250 }, timeout, 2);
  assert.deepEqual(raw.failure, {
    errorType: "TimeoutError",
    errorMessage: "no answer from Lambda within 250 ms (timeoutMs)",
    timedOut: true,
  });
  assert.deepEqual([raw.statusCode, raw.attempts], [504, 2]);
});

test("stoppedWaiting: the caller's own signal is Aborted 499, even when timeoutMs passed too", () => {
  const caller = AbortSignal.abort();
  for (const timeout of [undefined, AbortSignal.abort()]) {
    const raw = stoppedWaiting("the function", { signal: caller, timeoutMs: 250 }, timeout, 0);
    assert.deepEqual(raw.failure, {
      errorType: "Aborted",
      errorMessage: "the caller stopped waiting for the result",
      timedOut: false,
    });
    assert.deepEqual([raw.statusCode, raw.attempts], [499, 0]);
  }
});
