import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { buildFailedMessage, BuildFailure, buildSource, newBuild } from "./build";
import { GoogleApiError } from "./errors";
import type { Revision } from "./instance";
import type { Operation } from "./operations";
import { objectAt, type FunctionResource } from "./resource";
import type { FunctionService } from "./service";
import type { UploadStore } from "./uploads";
import { memoryMiB } from "./validate";

export interface DeployContext {
  root: string;
  region: string;
  projectNumber: string;
  uploads: UploadStore;
  /** Consumes a queued build fault, if any. */
  takeBuildFault(): string | null;
  countBuild(): void;
}

/** What a deploy produced: the code directory it built (or reused) and the revision now serving. */
export interface Deployed {
  codeDir: string;
  revision: Revision;
}

/**
 * The work behind a create/update operation: BUILD (unzip and install, when the build config
 * changed) then SERVICE (roll out a new revision and wait until its first instance listens). Stages
 * advance on the operation as the work does; a failure is thrown as the operation's error.
 */
export async function deploy(
  ctx: DeployContext,
  op: Operation,
  fn: FunctionResource,
  service: FunctionService,
  previous: { codeDir: string | null; revisions: number },
): Promise<Deployed> {
  let codeDir = previous.codeDir;
  if (op.stages.some((s) => s.name === "BUILD")) {
    const { buildId, logUrl } = newBuild(ctx.region, ctx.projectNumber);
    op.buildName = `projects/${ctx.projectNumber}/locations/${ctx.region}/builds/${buildId}`;
    op.stage("BUILD").resourceUri = logUrl;
    op.start("BUILD", "Build in progress");
    ctx.countBuild();
    await tick(); // a poll may see the stage in progress
    const source = objectAt(objectAt(fn.buildConfig, "source"), "storageSource");
    try {
      const fault = ctx.takeBuildFault();
      if (fault) throw new BuildFailure(fault);
      const bytes = ctx.uploads.read(source);
      codeDir = buildSource(bytes, path.join(ctx.root, buildId), logUrl, buildId).codeDir;
    } catch (error) {
      const reason =
        error instanceof BuildFailure || error instanceof GoogleApiError ? error.message : String(error);
      const message = buildFailedMessage(reason, logUrl);
      Object.assign(op.stage("BUILD"), { state: "COMPLETE", message, severity: "ERROR" });
      throw new GoogleApiError(400, "INVALID_ARGUMENT", message);
    }
    op.complete("BUILD", "Build finished");
  }
  if (!codeDir) throw new GoogleApiError(400, "INVALID_ARGUMENT", "The function has no built source.");
  const revision = revisionOf(fn, codeDir, previous.revisions + 1);
  op.stage("SERVICE").resourceUri =
    `projects/${fn.name.split("/")[1]}/locations/${ctx.region}/services/${revision.functionId}`;
  op.start("SERVICE", `Creating Cloud Run service revision ${revision.name}`);
  try {
    await service.rollOut(revision);
  } catch {
    const message =
      `Could not create or update Cloud Run service ${revision.functionId}, Container Healthcheck failed. ` +
      `Revision '${revision.name}' is not ready and cannot serve traffic. The user-provided container failed to start ` +
      "and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout. " +
      `Logs URL: https://console.cloud.google.com/logs/viewer?project=${fn.name.split("/")[1]}&resource=cloud_run_revision/service_name/${revision.functionId}/revision_name/${revision.name}`;
    Object.assign(op.stage("SERVICE"), { state: "COMPLETE", message, severity: "ERROR" });
    throw new GoogleApiError(400, "INVALID_ARGUMENT", message);
  }
  op.complete("SERVICE", "Service updated");
  return { codeDir, revision };
}

function revisionOf(fn: FunctionResource, codeDir: string, n: number): Revision {
  const s = fn.serviceConfig;
  const functionId = fn.name.split("/").pop()!;
  const suffix = randomBytes(2).toString("hex").slice(0, 3);
  return {
    functionId,
    name: `${functionId}-${String(n).padStart(5, "0")}-${suffix}`,
    codeDir,
    entryPoint: String(fn.buildConfig.entryPoint),
    environment: Object.fromEntries(
      Object.entries(objectAt(s, "environmentVariables")).map(([k, v]) => [k, String(v)]),
    ),
    memoryMiB: memoryMiB(String(s.availableMemory)),
    timeoutSeconds: Number(s.timeoutSeconds),
    concurrency: Number(s.maxInstanceRequestConcurrency),
    maxInstances: Number(s.maxInstanceCount),
    minInstances: Number(s.minInstanceCount ?? 0),
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
