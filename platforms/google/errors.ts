import { FaasLabError, type ErrorPhase } from "../../lib/errors";
import { GOOGLE_ID_RULE } from "./names";

/** What the SDK throws: a GoogleError (rpc `code`, ErrorInfo `reason` and metadata) or a plain Error. */
interface SdkError {
  code?: number | string;
  message?: string;
  reason?: string;
  errorInfoMetadata?: Record<string, string>;
}

/** google.rpc.Code numbers the adapter acts on. */
export const RPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAUTHENTICATED: 16,
} as const;

export const rpcCode = (e: unknown): number | undefined => {
  const code = (e as SdkError | null)?.code;
  return typeof code === "number" ? code : undefined;
};
export const errorMessage = (e: unknown): string => String((e as SdkError | null)?.message ?? e);
const firstLine = (text: string): string => text.split("\n")[0].slice(0, 600);
const info = (e: unknown): Record<string, string> => (e as SdkError | null)?.errorInfoMetadata ?? {};

export const isNotFound = (e: unknown): boolean => rpcCode(e) === RPC.NOT_FOUND;
export const isAlreadyExists = (e: unknown): boolean => rpcCode(e) === RPC.ALREADY_EXISTS;

/** The roles that hold a permission faaslab needs (the smallest predefined one first). */
const ROLE_FOR_PERMISSION: [RegExp, string][] = [
  [/^cloudfunctions\.functions\.(setIamPolicy|getIamPolicy)$/, "roles/cloudfunctions.admin"],
  [/^cloudfunctions\./, "roles/cloudfunctions.developer"],
  [/^iam\.serviceAccounts\.actAs$/, "roles/iam.serviceAccountUser"],
  [/^run\.routes\.invoke$/, "roles/run.invoker"],
  [/^run\.services\.(setIamPolicy|getIamPolicy)$/, "roles/run.admin"],
  [/^run\./, "roles/run.developer"],
  [
    /^(storage|artifactregistry|cloudbuild)\./,
    "roles/cloudfunctions.developer (and the build service account's roles/cloudbuild.builds.builder)",
  ],
];

export function roleFor(permission: string): string {
  return ROLE_FOR_PERMISSION.find(([re]) => re.test(permission))?.[1] ?? "a role that grants it";
}

function fail(e: unknown, phase: ErrorPhase, message: string, code: string, hint?: string): FaasLabError {
  return new FaasLabError(message, { code, phase, platform: "google", cause: e, hint });
}

/** Missing or rejected credentials (ADC), in any phase. */
export function credentialsError(e: unknown, phase: ErrorPhase): FaasLabError | null {
  const message = errorMessage(e);
  const missing = /Could not load the default credentials|Cannot fetch ID token in this environment/i.test(
    message,
  );
  if (!missing && rpcCode(e) !== RPC.UNAUTHENTICATED && !/invalid_grant|invalid_rapt/i.test(message))
    return null;
  return fail(
    e,
    phase,
    missing
      ? `no Google credentials found (${firstLine(message)})`
      : `Google rejected the credentials (${firstLine(message)})`,
    "GOOGLE_CREDENTIALS",
    missing
      ? "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file (on GCE/Cloud Run the metadata server provides them)"
      : "refresh them with `gcloud auth application-default login` (or a new key file in GOOGLE_APPLICATION_CREDENTIALS)",
  );
}

/**
 * An API error that is about the project's setup, not this one call: an API not enabled, a missing
 * permission, a quota. Same text in every phase.
 */
