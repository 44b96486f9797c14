// The `faaslab` CLI as a real child process (the compiled bin) on a workspace with local functions:
// list (table and JSON), remove --all with its confirmation on a real terminal (n → nothing, y →
// removed), the refusal without a terminal, --yes, usage errors, and kernel install.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { cloudFunction, configure, shutdown } from "../../lib";
import { haveScript, runCli, runCliInTerminal } from "../helpers/cli";
import { childPids, survivors } from "../helpers/processes";
import { functionFiles, removeDir, tempDir } from "../helpers/workspace";

const workspace = tempDir("cli-local");
const NO_AWS_SDK = path.resolve(__dirname, "..", "fixtures", "no-aws-sdk.js");
const NAMES = ["keep_c", "tmp_a", "tmp_b"];
const noTerminal = haveScript ? false : "util-linux `script` is needed for a real terminal";
const deployedArtifact = (name: string) => {
  const dir = path.join(functionFiles(workspace, name).dir, "deployed");
  return existsSync(dir) ? readdirSync(dir).length > 0 : false;
};
const recorded = (name: string) => existsSync(functionFiles(workspace, name).state);

before(async () => {
  configure({ workspace, platform: "local" });
  for (const name of NAMES) await cloudFunction(name, async (n: number) => n + 1).deploy();
});
after(async () => {
  try {
    await shutdown();
    assert.deepEqual(await survivors(childPids(), 2000), [], "no child process is left");
  } finally {
    removeDir(workspace);
  }
});

test("faaslab list: a table of the workspace's functions; --json with --prefix for scripts", async () => {
  const table = await runCli(["list", "--workspace", workspace]);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split("\n");
  assert.match(lines[0], /^NAME\s+PLATFORM\s+FOUND IN\s+LOCATION\s+DEPLOYED$/);
  for (const [i, name] of NAMES.entries()) {
    assert.match(lines[i + 1], new RegExp(`^${name}\\s+local\\s+workspace\\s+-\\s+\\d{4}-\\d\\d-\\d\\dT`));
  }
  assert.match(table.stdout, /3 functions \(workspace /);

  const json = await runCli(["list", "--json", "--prefix", "tmp_"], { env: envWith(workspace) });
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout) as {
    functions: { functionName: string; foundIn: string; stateFile: string }[];
    problems: unknown[];
  };
  assert.deepEqual(
    parsed.functions.map((f) => [f.functionName, f.foundIn, f.stateFile]),
    [
      ["tmp_a", "workspace", functionFiles(workspace, "tmp_a").state],
      ["tmp_b", "workspace", functionFiles(workspace, "tmp_b").state],
    ],
    "FAASLAB_WORKSPACE picks the workspace when --workspace is not given",
  );
  assert.deepEqual(parsed.problems, []);
});

test("without the AWS SDK installed, the CLI still lists local functions and says what aws lacks", async () => {
  const env = { ...process.env, NODE_OPTIONS: `--require ${NO_AWS_SDK}` };
  const help = await runCli(["--help"], { env });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /faaslab aws role create/);
  const local = await runCli(["list", "--workspace", workspace], { env });
  assert.equal(local.code, 0, local.stderr);
  assert.match(local.stdout, /3 functions/);
  const aws = await runCli(["list", "--platform", "aws", "--workspace", workspace], { env });
  assert.equal(aws.code, 1);
  assert.match(aws.stderr, /warning: .*the @aws-sdk\/client-lambda package is not installed/);
  assert.match(aws.stdout, /^Nothing deployed on aws/);
  const role = await runCli(["aws", "role", "create"], { env });
  assert.equal(role.code, 1);
  assert.match(
    role.stderr,
    /^faaslab: \[aws\] config failed: the @aws-sdk\/client-iam package is not installed/,
  );
});

test("remove --all without --yes and without a terminal refuses, and removes nothing", async () => {
  const run = await runCli(
    ["remove", "--all", "--platform", "local", "--prefix", "tmp_", "--workspace", workspace],
    {
      input: "y\n",
    },
  );
  assert.equal(run.code, 1);
  assert.match(run.stdout, /tmp_a[\s\S]*tmp_b/, "it shows what it would remove");
  assert.match(run.stderr, /not removing 2 functions without a confirmation: stdin is not a terminal.*--yes/);
  assert.ok(NAMES.every(recorded) && NAMES.every(deployedArtifact));
});

