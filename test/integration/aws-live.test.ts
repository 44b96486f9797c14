// Against real AWS Lambda, only when the caller says so: AWS credentials (AWS_ACCESS_KEY_ID or
// AWS_PROFILE) and FAASLAB_AWS_ROLE (an execution role ARN, e.g. from `npx faaslab aws role create`).
// Optional: FAASLAB_AWS_REGION (else the SDK's chain: AWS_REGION, the profile's region).
// Deploys a hello function under a unique name, invokes it, checks the record, and deletes it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cloudFunction, configure, experiment, listDeployed, shutdown, type CloudFunction } from "../../lib";
import { removeDir, tempDir } from "../helpers/workspace";

function missingSetup(): string | null {
  const missing: string[] = [];
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE)
    missing.push("AWS credentials (AWS_ACCESS_KEY_ID or AWS_PROFILE)");
  if (!process.env.FAASLAB_AWS_ROLE) missing.push("FAASLAB_AWS_ROLE (an execution role ARN)");
  return missing.length ? `live AWS test skipped: set ${missing.join(" and ")} to run it` : null;
}

const skip = missingSetup();
// A skipped test (not only a skipped suite) so the runner's summary counts it as skipped.
if (skip) test("live AWS Lambda: deploy, invoke, billing figures, remove", { skip }, () => undefined);
else describe("live AWS Lambda", { timeout: 10 * 60_000 }, liveSuite);

function liveSuite(): void {
  const name = `faaslab_live_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  let workspace = "";
  let hello: CloudFunction<{ name: string }, { message: string }> | undefined;

  before(() => {
    workspace = tempDir("aws-live");
    configure({ workspace });
  });

  after(async () => {
    try {
      await hello?.remove();
    } catch (e) {
      console.error(`# could not delete the live test function ${name}: ${String(e)}`);
    } finally {
      await shutdown();
      removeDir(workspace);
    }
  });

  test("deploy, invoke cold then warm, and read Lambda's billing figures", async () => {
    hello = cloudFunction(
      name,
      async (request: { name: string }) => ({ message: `Hello ${request.name}!` }),
      {
        platform: "aws",
        config: {
          role: process.env.FAASLAB_AWS_ROLE,
          memory: 256,
          ...(process.env.FAASLAB_AWS_REGION ? { region: process.env.FAASLAB_AWS_REGION } : {}),
        },
      },
    );
    const cold = await hello.invoke({ name: "Steve" });
    assert.equal(cold.failed, false, `${cold.errorType}: ${cold.errorMessage}`);
    assert.deepEqual(cold.result, { message: "Hello Steve!" });
    assert.equal(cold.platform, "aws");
    assert.equal(cold.coldStart, true);
    assert.equal(cold.memoryMb, 256);
    assert.ok(cold.initMs !== null && cold.initMs > 0, "Init Duration on the cold start");
    assert.ok(cold.billedMs !== null && cold.billedMs >= 1);
    assert.ok(cold.maxMemoryUsedMb !== null && cold.maxMemoryUsedMb > 0);
    assert.match(String(cold.region), /^[a-z]{2}(-[a-z]+)+-\d+$/);
    assert.ok(cold.requestId && cold.instanceId && cold.cpuType);

    const r = await experiment(hello, {
      threads: 1,
      runsPerThread: 3,
      payloads: [{ name: "Bob" }],
      name: "live",
    });
    assert.equal(r.rows.length, 3);
    for (const row of r.rows) {
      assert.equal(row.failed, false);
      assert.ok(row.initMs === null || row.coldStart === true, "Init Duration only on cold starts");
      assert.equal(typeof row.costUsd, "number");
    }
  });

  test("listDeployed finds it both in the workspace and on Lambda (needs lambda:ListFunctions)", async () => {
    const region = process.env.FAASLAB_AWS_REGION;
    const config = region ? { region } : undefined;
    const { functions, problems } = await listDeployed({ platform: "aws", prefix: name, config });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      functions.map((f) => [f.functionName, f.foundIn]),
      [[name, "both"]],
    );
  });
}
