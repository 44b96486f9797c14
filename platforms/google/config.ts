import type { protos } from "@google-cloud/functions";
import type { PlatformConfig } from "../../lib/platform";
import type { GoogleConfig } from "./schema";

export type { GoogleConfig } from "./schema";
export type CloudFunction = protos.google.cloud.functions.v2.IFunction;
export type ServiceConfig = protos.google.cloud.functions.v2.IServiceConfig;

/** Where a deployed function lives and how to reach it (Deployment.ref; JSON-serialisable). */
export interface GoogleRef {
  /** The Google function id (the faaslab name mapped by names.ts). */
  functionId: string;
  project: string;
  region: string;
  /** projects/<project>/locations/<region>/functions/<functionId> */
  resourceName: string;
  /** null: Google itself. */
  endpoint: string | null;
  /** serviceConfig.uri: where invoke POSTs. */
  uri: string;
  /** serviceConfig.revision at deploy time (changes with every service_config update). */
  revision: string | null;
}

/** The function's HTTP entry point: the bundle's export the Functions Framework calls. */
export const ENTRY_POINT = "faaslab";
/** Changed by forceColdStart(): a new environment means a new revision, and so new instances. */
export const NONCE_VARIABLE = "FAASLAB_NONCE";
/** Every function faaslab creates carries both: list() filters on the label, shows the description. */
export const FAASLAB_LABEL = "deployed-by";
export const FAASLAB_LABEL_VALUE = "faaslab";
export const FAASLAB_DESCRIPTION = "deployed by faaslab";

const INGRESS = {
  all: "ALLOW_ALL",
  internal: "ALLOW_INTERNAL_ONLY",
  "internal-and-gclb": "ALLOW_INTERNAL_AND_GCLB",
} as const;

/** The service_config fields faaslab sets: the update mask of reconfigure (proto field names). */
export const SERVICE_MASK = [
  "service_config.available_memory",
  "service_config.available_cpu",
  "service_config.timeout_seconds",
  "service_config.max_instance_count",
  "service_config.min_instance_count",
  "service_config.max_instance_request_concurrency",
  "service_config.environment_variables",
  "service_config.ingress_settings",
  "service_config.service_account_email",
  "service_config.all_traffic_on_latest_revision",
];

/** A redeploy changes the source and the build as well. */
export const DEPLOY_MASK = [
  "description",
  "labels",
  "build_config.runtime",
  "build_config.entry_point",
  "build_config.source",
  ...SERVICE_MASK,
];

/** A config validated against googleSchema by lib (resolveConfig) before it reaches the adapter. */
export function googleConfig(config: PlatformConfig): GoogleConfig {
  return config as GoogleConfig;
}

export function googleRef(ref: Record<string, unknown>): GoogleRef {
  return ref as unknown as GoogleRef;
}

export function resourceNameOf(project: string, region: string, functionId: string): string {
  return `projects/${project}/locations/${region}/functions/${functionId}`;
}

/**
 * The service config of a function. Cloud Run functions do not tell a function its faaslab name,
 * memory, region or timeout, so they travel as FAASLAB_* variables the shim reads.
 */
export function serviceConfig(
  functionName: string,
  region: string,
  config: GoogleConfig,
  nonce?: string,
): ServiceConfig {
  const environmentVariables: Record<string, string> = {
    ...config.environment,
    FAASLAB_FUNCTION_NAME: functionName,
    FAASLAB_MEMORY_MB: String(config.memory),
    FAASLAB_REGION: region,
    FAASLAB_TIMEOUT_S: String(config.timeout),
  };
  if (nonce) environmentVariables[NONCE_VARIABLE] = nonce;
  const service: ServiceConfig = {
    // MB here are MiB, as in Google's memory tiers (256 MB = 256Mi).
    availableMemory: `${config.memory}Mi`,
    timeoutSeconds: config.timeout,
    maxInstanceCount: config.maxInstances,
    minInstanceCount: config.minInstances,
    maxInstanceRequestConcurrency: config.concurrency,
    environmentVariables,
    ingressSettings: INGRESS[config.ingress],
    allTrafficOnLatestRevision: true,
  };
  // Absent (and cleared by the mask): Google picks the default CPU for the memory.
  if (config.cpu != null) service.availableCpu = String(config.cpu);
  if (config.serviceAccount) service.serviceAccountEmail = config.serviceAccount;
  return service;
}
