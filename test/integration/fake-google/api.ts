import { encodingOf } from "./enums";
import { invalidArgument, notFound } from "./errors";
import type { FunctionStore } from "./functions";
import { setPolicy, type PolicyKind } from "./iam";
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
      return page(
        store.list(r.parent).map((f) => writeFunction(f.resource, encoding)),
        query,
      );
    case "updateFunction":
      return (await store.update(r.resource, body, query.get("updateMask"))).toJSON(encoding);
    case "deleteFunction":
      return store.delete(r.resource).toJSON(encoding);
    case "getOperation":
      return store.operations.poll(r.resource).toJSON(encoding);
    case "getIamPolicy":
    case "getServiceIamPolicy":
      return policyJson(store.get(functionOf(r.resource)).policies[kindOf(r.method)]);
    case "setIamPolicy":
    case "setServiceIamPolicy": {
      const fn = store.get(functionOf(r.resource));
      if (!isObject(body)) throw invalidArgument("Invalid JSON payload received.");
      const kind = kindOf(r.method);
      fn.policies[kind] = setPolicy(fn.policies[kind], body, kind, ctx.orgPolicyBlocksAllUsers());
      return policyJson(fn.policies[kind]);
    }
    default:
      throw notFound(r.resource);
  }
}

const kindOf = (method: Route["method"]): PolicyKind => (method.includes("Service") ? "service" : "function");
/** A function's Cloud Run service has the function's id: `…/services/{id}` → `…/functions/{id}`. */
const functionOf = (resource: string): string => resource.replace(/\/services\/([^/]+)$/, "/functions/$1");

/** A ListFunctionsResponse page: `pageSize` (default and cap 1000 here) and an opaque `nextPageToken`. */
function page(all: Json[], query: URLSearchParams): Json {
  const size = Math.min(Number(query.get("pageSize") ?? 0) || 1000, 1000);
  const token = query.get("pageToken");
  const start = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidArgument(`Invalid page token: ${token}`);
  const functions = all.slice(start, start + size);
  const next = start + size < all.length ? Buffer.from(String(start + size)).toString("base64url") : "";
  return { functions, ...(next ? { nextPageToken: next } : {}), unreachable: [] };
}

function policyJson(policy: { version: number; etag: string; bindings: unknown[] }): Json {
  return policy.bindings.length > 0 ? { ...policy } : { version: policy.version, etag: policy.etag };
}
