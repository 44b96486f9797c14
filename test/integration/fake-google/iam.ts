import { createHash } from "node:crypto";
import { invalidArgument, orgPolicyRefusal } from "./errors";
import { isObject, type Json } from "./resource";

/**
 * The function's IAM policy (v2 `:getIamPolicy` / `:setIamPolicy`). A function is public when the
 * policy grants `roles/cloudfunctions.invoker` to `allUsers`: Google's docs grant invocation of a
 * Cloud Functions v2 API function that way (the role is propagated to the underlying Cloud Run
 * service, where `roles/run.invoker` lives). `roles/run.invoker` is a Cloud Run role: on a function
 * resource it is refused, as Google refuses roles a resource type does not support.
 */
export const INVOKER_ROLE = "roles/cloudfunctions.invoker";
const FUNCTION_ROLES = new Set([
  INVOKER_ROLE,
  "roles/cloudfunctions.admin",
  "roles/cloudfunctions.developer",
  "roles/cloudfunctions.viewer",
]);

export interface Policy {
  version: number;
  etag: string;
  bindings: { role: string; members: string[] }[];
}

export function emptyPolicy(): Policy {
  return withEtag({ version: 1, etag: "", bindings: [] });
}

/** Checks and stores a SetIamPolicyRequest's policy; `orgPolicyBlocksAllUsers` models Domain Restricted Sharing. */
export function setPolicy(current: Policy, request: Json, orgPolicyBlocksAllUsers: boolean): Policy {
  const policy = request.policy;
  if (!isObject(policy)) throw invalidArgument("policy is required");
  if (policy.etag && policy.etag !== current.etag) {
    throw invalidArgument("The etag of the policy does not match the current policy (concurrent update)."); // Google: ABORTED 409
  }
  const bindings = Array.isArray(policy.bindings) ? (policy.bindings as Json[]) : [];
  const clean = bindings.map((b) => ({
    role: String(b.role),
    members: (b.members as string[] | undefined) ?? [],
  }));
  for (const b of clean) {
    if (!FUNCTION_ROLES.has(b.role)) {
      throw invalidArgument(`Role ${b.role} is not supported for this resource.`);
    }
    const publicMember = b.members.some((m) => m === "allUsers" || m === "allAuthenticatedUsers");
    if (publicMember && orgPolicyBlocksAllUsers) throw orgPolicyRefusal();
  }
  return withEtag({ version: Number(policy.version ?? 1), etag: "", bindings: clean });
}

export function isPublic(policy: Policy): boolean {
  return policy.bindings.some((b) => b.role === INVOKER_ROLE && b.members.includes("allUsers"));
}

function withEtag(policy: Policy): Policy {
  const etag = createHash("sha1").update(JSON.stringify(policy.bindings)).digest("base64").slice(0, 12);
  return { ...policy, etag };
}
