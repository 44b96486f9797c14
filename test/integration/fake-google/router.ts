import type { Method } from "./types";

export interface Route {
  method: Method;
  /** projects/{p}/locations/{l} */
  parent: string;
  project: string;
  /** The resource the call names (function, operation or the parent). */
  resource: string;
}

const PARENT = "projects/([^/]+)/locations/([^/]+)";
const ROUTES: [string, RegExp, Method][] = [
  ["POST", new RegExp(`^/v2/(${PARENT})/functions:generateUploadUrl$`), "generateUploadUrl"],
  ["POST", new RegExp(`^/v2/(${PARENT})/functions$`), "createFunction"],
  ["GET", new RegExp(`^/v2/(${PARENT})/functions$`), "listFunctions"],
  ["GET", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+)$`), "getFunction"],
  ["PATCH", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+)$`), "updateFunction"],
  ["DELETE", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+)$`), "deleteFunction"],
  ["GET", new RegExp(`^/v2/((${PARENT})/operations/[^/:]+)$`), "getOperation"],
  ["GET", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+):getIamPolicy$`), "getIamPolicy"],
  ["POST", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+):getIamPolicy$`), "getIamPolicy"],
  ["POST", new RegExp(`^/v2/((${PARENT})/functions/[^/:]+):setIamPolicy$`), "setIamPolicy"],
  // Cloud Run Admin API v2 (run.googleapis.com), for the function's service.
  ["GET", new RegExp(`^/v2/((${PARENT})/services/[^/:]+):getIamPolicy$`), "getServiceIamPolicy"],
  ["POST", new RegExp(`^/v2/((${PARENT})/services/[^/:]+):setIamPolicy$`), "setServiceIamPolicy"],
];

/** The API method a request calls, or null (404) for anything else. */
export function route(httpMethod: string, pathname: string): Route | null {
  for (const [verb, pattern, method] of ROUTES) {
    if (verb !== httpMethod) continue;
    const m = pattern.exec(decodeURIComponent(pathname));
    if (!m) continue;
    // Parent-level routes capture (parent, project, region); resource-level ones (resource, parent, project, region).
    const parentLevel =
      method === "generateUploadUrl" || method === "createFunction" || method === "listFunctions";
    return parentLevel
      ? { method, parent: m[1]!, project: m[2]!, resource: m[1]! }
      : { method, parent: m[2]!, project: m[3]!, resource: m[1]! };
  }
  return null;
}

/** The IAM permission each method needs (named in PERMISSION_DENIED errors). */
export const PERMISSION: Record<Method, string> = {
  generateUploadUrl: "cloudfunctions.functions.sourceCodeSet",
  createFunction: "cloudfunctions.functions.create",
  getFunction: "cloudfunctions.functions.get",
  listFunctions: "cloudfunctions.functions.list",
  updateFunction: "cloudfunctions.functions.update",
  deleteFunction: "cloudfunctions.functions.delete",
  getOperation: "cloudfunctions.operations.get",
  getIamPolicy: "cloudfunctions.functions.getIamPolicy",
  setIamPolicy: "cloudfunctions.functions.setIamPolicy",
  getServiceIamPolicy: "run.services.getIamPolicy",
  setServiceIamPolicy: "run.services.setIamPolicy",
};
