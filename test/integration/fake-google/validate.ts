import { invalidArgument } from "./errors";
import { objectAt, type Json } from "./resource";

const FUNCTION_ID = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const RUNTIMES = new Set(["nodejs22", "nodejs24"]);
const RETIRED = new Set([
  "nodejs6",
  "nodejs8",
  "nodejs10",
  "nodejs12",
  "nodejs14",
  "nodejs16",
  "nodejs18",
  "nodejs20",
]);
const RESERVED_ENV = new Set([
  "PORT",
  "K_SERVICE",
  "K_REVISION",
  "K_CONFIGURATION",
  "FUNCTION_TARGET",
  "FUNCTION_SIGNATURE_TYPE",
]);
/** Google's default vCPU for a memory size (MiB ceilings), as in the Cloud Run functions docs. */
const DEFAULT_CPU: [number, string][] = [
  [128, "0.083"],
  [256, "0.167"],
  [512, "0.333"],
  [1024, "0.583"],
  [2048, "1"],
  [8192, "2"],
  [16384, "4"],
  [32768, "8"],
];

export function checkFunctionId(id: string): void {
  if (!FUNCTION_ID.test(id)) {
    throw invalidArgument(
      `Invalid function service name: ${id}. Function service name must use only lowercase alphanumeric characters and dashes. ` +
        "Cannot begin or end with a dash, and cannot be longer than 63 characters.",
    );
  }
}

/** Memory in MiB from `availableMemory` ("256M", "1Gi", "512Mi", "2G", "1000k"); NaN when unreadable. */
export function memoryMiB(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(k|M|G|Mi|Gi)?$/.exec(text);
  if (!m) return NaN;
  const scale: Record<string, number> = {
    k: 1000 / 1048576,
    M: 1e6 / 1048576,
    G: 1e9 / 1048576,
    Mi: 1,
    Gi: 1024,
  };
  return Number(m[1]) * (m[2] ? scale[m[2]]! : 1 / 1048576);
}

export function defaultCpu(mib: number): string {
  return (DEFAULT_CPU.find(([limit]) => mib <= limit + 0.5) ?? DEFAULT_CPU[DEFAULT_CPU.length - 1]!)[1];
}

/**
 * Fills Google's defaults into a function about to be deployed and checks what Google checks before
 * building; every problem is an INVALID_ARGUMENT with Google's wording where known.
 */
export function withDefaults(
  fn: Json,
  defaults: { project: string; region: string; projectNumber: string },
): Json {
  const build = objectAt(fn, "buildConfig");
  const service = objectAt(fn, "serviceConfig");
  const runtime = String(build.runtime ?? "");
  if (RETIRED.has(runtime)) {
    throw invalidArgument(
      `Runtime ${runtime} is decommissioned and no longer allowed. Please use the latest Node.js runtime for Cloud Run functions.`,
    );
  }
  if (!RUNTIMES.has(runtime))
    throw invalidArgument(`Invalid runtime '${runtime}'. Supported runtimes: ${[...RUNTIMES].join(", ")}.`);
  if (!build.entryPoint)
    throw invalidArgument("Function entry point (build_config.entry_point) is required.");
  const storage = objectAt(objectAt(build, "source"), "storageSource");
  if (!storage.bucket || !storage.object)
    throw invalidArgument("build_config.source.storage_source: bucket and object are required.");
  const environment = fn.environment ?? "GEN_2";
  if (environment !== "GEN_2")
    throw invalidArgument(`This fake serves GEN_2 functions only, not ${String(environment)}.`);

  const memory = String(service.availableMemory ?? "256M");
  const mib = memoryMiB(memory);
  if (!(mib >= 128 && mib <= 32768))
    throw invalidArgument(`Invalid value specified for container memory: ${memory}.`);
  const cpu = String(service.availableCpu ?? defaultCpu(mib));
  if (!(Number(cpu) > 0 && Number(cpu) <= 8))
    throw invalidArgument(`Invalid value specified for cpu: ${cpu}.`);
  const concurrency = Number(service.maxInstanceRequestConcurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw invalidArgument(`max_instance_request_concurrency must be between 1 and 1000, got ${concurrency}.`);
  }
  if (concurrency > 1 && Number(cpu) < 1) {
    throw invalidArgument(
      "Could not update Cloud Run service: spec.template.spec.containers[0].resources.limits.cpu: Invalid value specified for cpu. " +
        "Total cpu < 1 is not supported with concurrency > 1.",
    );
  }
  const maxInstances = Number(service.maxInstanceCount ?? 100);
  const minInstances = Number(service.minInstanceCount ?? 0);
  if (!Number.isInteger(maxInstances) || maxInstances < 1)
    throw invalidArgument(`max_instance_count must be a positive integer, got ${maxInstances}.`);
  if (!Number.isInteger(minInstances) || minInstances < 0 || minInstances > maxInstances) {
    throw invalidArgument(
      `min_instance_count (${minInstances}) must be between 0 and max_instance_count (${maxInstances}).`,
    );
  }
  const timeout = Number(service.timeoutSeconds ?? 60);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600)
    throw invalidArgument(`timeout_seconds must be between 1 and 3600, got ${timeout}.`);
  const env = objectAt(service, "environmentVariables");
  for (const key of Object.keys(env)) {
    if (RESERVED_ENV.has(key) || key.startsWith("X_GOOGLE_"))
      throw invalidArgument(`Environment variable name '${key}' is reserved.`);
  }
  const { project, region, projectNumber } = defaults;
  return {
    ...fn,
    environment,
    buildConfig: {
      dockerRegistry: "ARTIFACT_REGISTRY",
      dockerRepository: `projects/${project}/locations/${region}/repositories/gcf-artifacts`,
      ...build,
    },
    serviceConfig: {
      ingressSettings: "ALLOW_ALL",
      allTrafficOnLatestRevision: true,
      serviceAccountEmail: `${projectNumber}-compute@developer.gserviceaccount.com`,
      ...service,
      environmentVariables: { LOG_EXECUTION_ID: "true", ...env },
      availableMemory: memory,
      availableCpu: cpu,
      maxInstanceRequestConcurrency: concurrency,
      maxInstanceCount: maxInstances,
      ...(minInstances > 0 ? { minInstanceCount: minInstances } : {}),
      timeoutSeconds: timeout,
    },
  };
}
