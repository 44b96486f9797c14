import { test } from "node:test";
import assert from "node:assert/strict";
import { createHandler } from "../../../lib/runtime/handler";
import { currentInstance } from "../../../lib/runtime/instance";
import type { Envelope } from "../../../lib/runtime/envelope";

// Its own file: the instance is process state, and this test needs the process's first requests.
// With `concurrency` > 1 (local, Cloud Run) an instance runs several requests at once.

test("overlapping requests on a fresh instance: exactly the first is cold, counts are 1..n", async () => {
  assert.equal(currentInstance(), null, "premise: no request served yet in this process");
  const handler = createHandler(
    async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, (payload as { waitMs: number }).waitMs));
      return null;
    },
    { functionName: "conc", platform: "local", memoryMb: null, region: null },
  );
  // started in order 1, 2, 3; the first one finishes last
  const texts = await Promise.all(
    [60, 20, 5].map((waitMs, i) =>
      handler({ waitMs }, { requestId: `r${i + 1}`, deadline: Date.now() + 5000 }),
    ),
  );
  const metrics = texts.map((t) => (JSON.parse(t) as Envelope).metrics);
  assert.deepEqual(
    metrics.map((m) => [m.requestId, m.coldStart, m.instanceInvocations]),
    [
      ["r1", true, 1],
      ["r2", false, 2],
      ["r3", false, 3],
    ],
  );
  assert.equal(typeof metrics[0].initMs, "number");
  assert.equal(metrics[1].initMs, null);
});
