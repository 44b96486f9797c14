import { encodingOf } from "./enums";
import { invalidArgument, notFound } from "./errors";
import type { FunctionStore } from "./functions";
import { isPublic, setPolicy } from "./iam";
import { isObject, writeFunction, type Json } from "./resource";
import type { Route } from "./router";
import type { UploadStore } from "./uploads";

export interface ApiContext {
  store: FunctionStore;
  uploads: UploadStore;
  orgPolicyBlocksAllUsers: () => boolean;
}

/** Answers one routed v2 API call with its JSON reply; API errors are thrown as GoogleApiError. */
export async function answer(
  ctx: ApiContext,
  r: Route,
  query: URLSearchParams,
  body: unknown,
): Promise<Json> {
  const encoding = encodingOf(query);
  const { store } = ctx;
  switch (r.method) {
    case "generateUploadUrl":
      return ctx.uploads.generate();
    case "createFunction":
      return (await store.create(r.parent, query.get("functionId"), body)).toJSON(encoding);
    case "getFunction":
      return writeFunction(store.get(r.resource).resource, encoding);
    case "listFunctions":
      return {
        functions: store.list(r.parent).map((f) => writeFunction(f.resource, encoding)),
        unreachable: [],
      };
    case "updateFunction":
      return (await store.update(r.resource, body, query.get("updateMask"))).toJSON(encoding);
    case "deleteFunction":
      return store.delete(r.resource).toJSON(encoding);
    case "getOperation":
      return store.operations.poll(r.resource).toJSON(encoding);
    case "getIamPolicy":
      return policyJson(store.get(r.resource).policy);
    case "setIamPolicy": {
      const fn = store.get(r.resource);
      if (!isObject(body)) throw invalidArgument("Invalid JSON payload received.");
      fn.policy = setPolicy(fn.policy, body, ctx.orgPolicyBlocksAllUsers());
      return policyJson(fn.policy);
    }
    default:
      throw notFound(r.resource);
  }
}

function policyJson(policy: { version: number; etag: string; bindings: unknown[] }): Json {
  return policy.bindings.length > 0 ? { ...policy } : { version: policy.version, etag: policy.etag };
}

export { isPublic };
