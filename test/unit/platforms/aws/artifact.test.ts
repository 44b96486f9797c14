import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildArtifact, stopBuilder } from "../../../../lib/function/build";
import { checkSource } from "../../../../lib/function/source";
import { functionPaths } from "../../../../lib/function/workspace";
import type { Envelope } from "../../../../lib/runtime/envelope";
import { platformModule } from "../../../../platforms/aws";

const workspace = mkdtempSync(path.join(tmpdir(), "faaslab-aws-artifact-"));
after(async () => {
  await stopBuilder();
  rmSync(workspace, { recursive: true, force: true });
});

test("the bundle built with the aws shim exports index.handler, which runs the function (Inspector from another cell too)", async () => {
  // tslab's shape for an Inspector imported in another cell: `exports.Inspector`.
  const source = `async function calc_service(payload, ctx) {
    const own = new exports.Inspector();
    own.addAttribute("n", payload.n);
    return { sum: payload.n + 1, platform: ctx.platform };
  }`;
  const artifact = await buildArtifact({
    functionName: "calc_service",
    hash: "a".repeat(64),
    checked: checkSource("calc_service", source),
    shimEntry: platformModule.shimEntry as string,
    target: platformModule.buildTarget({ runtime: "nodejs22.x" }),
    paths: functionPaths("calc_service", workspace),
    nodePaths: [],
    workspace,
    log: () => undefined,
  });
  process.env.AWS_LAMBDA_FUNCTION_NAME = "calc_service";
  process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = "512";
  const bundle = require(artifact.path) as {
    handler: (event: unknown, context: unknown) => Promise<Envelope>;
    Inspector?: unknown;
  };
  assert.equal(typeof bundle.handler, "function", "Lambda finds index.handler");
  assert.equal(typeof bundle.Inspector, "function", "the runtime exports the entry sets are kept");
  const envelope = await bundle.handler(
    { n: 41 },
    { awsRequestId: "r-1", getRemainingTimeInMillis: () => 1000 },
  );
  assert.equal(envelope.ok, true, JSON.stringify(envelope.error));
  assert.deepEqual(envelope.result, { sum: 42, platform: "aws" });
  assert.equal(envelope.metrics.memoryMb, 512);
  assert.equal(envelope.metrics.coldStart, true);
});

test("platformModule: name, compiled shim entry and build keys", () => {
  assert.equal(platformModule.name, "aws");
  assert.match(platformModule.shimEntry as string, /platforms[/\\]aws[/\\]shim[/\\]handler\.js$/);
  assert.deepEqual([...platformModule.buildKeys].sort(), ["architecture", "endpoint", "region", "runtime"]);
});
