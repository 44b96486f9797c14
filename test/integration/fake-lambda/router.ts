import { LambdaError, notFound } from "./errors";
import { addPermission, getPolicy, removePermission, urlConfig } from "./function-url";
import { invoke, type Reply } from "./invoke";
import { listFunctions } from "./list";
import type { EnvironmentPool } from "./pool";
import { configurationOf } from "./configuration";
import type { FunctionStore } from "./store";
import { nameFromPath } from "./validate";

export type Operation =
  | "CreateFunction"
  | "ListFunctions"
  | "GetFunction"
  | "DeleteFunction"
  | "GetFunctionConfiguration"
  | "UpdateFunctionConfiguration"
  | "UpdateFunctionCode"
  | "Invoke"
  | "AddPermission"
  | "GetPolicy"
  | "RemovePermission"
  | "CreateFunctionUrlConfig"
  | "GetFunctionUrlConfig"
  | "UpdateFunctionUrlConfig"
  | "DeleteFunctionUrlConfig";

export interface Route {
  operation: Operation;
  /** The raw (decoded) FunctionName path parameter. */
  name: string | null;
  statementId?: string;
}

const FUNCTION_ROUTES: Record<string, Operation> = {
  "GET ": "GetFunction",
  "DELETE ": "DeleteFunction",
  "GET /configuration": "GetFunctionConfiguration",
  "PUT /configuration": "UpdateFunctionConfiguration",
  "PUT /code": "UpdateFunctionCode",
  "POST /invocations": "Invoke",
  "POST /policy": "AddPermission",
  "GET /policy": "GetPolicy",
};
const URL_ROUTES: Record<string, Operation> = {
  POST: "CreateFunctionUrlConfig",
  GET: "GetFunctionUrlConfig",
  PUT: "UpdateFunctionUrlConfig",
  DELETE: "DeleteFunctionUrlConfig",
};

/** The REST operation a request addresses (paths as @aws-sdk/client-lambda sends them). */
export function route(method: string, pathname: string): Route {
  const list = /^\/2015-03-31\/functions\/?$/.exec(pathname);
  if (list && method === "POST") return { operation: "CreateFunction", name: null };
  if (list && method === "GET") return { operation: "ListFunctions", name: null };
  const fn = /^\/2015-03-31\/functions\/([^/]+)(\/[a-z]+)?\/?$/.exec(pathname);
  const op = fn && FUNCTION_ROUTES[`${method} ${fn[2] ?? ""}`];
  if (fn && op) return { operation: op, name: decodeURIComponent(fn[1]) };
  const sid = /^\/2015-03-31\/functions\/([^/]+)\/policy\/([^/]+)$/.exec(pathname);
  if (sid && method === "DELETE") {
    return {
      operation: "RemovePermission",
      name: decodeURIComponent(sid[1]),
      statementId: decodeURIComponent(sid[2]),
    };
  }
  const url = /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/.exec(pathname);
  if (url && URL_ROUTES[method]) return { operation: URL_ROUTES[method], name: decodeURIComponent(url[1]) };
  throw new LambdaError(404, "UnknownOperationException", `Unknown operation ${method} ${pathname}`);
}

export interface RequestData {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Runs one operation against the store and the environments; throws LambdaError for API errors. */
export async function dispatch(
  store: FunctionStore,
  pool: EnvironmentPool,
  r: Route,
  req: RequestData,
): Promise<Reply> {
  const json = (status: number, value: unknown): Reply => ({
    status,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(value),
  });
  const name = r.name === null ? "" : nameFromPath(r.name);
  const qualifier = req.query.get("Qualifier");
  switch (r.operation) {
    case "CreateFunction":
      return json(201, configurationOf(store.create(parseBody(req.body))));
    case "ListFunctions":
      return json(200, listFunctions(store.all(), req.query));
    case "GetFunction":
      return json(200, getFunction(store, name, qualifier));
    case "GetFunctionConfiguration":
      return json(200, getFunction(store, name, qualifier).Configuration);
    case "DeleteFunction":
      store.delete(name);
      return { status: 204, headers: {}, body: "" };
    case "UpdateFunctionConfiguration":
      return json(200, configurationOf(store.updateConfiguration(name, parseBody(req.body))));
    case "UpdateFunctionCode":
      return json(200, configurationOf(store.updateCode(name, parseBody(req.body))));
    case "Invoke":
      return invoke(store, pool, name, qualifier, req.headers, req.body);
    case "AddPermission":
      return json(201, addPermission(store.get(name), parseBody(req.body)));
    case "GetPolicy":
      return json(200, getPolicy(store.get(name)));
    case "RemovePermission":
      removePermission(store.get(name), r.statementId ?? "");
      return { status: 204, headers: {}, body: "" };
    default:
      return urlConfig(store.get(name), r.operation, parseBody(req.body), store.urlBase);
  }
}

function getFunction(store: FunctionStore, name: string, qualifier: string | null): Record<string, unknown> {
  const fn = store.get(name, true);
  if (qualifier !== null && qualifier !== "$LATEST") throw notFound(`${fn.arn}:${qualifier}`);
  return {
    Configuration: configurationOf(fn),
    Code: { RepositoryType: "S3", Location: `https://awslambda-fake.s3.amazonaws.com/snapshots/${fn.name}` },
  };
}

export function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.length === 0 ? "{}" : body.toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new LambdaError(400, "InvalidRequestContentException", "Could not parse request body into json");
}
