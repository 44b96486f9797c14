import type { ListedFunction, PlatformConfig } from "../../lib/platform";
import type { FunctionServiceClient } from "./clients";
import {
  FAASLAB_DESCRIPTION,
  FAASLAB_LABEL,
  FAASLAB_LABEL_VALUE,
  NONCE_VARIABLE,
  type CloudFunction,
  type GoogleRef,
} from "./config";

/** Every function faaslab deployed in the region: one filtered listing (label), page by page. */
export async function listFaasLabFunctions(
  client: FunctionServiceClient,
  project: string,
  region: string,
): Promise<CloudFunction[]> {
  const parent = `projects/${project}/locations/${region}`;
  const [all] = await client.listFunctions({
    parent,
    filter: `labels.${FAASLAB_LABEL}=${FAASLAB_LABEL_VALUE}`,
  });
  // Filter again here: an emulator may ignore `filter`.
  return all.filter(isFaasLabFunction);
}

export function isFaasLabFunction(fn: CloudFunction): boolean {
  return (
    typeof fn.name === "string" &&
    (fn.labels?.[FAASLAB_LABEL] === FAASLAB_LABEL_VALUE ||
      (fn.description ?? "").startsWith(FAASLAB_DESCRIPTION))
  );
}

const FAASLAB_VARIABLES = [
  "FAASLAB_FUNCTION_NAME",
  "FAASLAB_MEMORY_MB",
  "FAASLAB_REGION",
  "FAASLAB_TIMEOUT_S",
  NONCE_VARIABLE,
];

/** A listed function as faaslab shows it; its deployment is enough for remove(). */
export function listedFunction(
  fn: CloudFunction,
  where: { project: string; region: string; endpoint: string | null },
  listConfig: PlatformConfig,
): ListedFunction {
  const resourceName = fn.name ?? "";
  const functionId = resourceName.split("/").pop() ?? "";
  const variables = fn.serviceConfig?.environmentVariables ?? {};
  const functionName = variables.FAASLAB_FUNCTION_NAME || functionId;
  const environment = Object.fromEntries(
    Object.entries(variables).filter(([k]) => !FAASLAB_VARIABLES.includes(k)),
  );
  const ref: GoogleRef = {
    functionId,
    project: where.project,
    region: where.region,
    resourceName,
    endpoint: where.endpoint,
    uri: fn.serviceConfig?.uri ?? "",
    // Unknown here on purpose: state.json keeps the deploy-time revision, and refs are matched on every id.
    revision: null,
  };
  const memory = Number(variables.FAASLAB_MEMORY_MB) || undefined;
  const reported: PlatformConfig = {
    project: where.project,
    region: where.region,
    endpoint: where.endpoint,
    memory,
    timeout: fn.serviceConfig?.timeoutSeconds ?? undefined,
    runtime: fn.buildConfig?.runtime ?? undefined,
    environment,
  };
  const config = { ...listConfig };
  for (const [key, value] of Object.entries(reported)) if (value !== undefined) config[key] = value;
  const deployedAt = timestamp(fn.updateTime);
  return {
    platform: "google",
    functionName,
    resourceName: functionId,
    location: where.endpoint
      ? `${where.project}/${where.region} at ${where.endpoint}`
      : `${where.project}/${where.region}`,
    deployedAt,
    deployment: {
      platform: "google",
      functionName,
      hash: "",
      config,
      ref: { ...ref },
      deployedAt: deployedAt ?? "",
    },
  };
}

/** A protobuf Timestamp ({ seconds, nanos }) or an RFC 3339 string → ISO; null when absent. */
function timestamp(value: CloudFunction["updateTime"] | string | undefined): string | null {
  if (!value) return null;
  if (typeof value === "string")
    return Number.isNaN(Date.parse(value)) ? null : new Date(value).toISOString();
  const seconds = Number(value.seconds ?? 0);
  return seconds > 0 ? new Date(seconds * 1000 + Math.floor((value.nanos ?? 0) / 1e6)).toISOString() : null;
}
