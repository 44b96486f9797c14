import type { GoogleAuth } from "google-auth-library";
import { FaasLabError } from "../../lib/errors";
import type { Logger } from "../../lib/platform";
import type { GoogleClients } from "./clients";
import { rpcCode, setupError } from "./errors";

/** The invoker role of a Cloud Run service (a gen 2 function's URL is its service's). */
export const RUN_INVOKER_ROLE = "roles/run.invoker";
const EVERYONE = "allUsers";

interface Binding {
  role: string;
  members?: string[];
}
interface Policy {
  bindings?: Binding[];
  etag?: string;
  version?: number;
}

/** Where the invoker policy lives and which role grants invocation there. */
export interface IamTarget {
  /** e.g. https://run.googleapis.com/v2/projects/p/locations/r/services/id */
  resourceUrl: string;
  role: string;
  auth: GoogleAuth | null;
  project: string;
  label: string;
}

/**
 * Where a function's invoker policy lives: on its Cloud Run service (roles/run.invoker, what
 * `gcloud functions add-invoker-policy-binding` sets), through the Cloud Run Admin v2 IAM methods —
 * at run.googleapis.com, or at the emulator's endpoint.
 */
export function invokerPolicy(
  clients: GoogleClients,
  target: { project: string; region: string; functionId: string; label: string },
  fn: { serviceConfig?: { service?: string | null } | null },
  endpoint: string | null,
): IamTarget {
  const service =
    fn.serviceConfig?.service ||
    `projects/${target.project}/locations/${target.region}/services/${target.functionId}`;
  const base = endpoint ? endpoint.replace(/\/$/, "") : "https://run.googleapis.com";
  return {
    resourceUrl: `${base}/v2/${service}`,
    role: RUN_INVOKER_ROLE,
    auth: clients.auth,
    project: target.project,
    label: target.label,
  };
}

/**
 * Grants (public) or revokes `allUsers` the invoker role: read-modify-write of the policy through the
 * v2 REST IAM methods, called deliberately (the SDK's REST fallback sends its IAM calls to /v1 paths).
 */
export async function syncPublicAccess(target: IamTarget, wantPublic: boolean, log: Logger): Promise<void> {
  const policy = await call<Policy>(target, "GET", ":getIamPolicy");
  const bindings = (policy.bindings ?? []).map((b) => ({ ...b, members: [...(b.members ?? [])] }));
  const invoker = bindings.find((b) => b.role === target.role);
  const isPublic = invoker?.members.includes(EVERYONE) ?? false;
  if (isPublic === wantPublic) return;
  if (wantPublic) {
    if (invoker) invoker.members.push(EVERYONE);
    else bindings.push({ role: target.role, members: [EVERYONE] });
  } else if (invoker) {
    invoker.members = invoker.members.filter((m) => m !== EVERYONE);
  }
  const kept = bindings.filter((b) => b.members.length > 0);
  log(`google: ${wantPublic ? "granting" : "revoking"} ${EVERYONE} ${target.role} on ${target.label}`);
  try {
    await call(target, "POST", ":setIamPolicy", { policy: { ...policy, bindings: kept } });
  } catch (e) {
    if (
      wantPublic &&
      rpcCode(e) === 9 /* FAILED_PRECONDITION */ &&
      /organization policy|permitted customer/i.test(String((e as Error).message))
    ) {
      throw new FaasLabError(
        `an organization policy refuses to make ${target.label} public (${(e as Error).message})`,
        {
          code: "GOOGLE_PUBLIC_REFUSED",
          phase: "deploy",
          platform: "google",
          cause: e,
          hint: 'keep "public": false (the default): faaslab signs each call with an ID token; or ask an org admin about the iam.allowedPolicyMemberDomains constraint',
        },
      );
    }
    throw e;
  }
}

/** A REST call with Google's error JSON turned into an Error carrying the rpc code (as GoogleError does). */
async function call<T>(target: IamTarget, method: "GET" | "POST", verb: string, body?: unknown): Promise<T> {
  const url = `${target.resourceUrl}${verb}`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.auth) {
    const auth = await target.auth.getRequestHeaders(url);
    const value = auth.get("authorization");
    if (value) headers.authorization = value;
  }
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : {};
  if (res.ok) return parsed as T;
  const error =
    (parsed as { error?: { message?: string; status?: string; details?: unknown[] } }).error ?? {};
  const failure = Object.assign(new Error(error.message ?? `HTTP ${res.status}`), {
    code: RPC_BY_STATUS[error.status ?? ""] ?? res.status,
    reason: reasonOf(error.details),
    errorInfoMetadata: metadataOf(error.details),
  });
  throw setupError(failure, "deploy", target.project) ?? failure;
}

const RPC_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAUTHENTICATED: 16,
};

type Detail = { "@type"?: string; reason?: string; metadata?: Record<string, string> };
const errorInfo = (details: unknown): Detail | undefined =>
  Array.isArray(details)
    ? (details as Detail[]).find((d) => String(d["@type"]).endsWith("google.rpc.ErrorInfo"))
    : undefined;
const reasonOf = (details: unknown): string | undefined => errorInfo(details)?.reason;
const metadataOf = (details: unknown): Record<string, string> | undefined => errorInfo(details)?.metadata;
