import { test } from "node:test";
import assert from "node:assert/strict";
import { createHandler } from "../../../lib/runtime/handler";
import { currentInstance } from "../../../lib/runtime/instance";
import { Inspector } from "../../../lib/runtime/inspector";
import type { Envelope } from "../../../lib/runtime/envelope";

// Its own file: it needs the first requests of a fresh instance (process state).

test("inspectContainer outside any function: no instance, null columns", () => {
  assert.equal(currentInstance(), null, "premise: no request served yet in this process");
  const inspector = new Inspector();
  inspector.inspectContainer();
  assert.equal(inspector.getAttribute("uuid"), null);
  assert.equal(inspector.getAttribute("newcontainer"), null);
});

test("inspectContainer: newcontainer is 1 for the instance's first request even when a second overlaps it", async () => {
  const handler = createHandler(
    async (payload, ctx) => {
      // the first request inspects only after the second one has started
      await new Promise((resolve) => setTimeout(resolve, (payload as { waitMs: number }).waitMs));
      ctx.inspector.inspectContainer();
      return null;
    },
    { functionName: "container", platform: "local", memoryMb: null, region: null },
  );
  const texts = await Promise.all(
    [50, 5].map((waitMs, i) => handler({ waitMs }, { requestId: `r${i + 1}`, deadline: Date.now() + 5000 })),
  );
  const [first, second] = texts.map((t) => JSON.parse(t) as Envelope);
  const id = currentInstance()?.id;
  assert.ok(id);
  assert.equal(first.attributes.uuid, id);
  assert.equal(second.attributes.uuid, id);
  assert.deepEqual([first.attributes.newcontainer, second.attributes.newcontainer], [1, 0]);
  const third = JSON.parse(
    await handler({ waitMs: 0 }, { requestId: "r3", deadline: Date.now() + 5000 }),
  ) as Envelope;
  assert.equal(third.attributes.newcontainer, 0);
});
