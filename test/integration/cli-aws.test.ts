// `faaslab list` / `faaslab remove --all` on aws as real child processes, against the fake Lambda on
// 127.0.0.1 (its endpoint in the workspace's faaslab.config.json, fake credentials in the child's
// environment): functions found in the workspace, on Lambda, or both; someone else's function left
// alone; the confirmation on a real terminal; --yes; and a listing that fails without hiding the
// workspace's functions.
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { cloudFunction } from "../../lib";
import { haveScript, runCli, runCliInTerminal } from "../helpers/cli";
import { functionFiles } from "../helpers/workspace";
import { fakeAwsEnv } from "./fake-lambda/aws-env";
import { fakeAwsSuite, TEST_ROLE } from "./fake-lambda/suite";
import { zipOf } from "./fake-lambda/zip";

const suite = fakeAwsSuite("cli-aws");
const workspace = suite.workspace;
const noTerminal = haveScript ? false : "util-linux `script` is needed for a real terminal";
const onLambda = (name: string) => suite.fake.functions().some((f) => f.name === name);
const recorded = (name: string) => existsSync(functionFiles(workspace, name).state);
const cli = (args: string[], env = fakeAwsEnv()) => runCli([...args, "--workspace", workspace], { env });

interface Listed {
  functions: { functionName: string; foundIn: string; location: string | null; platform: string }[];
  problems: { platform: string; code: string; message: string }[];
}

/** The scene, set up once by the first test (Node 20 runs top-level hooks without awaiting earlier ones). */
let scene: Promise<void> | undefined;
const ready = () => (scene ??= setUp());

async function setUp(): Promise<void> {
  writeFileSync(
    path.join(workspace, "faaslab.config.json"),
    JSON.stringify({ aws: { endpoint: suite.fake.endpoint, region: "us-east-1", role: TEST_ROLE } }),
  );
  const names = ["keep_me", "tmp_lost", "tmp_one", "tmp_stale", "tmp_two"];
  await Promise.all(names.map((name) => cloudFunction(name, async () => 1, { platform: "aws" }).deploy()));
  // tmp_lost: its workspace entry is gone (only Lambda knows it); tmp_stale: gone from Lambda.
  rmSync(functionFiles(workspace, "tmp_lost").dir, { recursive: true });
  const client = new LambdaClient({ endpoint: suite.fake.endpoint, maxAttempts: 1 });
  try {
    await client.send(new DeleteFunctionCommand({ FunctionName: "tmp_stale" }));
    await client.send(
      new CreateFunctionCommand({
        FunctionName: "tmp_foreign",
        Role: TEST_ROLE,
        Runtime: "nodejs22.x",
        Handler: "index.handler",
        Code: { ZipFile: zipOf({ "index.js": "exports.handler = async () => 1;" }) },
      }),
    );
  } finally {
    client.destroy();
  }
}

test("faaslab list --platform aws --json: workspace and Lambda merged; other functions not listed", async () => {
  await ready();
  const run = await cli(["list", "--platform", "aws", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const listed = JSON.parse(run.stdout) as Listed;
  const at = `us-east-1 at ${suite.fake.endpoint}`;
  assert.deepEqual(
    listed.functions.map((f) => [f.functionName, f.foundIn, f.location]),
    [
      ["keep_me", "both", at],
      ["tmp_lost", "platform", at],
      ["tmp_one", "both", at],
      ["tmp_stale", "workspace", null],
      ["tmp_two", "both", at],
    ],
  );
  assert.deepEqual(listed.problems, []);

  const table = await cli(["list"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /tmp_lost\s+aws\s+platform\s+us-east-1 at http:\/\/127\.0\.0\.1:\d+\s+\d{4}-/);
  assert.match(table.stdout, /5 functions \(workspace /, "aws is asked: the workspace uses it");
});

test("a listing Lambda refuses is a warning and exit 1; the workspace's functions are still listed", async () => {
  await ready();
  const env = { ...fakeAwsEnv(), AWS_ACCESS_KEY_ID: "AKIAINVALID000000000" };
  const run = await cli(["list", "--platform", "aws", "--prefix", "tmp_"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /warning: \[aws\] list failed: AWS rejected the credentials/);
  assert.match(run.stdout, /tmp_one\s+aws\s+workspace[\s\S]*tmp_stale\s+aws\s+workspace[\s\S]*tmp_two/);
  assert.doesNotMatch(run.stdout, /tmp_lost/, "what only Lambda knows cannot be shown");
});

const removeTmp = ["remove", "--all", "--platform", "aws", "--prefix", "tmp_", "--workspace", workspace];

test("remove --all on a terminal, answered n: nothing removed anywhere", { skip: noTerminal }, async () => {
  await ready();
  const run = await runCliInTerminal(removeTmp, "n", /\[y\/N\] /, { env: fakeAwsEnv() });
  assert.ok(run.prompted, run.stdout);
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stdout, /Remove 4 functions on aws named tmp_…\? \[y\/N\] n\nNothing removed\./);
  assert.ok(["tmp_lost", "tmp_one", "tmp_two"].every(onLambda));
  assert.ok(["tmp_one", "tmp_stale", "tmp_two"].every(recorded));
});

test(
  "remove --all on a terminal, answered y: from Lambda and the workspace",
  { skip: noTerminal },
  async () => {
    await ready();
    const run = await runCliInTerminal(removeTmp, "y", /\[y\/N\] /, { env: fakeAwsEnv() });
    assert.ok(run.prompted, run.stdout);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /Removed 4 of 4 functions on aws named tmp_…\./);
    for (const name of ["tmp_lost", "tmp_one", "tmp_two"]) assert.ok(!onLambda(name), `${name} on Lambda`);
    for (const name of ["tmp_one", "tmp_stale", "tmp_two"]) assert.ok(!recorded(name), `${name} state.json`);
    assert.ok(onLambda("tmp_foreign"), "a function faaslab did not deploy is never removed");
    assert.ok(onLambda("keep_me") && recorded("keep_me"), "outside the prefix");
  },
);

test("remove --all --yes: without asking; someone else's function stays", async () => {
  await ready();
  const run = await cli(["remove", "--all", "--platform", "aws", "--yes"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /removed keep_me \(us-east-1 at http:\/\/127\.0\.0\.1:\d+\)\nRemoved 1 of 1 function on aws\./,
  );
  assert.ok(!onLambda("keep_me") && !recorded("keep_me"));
  assert.deepEqual(
    suite.fake.functions().map((f) => f.name),
    ["tmp_foreign"],
  );
  const list = await cli(["list", "--platform", "aws"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^Nothing deployed on aws \(workspace /);
});
