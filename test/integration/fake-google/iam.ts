import { createHash } from "node:crypto";
import { GoogleApiError, invalidArgument, orgPolicyRefusal } from "./errors";
import { isObject, type Json } from "./resource";

/**
 * IAM policies of a function (Cloud Functions v2 `…/functions/{f}:getIamPolicy|setIamPolicy`) and of
 * its Cloud Run service (Cloud Run Admin v2 `…/services/{f}:getIamPolicy|setIamPolicy`). A function
 * is public when its policy grants `roles/cloudfunctions.invoker` to `allUsers` (Google propagates
 * that to the service) or its service's grants `roles/run.invoker` to `allUsers` (what
 * `gcloud functions add-invoker-policy-binding` does). Each resource type takes its own roles only:
 * `roles/run.invoker` on a function, or a cloudfunctions role on a service, is refused (400).
 */
export const INVOKER_ROLE = {
  function: "roles/cloudfunctions.invoker",
  service: "roles/run.invoker",
} as const;
export type PolicyKind = keyof typeof INVOKER_ROLE;
const ROLES: Record<PolicyKind, Set<string>> = {
  function: new Set([
    INVOKER_ROLE.function,
    "roles/cloudfunctions.admin",
    "roles/cloudfunctions.developer",
    "roles/cloudfunctions.viewer",
  ]),
  service: new Set([INVOKER_ROLE.service, "roles/run.admin", "roles/run.developer", "roles/run.viewer"]),
};

export interface Policy {
  version: number;
  etag: string;
  bindings: { role: string; members: string[] }[];
}

export function emptyPolicy(): Policy {
  return withEtag({ version: 1, etag: "", bindings: [] });
}

/** Checks and stores a SetIamPolicyRequest's policy; `orgPolicyBlocksAllUsers` models Domain Restricted Sharing. */
export function setPolicy(
  current: Policy,
  request: Json,
  kind: PolicyKind,
  orgPolicyBlocksAllUsers: boolean,
): Policy {
  const policy = request.policy;
  if (!isObject(policy)) throw invalidArgument("policy is required");
  if (policy.etag && policy.etag !== current.etag) {
    throw new GoogleApiError(
      409,
      "ABORTED",
      "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.",
    );
  }
  const bindings = Array.isArray(policy.bindings) ? (policy.bindings as Json[]) : [];
  const clean = bindings.map((b) => ({
    role: String(b.role),
    members: (b.members as string[] | undefined) ?? [],
  }));
  for (const b of clean) {
    if (!ROLES[kind].has(b.role)) {
      throw invalidArgument(`Role ${b.role} is not supported for this resource.`);
    }
    const publicMember = b.members.some((m) => m === "allUsers" || m === "allAuthenticatedUsers");
    if (publicMember && orgPolicyBlocksAllUsers) throw orgPolicyRefusal();
  }
  return withEtag({ version: Number(policy.version ?? 1), etag: "", bindings: clean });
}

export function isPublic(policies: Record<PolicyKind, Policy>): boolean {
  return (Object.keys(INVOKER_ROLE) as PolicyKind[]).some((kind) =>
    policies[kind].bindings.some((b) => b.role === INVOKER_ROLE[kind] && b.members.includes("allUsers")),
  );
}

function withEtag(policy: Policy): Policy {
  const etag = createHash("sha1").update(JSON.stringify(policy.bindings)).digest("base64").slice(0, 12);
  return { ...policy, etag };
}
