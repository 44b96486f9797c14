// Listing on `aws` against the fake Lambda with the real LambdaClient: the fake pages ListFunctions
// as Lambda does, and AwsPlatform.list() follows every page and keeps only what faaslab deployed.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  CreateFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  paginateListFunctions,
} from "@aws-sdk/client-lambda";
import { cloudFunction, listDeployed, removeAll } from "../../lib";
import { AwsPlatform } from "../../platforms/aws";
import { fakeAwsSuite, TEST_ROLE } from "./fake-lambda/suite";
import { zipOf } from "./fake-lambda/zip";

const suite = fakeAwsSuite("aws-list");
const MARK = "deployed by faaslab";
let client: LambdaClient | undefined;
let platform: AwsPlatform | undefined;
const lambda = () => (client ??= new LambdaClient({ endpoint: suite.fake.endpoint, maxAttempts: 1 }));
const aws = () => (platform ??= new AwsPlatform());
after(async () => {
  client?.destroy();
  await platform?.shutdown();
});

async function create(name: string, description?: string): Promise<void> {
  await lambda().send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: TEST_ROLE,
      Runtime: "nodejs22.x",
      Handler: "index.handler",
      Code: { ZipFile: zipOf({ "index.js": "exports.handler = async () => 1;" }) },
      Description: description,
    }),
  );
}

test("the fake pages ListFunctions like Lambda: MaxItems, NextMarker, at most 50, no State", async () => {
  for (const name of ["page_e", "page_a", "page_c", "page_b", "page_d"]) await create(name, `about ${name}`);
  const pages: string[][] = [];
  for await (const page of paginateListFunctions({ client: lambda(), pageSize: 2 }, {})) {
    pages.push((page.Functions ?? []).map((f) => f.FunctionName ?? ""));
    for (const f of page.Functions ?? []) {
      assert.equal(f.Description, `about ${f.FunctionName}`);
      assert.equal(f.State, undefined, "ListFunctions does not report State");
    }
  }
  assert.deepEqual(pages, [["page_a", "page_b"], ["page_c", "page_d"], ["page_e"]]);
  const big = await lambda().send(new ListFunctionsCommand({ MaxItems: 500 }));
  assert.equal(big.Functions?.length, 5);
  assert.equal(big.NextMarker, undefined);
  await assert.rejects(lambda().send(new ListFunctionsCommand({ MaxItems: 0 })), /maxItems/);
});

test("AwsPlatform.list: every page, only the functions faaslab deployed, each removable", async () => {
  const f = cloudFunction("listed_by_deploy", async () => 1, { platform: "aws", config: suite.config() });
  await f.deploy();
  for (let i = 0; i < 52; i++) await create(`marked_${String(i).padStart(2, "0")}`, MARK);
  await create("someone_elses", "not ours");

  const mark = suite.fake.calls.length;
  const listed = await aws().list(suite.config({ region: "us-east-1" }), { log: () => undefined });
  assert.deepEqual(suite.callsSince(mark), ["ListFunctions 200", "ListFunctions 200"], "two pages of 50");
  const names = listed.map((l) => l.functionName);
  assert.equal(names.length, 53);
  assert.ok(names.includes("listed_by_deploy") && names.includes("marked_51"), names.join(", "));
  assert.ok(!names.includes("someone_elses") && !names.includes("page_a"));
  const deployed = listed.find((l) => l.functionName === "listed_by_deploy");
  assert.equal(deployed?.location, `us-east-1 at ${suite.fake.endpoint}`);
  assert.match(deployed?.deployedAt ?? "", /^\d{4}-\d\d-\d\dT/);

  await aws().remove(deployed!.deployment, { log: () => undefined });
  assert.ok(!suite.fake.functions().some((fn) => fn.name === "listed_by_deploy"));
  const again = await aws().list(suite.config({ region: "us-east-1" }), { log: () => undefined });
  assert.equal(again.length, 52);
});

test("listDeployed and removeAll through the public API: only faaslab's functions, only the prefix", async () => {
  const config = suite.config({ region: "us-east-1" });
  const listed = await listDeployed({ platform: "aws", prefix: "marked_", config });
  assert.equal(listed.functions.length, 52);
  assert.ok(listed.functions.every((f) => f.foundIn === "platform" && f.stateFile === null));
  assert.deepEqual(listed.problems, []);
  const result = await removeAll({ platform: "aws", prefix: "marked_", config });
  assert.equal(result.removed.length, 52);
  assert.deepEqual(result.failed, []);
  assert.deepEqual(
    suite.fake
      .functions()
      .map((f) => f.name)
      .sort(),
    ["page_a", "page_b", "page_c", "page_d", "page_e", "someone_elses"],
  );
});
