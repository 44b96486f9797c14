import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { parseCommandLine, UsageError, type CliCommand, type CliIO } from "../../../lib/cli/command";
import { main } from "../../../lib/cli/main";
import { writeState, STATE_VERSION } from "../../../lib/function/state";
import { functionPaths } from "../../../lib/function/workspace";
import { shelfDeployment, useShelfPlatform } from "../../fixtures/platforms/shelf";

/** An io whose output is collected; `answers` is what a person types (interactive) or a pipe holds. */
function fakeIO(options: { interactive?: boolean; answers?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const input = new PassThrough();
  const output = new PassThrough();
  const prompts: string[] = [];
  output.on("data", (chunk: Buffer) => prompts.push(chunk.toString()));
  if (options.answers !== undefined) input.end(options.answers);
  const io: CliIO = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    input,
    output,
    interactive: options.interactive ?? false,
  };
  return { io, out: () => out.join("\n"), err: () => err.join("\n"), prompts: () => prompts.join("") };
}

const command: CliCommand = {
  words: ["x"],
  usage: "x [--name N] [--flag] [ARG]",
  summary: "a test command",
  options: { name: { type: "string" }, flag: { type: "boolean", short: "f" } },
  maxPositionals: 1,
  run: () => 0,
};

test("parseCommandLine: flags, = values, short flags, positionals; strict about the rest", () => {
  assert.deepEqual(parseCommandLine(command, ["--name=a", "-f", "pos"]), {
    values: { name: "a", flag: true },
    positionals: ["pos"],
    help: false,
  });
  assert.equal(parseCommandLine(command, ["--help"]).help, true);
  const usage = (args: string[], message: RegExp) =>
    assert.throws(
      () => parseCommandLine(command, args),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    );
  usage(["--nope"], /^Unknown option '--nope'$/);
  usage(["--name"], /argument missing/);
  usage(["--flag=yes"], /does not take an argument/);
  usage(["a", "b"], /^too many arguments: b$/);
  usage(["-z"], /Unknown option '-z'/);
});

test("main: usage without a command (exit 2), --help (exit 0), unknown commands, per-command help", async () => {
  const none = fakeIO();
  assert.equal(await main([], none.io), 2);
  for (const usage of [
    "list [--platform P]",
    "remove --all --platform P",
    "kernel install",
    "aws role create",
  ]) {
    assert.ok(none.err().includes(`faaslab ${usage}`), `${usage} in:\n${none.err()}`);
  }
  const help = fakeIO();
  assert.equal(await main(["help"], help.io), 0);
  assert.match(help.out(), /^usage: faaslab <command>/);
  const unknown = fakeIO();
  assert.equal(await main(["aws", "role"], unknown.io), 2, "a command's first words only");
  assert.match(unknown.err(), /^faaslab: unknown command: aws role\n/);
  const one = fakeIO();
  assert.equal(await main(["remove", "--help"], one.io), 0);
  assert.match(one.out(), /^usage: faaslab remove --all --platform P .*\n {2}remove every function/);
  const bad = fakeIO();
  assert.equal(await main(["list", "--prefix="], bad.io), 2);
  assert.equal(
    bad.err(),
    "faaslab: --prefix needs a value\nusage: faaslab list [--platform P] [--prefix X] [--workspace DIR] [--json]",
  );
});

function shelfWorkspace(t: TestContext) {
  const ws = mkdtempSync(path.join(tmpdir(), "faaslab-cli-"));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  const shelf = useShelfPlatform();
  shelf.put("eu", "on_shelf", "recorded");
  const deployment = shelfDeployment("recorded", "eu");
  writeState(functionPaths("recorded", ws).state, {
    version: STATE_VERSION,
    name: "recorded",
    platform: "shelf",
    hash: "h",
    config: deployment.config,
    deployment,
    deployedAt: deployment.deployedAt,
    source: null,
    dependencies: {},
  });
  return { ws, shelf, args: ["remove", "--all", "--platform", "shelf", "--workspace", ws] };
}

test("remove --all: no terminal and no --yes is refused; nothing is read from the pipe", async (t) => {
  const { shelf, args } = shelfWorkspace(t);
  const piped = fakeIO({ interactive: false, answers: "y\n" });
  assert.equal(await main(args, piped.io), 1);
  assert.match(piped.out(), /on_shelf\s+shelf\s+platform\s+eu[\s\S]*recorded\s+shelf\s+both\s+eu/);
  assert.match(piped.err(), /not removing 2 functions without a confirmation: stdin is not a terminal/);
  assert.deepEqual(shelf.removed, []);
});

test("remove --all asks: anything but y/yes (or the end of input) removes nothing", async (t) => {
  const { ws, shelf, args } = shelfWorkspace(t);
  for (const answers of ["n\n", "\n", "yep\n", ""]) {
    const asked = fakeIO({ interactive: true, answers });
    assert.equal(await main(args, asked.io), 1, JSON.stringify(answers));
    assert.equal(asked.prompts(), "Remove 2 functions on shelf? [y/N] ");
    assert.match(asked.out(), /Nothing removed\.$/);
  }
  assert.deepEqual(shelf.removed, []);
  const yes = fakeIO({ interactive: true, answers: "YES\n" });
  assert.equal(await main(args, yes.io), 0, yes.err());
  assert.deepEqual(shelf.removed.sort(), ["eu/on_shelf", "eu/recorded"]);
  assert.match(
    yes.out(),
    /removed on_shelf \(eu\)\nremoved recorded \(eu\)\nRemoved 2 of 2 functions on shelf\.$/,
  );
  assert.ok(!existsSync(functionPaths("recorded", ws).state));
});

test("remove --all: a failed removal is reported and exits 1; the others are removed", async (t) => {
  const { shelf, args } = shelfWorkspace(t);
  shelf.failingRemovals.add("on_shelf");
  const run = fakeIO();
  assert.equal(await main([...args, "--yes"], run.io), 1);
  assert.match(run.err(), /^not removed on_shelf: .*the shelf is stuck/);
  assert.match(run.out(), /removed recorded \(eu\)\nRemoved 1 of 2 functions on shelf\.$/);
});
