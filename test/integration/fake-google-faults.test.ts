// The fake's fault hooks, seen through the real v2 client: the error shapes the google adapter's
// error-path tests rely on (SERVICE_DISABLED with ErrorInfo, permission, quota, hung operations).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { HANG_GUARD_MS } from "../helpers/guard";
import { functionFor, probeZip, realClient, upload } from "./fake-google/fixtures";
import { startFakeGoogle, type FakeGoogle } from "./fake-google/server";

let fake: FakeGoogle;
let client: ReturnType<typeof realClient>;
let parent: string;

before(async () => {
  fake = await startFakeGoogle();
  client = realClient(fake);
  parent = client.locationPath(fake.project, fake.region);
});
after(async () => {
  await client.close();
  await fake.stop();
});

interface GaxError extends Error {
  code?: number;
  reason?: string;
  domain?: string;
  errorInfoMetadata?: Record<string, string>;
}

describe("fault hooks through the real client", () => {
  test("a disabled API: code 7, ErrorInfo reason SERVICE_DISABLED naming the service and its activation URL", async () => {
    fake.disableApi("cloudfunctions.googleapis.com");
    try {
      await assert.rejects(client.getFunction({ name: `${parent}/functions/x` }), (e: GaxError) => {
        assert.equal(e.code, 7);
        assert.equal(e.reason, "SERVICE_DISABLED");
        assert.equal(e.errorInfoMetadata?.service, "cloudfunctions.googleapis.com");
        assert.match(e.errorInfoMetadata?.activationUrl ?? "", /apis\/api\/cloudfunctions\.googleapis\.com/);
        assert.match(e.message, /Cloud Functions API has not been used in project 123456789012/);
        return true;
      });
    } finally {
      fake.enableApi("cloudfunctions.googleapis.com");
    }
  });

  test("Cloud Build disabled: create fails naming cloudbuild.googleapis.com; get still works", async () => {
    const storageSource = await upload(client, fake, probeZip());
    fake.disableApi("cloudbuild.googleapis.com");
    try {
      await assert.rejects(
        client.createFunction({ parent, functionId: "no-build", function: functionFor(storageSource) }),
        (e: GaxError) => e.code === 7 && e.errorInfoMetadata?.service === "cloudbuild.googleapis.com",
      );
      await assert.rejects(
        client.getFunction({ name: `${parent}/functions/no-build` }),
        (e: GaxError) => e.code === 5,
      );
    } finally {
      fake.enableApi("cloudbuild.googleapis.com");
    }
  });

  test("permission denied names the permission; quota exceeded is code 8; each fault is consumed once", async () => {
    fake.failNext("createFunction", "permissionDenied");
    fake.failNext("getFunction", "quotaExceeded");
    const storageSource = await upload(client, fake, probeZip());
    await assert.rejects(
      client.createFunction({ parent, functionId: "denied", function: functionFor(storageSource) }),
      (e: GaxError) =>
        e.code === 7 &&
        e.reason === "IAM_PERMISSION_DENIED" &&
        e.errorInfoMetadata?.permission === "cloudfunctions.functions.create",
    );
    await assert.rejects(
      client.getFunction({ name: `${parent}/functions/denied` }),
      (e: GaxError) => e.code === 8 && /Quota exceeded/.test(e.message),
    );
    await assert.rejects(
      client.getFunction({ name: `${parent}/functions/denied` }),
      (e: GaxError) => e.code === 5,
    );
  });

  test("a hung operation never reports done although its function went ACTIVE; the next operation finishes", async () => {
    fake.hangNextOperation();
    const storageSource = await upload(client, fake, probeZip());
    const [op] = await client.createFunction({
      parent,
      functionId: "hung",
      function: functionFor(storageSource),
    });
    // Poll the function (as a client would) until its work is over: it goes ACTIVE…
    const name = `${parent}/functions/hung`;
    const deadline = Date.now() + HANG_GUARD_MS;
    let state: unknown = "DEPLOYING";
    while (state !== "ACTIVE" && Date.now() < deadline) state = (await client.getFunction({ name }))[0].state;
    assert.equal(state, "ACTIVE");
    // …yet its operation never says done, however often it is polled.
    for (let i = 0; i < 8; i++)
      assert.equal((await client.checkCreateFunctionProgress(op.name!)).done, false);
    const [fn] = await client.getFunction({ name });
    const [del] = await client.deleteFunction({ name: fn.name! });
    await del.promise();
  });

  test("a project the caller has no access to is PERMISSION_DENIED", async () => {
    await assert.rejects(
      client.getFunction({ name: client.functionPath("someone-else", fake.region, "f") }),
      (e: GaxError) => e.code === 7 && e.errorInfoMetadata?.permission === "cloudfunctions.functions.get",
    );
  });
});