export function setupError(e: unknown, phase: ErrorPhase, project: string): FaasLabError | null {
  const known = credentialsError(e, phase);
  if (known) return known;
  const message = firstLine(errorMessage(e));
  const reason = (e as SdkError | null)?.reason ?? "";
  const disabled =
    reason === "SERVICE_DISABLED" || /has not been used in project .* or it is disabled/i.test(message);
  if (disabled) {
    const service =
      info(e).service ??
      /apis\/api\/([a-z.]+googleapis\.com)/.exec(message)?.[1] ??
      "cloudfunctions.googleapis.com";
    const title = info(e).serviceTitle ?? service;
    return fail(
      e,
      phase,
      `the ${title} (${service}) is not enabled in project ${project}`,
      "GOOGLE_API_DISABLED",
      `enable it: \`gcloud services enable ${service} --project ${project}\` (a first deploy needs cloudfunctions, cloudbuild, artifactregistry and run: \`gcloud services enable cloudfunctions.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com run.googleapis.com --project ${project}\`); it takes a minute to apply`,
    );
  }
  if (rpcCode(e) === RPC.PERMISSION_DENIED) {
    const permission = info(e).permission ?? /Permission '([\w.]+)'/.exec(message)?.[1] ?? null;
    const role = permission ? roleFor(permission) : "roles/cloudfunctions.developer";
    return fail(
      e,
      phase,
      `permission denied in project ${project}${permission ? `: ${permission} is missing` : ""} (${message})`,
      "GOOGLE_PERMISSION_DENIED",
      `grant the caller ${role}: \`gcloud projects add-iam-policy-binding ${project} --member=user:YOU@example.com --role=${role.split(" ")[0]}\` (platforms/google/README.md lists the roles)`,
    );
  }
  if (rpcCode(e) === RPC.RESOURCE_EXHAUSTED) {
    const metric = info(e).quota_metric ?? info(e).quota_limit ?? "a quota";
    return fail(
      e,
      phase,
      `quota exceeded in project ${project}: ${metric} (${message})`,
      "GOOGLE_QUOTA_EXCEEDED",
      "wait a minute and try again (write quotas are per minute), or ask for more at https://console.cloud.google.com/iam-admin/quotas",
    );
  }
  return null;
}

/** Turns any error of a deploy into a clear FaasLabError (the SDK error stays as `cause`). */
export function deployError(e: unknown, functionName: string, id: string, project: string): FaasLabError {
  if (e instanceof FaasLabError) return e;
  const known = setupError(e, "deploy", project);
  if (known) return known;
  const message = firstLine(errorMessage(e));
  if (rpcCode(e) === RPC.INVALID_ARGUMENT && /function (id|name)|functionId|invalid.*name/i.test(message)) {
    return invalidName(functionName, id, message, e);
  }
  return fail(
    e,
    "deploy",
    `deploying "${functionName}" (Google id "${id}") failed: ${message}`,
    "GOOGLE_DEPLOY_FAILED",
  );
}

export function invalidName(functionName: string, id: string, detail: string, cause?: unknown): FaasLabError {
  return fail(
    cause,
    "deploy",
    `Google rejected the function id "${id}" of "${functionName}" (${detail})`,
    "GOOGLE_INVALID_NAME",
    `${GOOGLE_ID_RULE}; faaslab maps other names to one (platforms/google/README.md, "Names"): choose a name like "${id}"`,
  );
}

/** Errors of reconfigure/remove/forceColdStart/list/invoke set-up. */
export function operationError(
  e: unknown,
  phase: ErrorPhase,
  what: string,
  id: string,
  project: string,
): FaasLabError {
  if (e instanceof FaasLabError) return e;
  const known = setupError(e, phase, project);
  if (known) return known;
  if (isNotFound(e)) {
    return fail(
      e,
      phase,
      `function "${id}" does not exist in project ${project} (${what})`,
      "GOOGLE_FUNCTION_NOT_FOUND",
      "it was deleted outside faaslab: deploy it again with f.deploy({ force: true })",
    );
  }
  return fail(e, phase, `${what} "${id}": ${firstLine(errorMessage(e))}`, "GOOGLE_REQUEST_FAILED");
}

export function projectMissing(cause?: unknown): FaasLabError {
  return fail(
    cause,
    "config",
    "no Google Cloud project: the config says null, GOOGLE_CLOUD_PROJECT is not set and the credentials name none",
    "GOOGLE_PROJECT",
    'set "project" in the google section of faaslab.config.json (or cloudFunction(…, { config: { project: "my-project" } })), or GOOGLE_CLOUD_PROJECT, or `gcloud config set project my-project` before `gcloud auth application-default login`',
  );
}
