import { ConfigError } from "../errors";
import { holdSecretHeaders } from "../secrets";
import { externalFunction, type CloudFunction } from "./cloud-function";

/** How requests to an HTTP endpoint are authorised. */
export type HttpAuth =
  | "none"
  /** A Google-signed ID token for the URL's origin (Cloud Run, Cloud Functions): google-auth-library's credentials. */
  | "google-id-token"
  /** SigV4 for a Lambda function URL (AuthType AWS_IAM): the AWS SDK's credential chain. */
  | "aws-iam"
  /** `Authorization: Bearer <token>`. */
  | { bearer: string }
  /** Fixed request headers (an API key, …). */
  | { headers: Record<string, string> };

export interface HttpFunctionOptions {
  /** Default "POST" with the payload as a JSON body; "GET" (and "DELETE") send it as the query `?k=v`. */
  method?: "POST" | "GET" | "PUT" | "PATCH" | "DELETE";
  /** Default "none". Bearer tokens and header values are held in memory only, never written. */
  auth?: HttpAuth;
  /** Where the answer names the instance that served it (faaslab-built services need nothing). */
  instanceId?: { jsonField: string } | { header: string };
  /** Seconds one attempt may take (default 60). */
  timeout?: number;
  /** Tries per call when the endpoint answers 429 or 503 (default 5). */
  maxAttempts?: number;
  /** aws-iam: the region to sign for (default: from the function URL's host). */
  region?: string;
}

const OPTION_KEYS = ["method", "auth", "instanceId", "timeout", "maxAttempts", "region"];

/**
 * Any HTTP endpoint as a function: a Cloud Run or Knative service, a Lambda function URL, a `serve`d
 * faaslab function, your own server. It works wherever a cloudFunction does (call, .invoke,
 * experiment, load, plots, stats) and loadFunctions() finds it again (without its secrets).
 */
export function httpFunction<P = unknown, R = unknown>(
  name: string,
  url: string,
  options: HttpFunctionOptions = {},
): CloudFunction<P, R> {
  const problems: string[] = [];
  if (typeof url !== "string" || url === "") problems.push(`the URL must be a string like "https://…"`);
  if (typeof options !== "object" || options === null)
    throw new ConfigError(["the options must be an object"], "http");
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key))
      problems.push(`unknown option "${key}" (known: ${OPTION_KEYS.join(", ")})`);
  }
  const auth = authParts(options.auth, problems);
  const instance = instanceParts(options.instanceId, problems);
  if (problems.length) throw new ConfigError(problems, "http");
  const config = {
    url,
    method: options.method,
    auth: auth.kind,
    ...instance,
    timeout: options.timeout,
    maxAttempts: options.maxAttempts,
    region: options.region,
  };
  const fn = externalFunction<P, R>(name, "http", config);
  fn.config(); // validate now: a bad option is reported where the function is defined
  holdSecretHeaders("http", name, auth.headers);
  return fn;
}

function authParts(
  auth: unknown,
  problems: string[],
): { kind: string; headers: Record<string, string> | null } {
  if (auth === undefined || auth === "none") return { kind: "none", headers: null };
  if (auth === "google-id-token" || auth === "aws-iam") return { kind: auth, headers: null };
  if (typeof auth === "object" && auth !== null) {
    const { bearer, headers } = auth as { bearer?: unknown; headers?: unknown };
    if (typeof bearer === "string" && bearer !== "" && headers === undefined)
      return { kind: "bearer", headers: { authorization: `Bearer ${bearer}` } };
    if (bearer === undefined && isStringMap(headers)) return { kind: "headers", headers: { ...headers } };
  }
  // Never echo the value: it may be a secret.
  problems.push(
    `"auth" must be "none", "google-id-token", "aws-iam", { bearer: "<token>" } or { headers: { name: "value" } }`,
  );
  return { kind: "none", headers: null };
}

function instanceParts(
  instanceId: unknown,
  problems: string[],
): { instanceIdField?: string; instanceIdHeader?: string } {
  if (instanceId === undefined) return {};
  const { jsonField, header } = (instanceId ?? {}) as { jsonField?: unknown; header?: unknown };
  if (typeof jsonField === "string" && header === undefined) return { instanceIdField: jsonField };
  if (typeof header === "string" && jsonField === undefined)
    return { instanceIdHeader: header.toLowerCase() };
  problems.push(`"instanceId" must be { jsonField: "name" } or { header: "x-instance-id" }`);
  return {};
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((v) => typeof v === "string")
  );
}
