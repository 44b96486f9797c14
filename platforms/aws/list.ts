import { ListFunctionsCommand, type FunctionConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { FaasLabError } from "../../lib/errors";
import type { ListedFunction, PlatformConfig } from "../../lib/platform";
import { FAASLAB_DESCRIPTION, NONCE_VARIABLE, type AwsRef } from "./config";
import { credentialsError, errorMessage, errorName, httpStatus } from "./errors";

/** Lambda answers at most 50 functions per page, whatever MaxItems asks for. */
export const LIST_PAGE_SIZE = 50;

/** Where a listing looked: the resolved region and the endpoint (null: AWS itself). */
export interface ListLocation {
  region: string;
  endpoint: string | null;
}

/**
 * Every function of the region that faaslab deployed: ListFunctions page by page (Marker →
 * NextMarker), keeping those whose Description carries faaslab's mark — no call per function.
 */
export async function listFaasLabFunctions(
  client: LambdaClient,
  signal?: AbortSignal,
): Promise<FunctionConfiguration[]> {
  const found: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListFunctionsCommand({ Marker: marker, MaxItems: LIST_PAGE_SIZE }), {
      abortSignal: signal,
    });
    found.push(...(page.Functions ?? []).filter(isFaasLabFunction));
    if (page.NextMarker !== undefined && page.NextMarker === marker) {
      throw new Error(`ListFunctions returned the same NextMarker twice (${marker})`);
    }
    marker = page.NextMarker || undefined;
  } while (marker !== undefined);
  return found;
}

/** Deployed (created or reconfigured) by faaslab: configurationInput() sets this Description. */
export function isFaasLabFunction(fn: FunctionConfiguration): boolean {
  return typeof fn.FunctionName === "string" && (fn.Description ?? "").startsWith(FAASLAB_DESCRIPTION);
}

/**
 * A listed Lambda function as faaslab shows it. Its deployment is enough for remove(); its config is
 * the listing's, overlaid with what Lambda reports (memory, timeout, runtime, architecture, role);
 * the artifact hash is unknown ("").
 */
export function listedFunction(
  fn: FunctionConfiguration,
  where: ListLocation,
  listConfig: PlatformConfig,
): ListedFunction {
  const lambdaName = fn.FunctionName ?? "";
  const ref: AwsRef = {
    lambdaName,
    functionArn: fn.FunctionArn ?? null,
    region: where.region,
    endpoint: where.endpoint,
    functionUrl: null,
  };
  const { [NONCE_VARIABLE]: _nonce, ...environment } = fn.Environment?.Variables ?? {};
  const reported: PlatformConfig = {
    region: where.region,
    endpoint: where.endpoint,
    memory: fn.MemorySize,
    timeout: fn.Timeout,
    runtime: fn.Runtime,
    architecture: fn.Architectures?.[0],
    role: fn.Role,
    ephemeralStorage: fn.EphemeralStorage?.Size,
    environment,
  };
  const config = { ...listConfig };
  for (const [key, value] of Object.entries(reported)) if (value !== undefined) config[key] = value;
  const deployedAt = lastModified(fn.LastModified);
  return {
    platform: "aws",
    functionName: lambdaName,
    resourceName: lambdaName,
    location: where.endpoint ? `${where.region} at ${where.endpoint}` : where.region,
    deployedAt,
    deployment: {
      platform: "aws",
      functionName: lambdaName,
      hash: "",
      config,
      ref: { ...ref },
      deployedAt: deployedAt ?? "",
    },
  };
}

/** Lambda's LastModified ("2026-11-22T10:00:00.000+0000") as an ISO string; null when unreadable. */
function lastModified(value: string | undefined): string | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A failed listing, with what to do about it (the SDK error stays as `cause`). */
export function listError(e: unknown, where: string): FaasLabError {
  if (e instanceof FaasLabError) return e;
  const known = credentialsError(e, "list");
  if (known) return known;
  const denied = errorName(e) === "AccessDeniedException" || httpStatus(e) === 403;
  const detail = `${errorName(e) || "error"}: ${errorMessage(e).split("\n")[0]}`;
  return new FaasLabError(`listing the Lambda functions in ${where} failed (${detail})`, {
    code: denied ? "AWS_ACCESS_DENIED" : "AWS_LIST_FAILED",
    phase: "list",
    platform: "aws",
    cause: e,
    hint: denied ? "the credentials need lambda:ListFunctions" : undefined,
  });
}
