import { FaasLabError } from "../../lib/errors";
import type { Logger } from "../../lib/platform";
import type { FunctionServiceClient } from "./clients";
import type { CloudFunction } from "./config";
import { errorMessage, setupError } from "./errors";
import type { Sleep } from "./retry";

/** A stage of OperationMetadata; enums arrive as names (decoded) or numbers (raw REST). */
interface Stage {
  name?: string | number | null;
  state?: string | number | null;
  message?: string | null;
  resourceUri?: string | null;
}

/** The part of gax's Operation the wait reads (the SDK's LROperation). */
export interface PolledOperation {
  name?: string | null;
  done?: boolean | null;
  /** OperationMetadata (decoded by gax): its `stages` are read. */
  metadata?: unknown;
  result?: unknown;
  error?: unknown;
}

export type OperationKind = "create" | "update" | "delete";

export interface OperationContext {
  client: FunctionServiceClient;
  log: Logger;
  signal?: AbortSignal;
  sleep: Sleep;
  /** Total wait, ms: gax's own polling has none. */
  waitMs: number;
  /** First delay between polls, ms (grows ×1.5 up to 5 s). */
  pollMs: number;
  project: string;
}

const STAGE_NAMES = [
  "NAME_UNSPECIFIED",
  "ARTIFACT_REGISTRY",
  "BUILD",
  "SERVICE",
  "TRIGGER",
  "SERVICE_ROLLBACK",
  "TRIGGER_ROLLBACK",
];
const STAGE_STATES = ["STATE_UNSPECIFIED", "NOT_STARTED", "IN_PROGRESS", "COMPLETE"];
const enumText = (names: string[], v: unknown): string =>
  typeof v === "number" ? (names[v] ?? String(v)) : String(v ?? "?");

/**
 * Polls an operation until done, with its own total timeout, writing each stage change (BUILD
 * IN_PROGRESS, SERVICE COMPLETE, …) to the log. Resolves to the operation's result (the Function;
 * null for a delete); a failed operation becomes a FaasLabError (a build failure with its log URL).
 */
export async function waitOperation(
  ctx: OperationContext,
  first: PolledOperation,
  kind: OperationKind,
  functionLabel: string,
): Promise<CloudFunction | null> {
  const started = Date.now();
  const seen = new Map<string, string>();
  let stages: Stage[] = [];
  let op = first;
  let delay = ctx.pollMs;
  for (;;) {
    stages = (op.metadata as { stages?: Stage[] | null } | null | undefined)?.stages ?? stages;
    reportStages(ctx.log, stages, seen);
    if (op.done) {
      if (op.error) throw operationFailed(op.error, stages, kind, functionLabel, ctx.project);
      return (op.result as CloudFunction | undefined) ?? null;
    }
    const waited = Date.now() - started;
    if (waited >= ctx.waitMs) throw deployTimeout(kind, functionLabel, waited, op.name ?? "", stages);
    await ctx.sleep(Math.min(delay, ctx.waitMs - waited), ctx.signal);
    delay = Math.min(delay * 1.5, 5000);
    op = await poll(ctx.client, kind, op.name ?? "");
  }
}

async function poll(
  client: FunctionServiceClient,
  kind: OperationKind,
  name: string,
): Promise<PolledOperation> {
  try {
    if (kind === "create") return await client.checkCreateFunctionProgress(name);
    if (kind === "update") return await client.checkUpdateFunctionProgress(name);
    return await client.checkDeleteFunctionProgress(name);
  } catch (e) {
    // gax unpacks a failed operation by throwing its error: that is the operation's outcome.
    if (isRpcError(e)) return { name, done: true, error: e };
    throw e;
  }
}

const isRpcError = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === "number";

function reportStages(log: Logger, stages: Stage[], seen: Map<string, string>): void {
  for (const stage of stages) {
    const name = enumText(STAGE_NAMES, stage.name);
    const state = enumText(STAGE_STATES, stage.state);
    const line = `${state}${stage.message ? ` (${stage.message})` : ""}`;
    if (seen.get(name) === line) continue;
    seen.set(name, line);
    log(`google: ${name} ${line}`);
  }
}

/** A failed operation: a build failure names the build's message and log URL. */
export function operationFailed(
  error: unknown,
  stages: Stage[],
  kind: OperationKind,
  functionLabel: string,
  project: string,
): FaasLabError {
  const known = setupError(error, "deploy", project);
  if (known) return known;
  const message = errorMessage(error).replace(/^Error: /, "");
  const building = stages.find(
    (s) => enumText(STAGE_NAMES, s.name) === "BUILD" && enumText(STAGE_STATES, s.state) !== "COMPLETE",
  );
  const buildFailed =
    /build failed|build error|failed to build/i.test(message) ||
    (kind !== "delete" &&
      building !== undefined &&
      building.state !== undefined &&
      enumText(STAGE_STATES, building.state) === "IN_PROGRESS");
  if (buildFailed) {
    const logUrl = /https?:\/\/\S*cloud-build\S*/.exec(message)?.[0] ?? building?.resourceUri ?? null;
    return new FaasLabError(`the build of ${functionLabel} failed: ${message.split("\n")[0]}`, {
      code: "GOOGLE_BUILD_FAILED",
      phase: "deploy",
      platform: "google",
      cause: error,
      hint: `${logUrl ? `the build log: ${logUrl}; ` : ""}the previous deployment (if any) keeps serving. A dependency that fails \`npm install --production\` or a syntax error for the runtime are the usual causes`,
    });
  }
  return new FaasLabError(
    `${kind === "delete" ? "deleting" : "deploying"} ${functionLabel} failed: ${message.split("\n")[0]}`,
    {
      code: "GOOGLE_OPERATION_FAILED",
      phase: kind === "delete" ? "remove" : "deploy",
      platform: "google",
      cause: error,
    },
  );
}

function deployTimeout(
  kind: OperationKind,
  functionLabel: string,
  waitedMs: number,
  operation: string,
  stages: Stage[],
): FaasLabError {
  const last = stages
    .filter((s) => enumText(STAGE_STATES, s.state) === "IN_PROGRESS")
    .map((s) => enumText(STAGE_NAMES, s.name));
  return new FaasLabError(
    `${kind === "delete" ? "deleting" : "deploying"} ${functionLabel} did not finish within ${Math.round(waitedMs / 1000)} s${last.length ? ` (still in ${last.join(", ")})` : ""}`,
    {
      code: "GOOGLE_DEPLOY_TIMEOUT",
      phase: kind === "delete" ? "remove" : "deploy",
      platform: "google",
      hint: `the operation goes on at Google: \`gcloud functions operations describe ${operation.split("/").pop()}\`, or wait and deploy again; a first build can take a few minutes (raise waitSeconds)`,
    },
  );
}
