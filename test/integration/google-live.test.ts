// Against real Google Cloud, only when the caller says so: Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth application-default login`) and
// FAASLAB_GOOGLE_PROJECT (a project with the four APIs enabled, see platforms/google/README.md).
// Optional: FAASLAB_GOOGLE_REGION (default us-central1). Deploys a private hello function under a
// unique name, invokes it with an ID token, checks the record, reconfigures it, and deletes it.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { cloudFunction, configure, reconfigure, shutdown, type CloudFunction } from "../../lib";
import { removeDir, tempDir } from "../helpers/workspace";

/** Where gcloud keeps user ADC (`gcloud auth application-default login`). */
function userAdcFile(): string {
  const config = process.env.CLOUDSDK_CONFIG ?? path.join(os.homedir(), ".config", "gcloud");
  return path.join(config, "application_default_credentials.json");
}

function missingSetup(): string | null {
  const missing: string[] = [];
  if (!process.env.GOOGLE_APPLICATION_CREDENTIALS && !existsSync(userAdcFile()))
    missing.push(
      "Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS or `gcloud auth application-default login`)",
    );
  if (!process.env.FAASLAB_GOOGLE_PROJECT) missing.push("FAASLAB_GOOGLE_PROJECT (a project id)");
  return missing.length ? `live Google test skipped: set ${missing.join(" and ")} to run it` : null;
}

const skip = missingSetup();
// A skipped test (not only a skipped suite) so the runner's summary counts it as skipped.
if (skip)
  test(
    "live Google Cloud Run functions: deploy, invoke with an ID token, reconfigure, remove",
    { skip },
    () => undefined,
  );
else describe("live Google Cloud Run functions", { timeout: 20 * 60_000 }, liveSuite);

function liveSuite(): void {
  const name = `faaslab_live_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const config = {
    project: process.env.FAASLAB_GOOGLE_PROJECT,
    region: process.env.FAASLAB_GOOGLE_REGION ?? "us-central1",
    memory: 256,
  };
  let workspace = "";
  let hello: CloudFunction<{ name: string }, { message: string; memory: number | null }> | undefined;

  before(() => {
    workspace = tempDir("google-live");
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

  test("deploy, then a private call with an ID token: cold, with the record's Google fields", async () => {
    hello = cloudFunction(
      name,
      async (p: { name: string }, ctx) => ({ message: `Hello ${p.name}`, memory: ctx.memory }),
      { platform: "google", config },
    );
    const record = await hello.invoke({ name: "live" });
    assert.equal(record.failed, false, record.errorMessage ?? "");
    assert.deepEqual(record.result, { message: "Hello live", memory: 256 });
    assert.equal(record.coldStart, true);
    assert.equal(record.cpuAllocated, 0.167);
    assert.ok(record.billedMs !== null && record.billedMs % 100 === 0);
    const warm = await hello.invoke({ name: "again" });
    assert.equal(warm.coldStart, false);
  });

  test("reconfigure: the next call sees the new memory", async () => {
    assert.ok(hello);
    await reconfigure(hello, { memory: 512 });
    const record = await hello.invoke({ name: "x" });
    assert.equal((record.result as { memory: number }).memory, 512);
  });
}
