// Function URLs on `aws`, end to end: the adapter's Create/Update/DeleteFunctionUrlConfig and
// Add/RemovePermission against the fake, which serves the URL itself on 127.0.0.1 with Lambda's
// rules (public needs a `*` InvokeFunctionUrl grant, AWS_IAM a signed request).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cloudFunction, reconfigure, type CloudFunction } from "../../lib";
import { readStateFile } from "../helpers/workspace";
import { fakeAwsSuite } from "./fake-lambda/suite";

const suite = fakeAwsSuite("aws-e2e-url");
const NAME = "e2e_url";
let f: CloudFunction<{ n: number }, unknown> | undefined;

const urlOf = (): string | null =>
  readStateFile(suite.workspace, NAME).deployment.ref.functionUrl as string | null;
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test('functionUrl "public": a URL anyone can POST a payload to, answered with the envelope', async () => {
  f = cloudFunction(NAME, async (p: { n: number }) => ({ square: p.n * p.n }), {
    platform: "aws",
    config: suite.config({ functionUrl: "public" }),
  });
  const mark = suite.fake.calls.length;
  await f.deploy();
  const calls = suite.callsSince(mark);
  assert.ok(calls.includes("CreateFunctionUrlConfig 201"), calls.join(", "));
  assert.equal(calls.filter((c) => c === "AddPermission 201").length, 2, calls.join(", "));
  const url = urlOf();
  assert.ok(url?.startsWith(suite.fake.endpoint), `URL in the deployment: ${url}`);
  const response = await post(url!, { n: 3 });
  assert.equal(response.status, 200);
  const envelope = (await response.json()) as { ok: boolean; result: unknown };
  assert.equal(envelope.ok, true);
  assert.deepEqual(envelope.result, { square: 9 });
});

test('reconfigure to "iam": the public grants are revoked and an unsigned request is refused', async () => {
  assert.ok(f);
  const mark = suite.fake.calls.length;
  await reconfigure(f, { functionUrl: "iam" });
  const calls = suite.callsSince(mark);
  assert.ok(calls.includes("UpdateFunctionUrlConfig 200"), calls.join(", "));
  assert.equal(calls.filter((c) => c === "RemovePermission 204").length, 2, calls.join(", "));
  assert.ok(!calls.some((c) => c.startsWith("UpdateFunctionCode")));
  assert.equal((await post(urlOf()!, { n: 1 })).status, 403);
});

test("reconfigure to false: the URL is deleted", async () => {
  assert.ok(f);
  const before = urlOf()!;
  const mark = suite.fake.calls.length;
  await reconfigure(f, { functionUrl: false });
  assert.ok(suite.callsSince(mark).includes("DeleteFunctionUrlConfig 204"));
  assert.equal(urlOf(), null);
  assert.equal((await post(before, { n: 1 })).status, 404);
  await f.remove();
});