test("remove --all asks on a terminal: n removes nothing", { skip: noTerminal }, async () => {
  const run = await runCliInTerminal(
    ["remove", "--all", "--platform", "local", "--prefix", "tmp_", "--workspace", workspace],
    "n",
    /\[y\/N\] /,
  );
  assert.ok(run.prompted, run.stdout);
  assert.match(run.stdout, /Remove 2 functions on local named tmp_…\? \[y\/N\] n\nNothing removed\./);
  assert.equal(run.code, 1);
  assert.ok(NAMES.every(recorded) && NAMES.every(deployedArtifact));
});

test(
  "remove --all asks on a terminal: y removes the matching functions and their state",
  { skip: noTerminal },
  async () => {
    const run = await runCliInTerminal(
      ["remove", "--all", "--platform", "local", "--prefix", "tmp_", "--workspace", workspace],
      "y",
      /\[y\/N\] /,
    );
    assert.ok(run.prompted, run.stdout);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /removed tmp_a\nremoved tmp_b\nRemoved 2 of 2 functions on local named tmp_…\./);
    assert.ok(
      !recorded("tmp_a") && !recorded("tmp_b") && !deployedArtifact("tmp_a") && !deployedArtifact("tmp_b"),
    );
    assert.ok(recorded("keep_c") && deployedArtifact("keep_c"), "the other function stays");
    const log = readFileSync(functionFiles(workspace, "tmp_a").deployLog, "utf8");
    assert.match(log, /removed from local/, "the deploy log keeps the removal");
  },
);

test("remove --all --yes removes without asking; then there is nothing to remove", async () => {
  const run = await runCli(["remove", "--all", "--platform", "local", "--yes", "--workspace", workspace]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /removed keep_c\nRemoved 1 of 1 function on local\./);
  assert.ok(!recorded("keep_c"));
  const again = await runCli(["remove", "--all", "--platform", "local", "-y", "--workspace", workspace]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^Nothing to remove on local \(workspace /);
  const list = await runCli(["list", "--workspace", workspace]);
  assert.match(list.stdout, /^Nothing deployed \(workspace /);
});

test("bad command lines exit 2 with the usage; --help exits 0", async () => {
  const unknownFlag = await runCli(["list", "--platfrom", "aws"]);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /Unknown option '--platfrom'\nusage: faaslab list \[--platform P\]/);
  const noAll = await runCli(["remove", "--platform", "local"]);
  assert.equal(noAll.code, 2);
  assert.match(noAll.stderr, /--all is required/);
  const unknown = await runCli(["deploy"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command: deploy\nusage: faaslab <command>/);
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  for (const usage of ["list", "remove --all", "kernel install", "aws role create"]) {
    assert.ok(help.stdout.includes(`faaslab ${usage}`), `${usage} in:\n${help.stdout}`);
  }
  const unknownPlatform = await runCli(["remove", "--all", "--platform", "nowhere", "--yes"]);
  assert.equal(unknownPlatform.code, 1);
  assert.match(
    unknownPlatform.stderr,
    /platform "nowhere" is not available.*available platforms: local, aws/,
  );
});

test("faaslab kernel install --prefix DIR --name NAME writes the kernelspec there", async () => {
  const prefix = path.join(workspace, "jupyter-prefix");
  const run = await runCli(["kernel", "install", "--prefix", prefix, "--name", "faaslab-cli-test"]);
  assert.equal(run.code, 0, run.stderr);
  const spec = JSON.parse(
    readFileSync(path.join(prefix, "share", "jupyter", "kernels", "faaslab-cli-test", "kernel.json"), "utf8"),
  ) as { argv: string[]; display_name: string };
  assert.equal(spec.display_name, "TypeScript (faaslab)");
  assert.match(spec.argv[1], /tslab/);
  assert.match(run.stdout, /JUPYTER_PATH=/);
  const both = await runCli(["kernel", "install", "--user", "--prefix", prefix]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /use either --user or --prefix/);
});

function envWith(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, FAASLAB_WORKSPACE: dir };
}
