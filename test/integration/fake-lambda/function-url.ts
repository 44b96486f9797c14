import { randomUUID } from "node:crypto";
import { conflict, notFound } from "./errors";
import { run, type Reply } from "./invoke";
import type { EnvironmentPool } from "./pool";
import type { FunctionStore, StoredFunction } from "./store";

/** Resource-based policy (AddPermission / GetPolicy / RemovePermission), enough for function URLs. */
export function addPermission(fn: StoredFunction, body: Record<string, unknown>): { Statement: string } {
  if (fn.policy.some((s) => s.Sid === body.StatementId)) {
    throw conflict(`The statement id (${String(body.StatementId)}) provided already exists.`);
  }
  const statement: Record<string, unknown> = {
    Sid: body.StatementId,
    Effect: "Allow",
    Principal: body.Principal,
    Action: body.Action,
    Resource: fn.arn,
  };
  if (body.FunctionUrlAuthType)
    statement.Condition = { StringEquals: { "lambda:FunctionUrlAuthType": body.FunctionUrlAuthType } };
  fn.policy.push(statement);
  return { Statement: JSON.stringify(statement) };
}

export function getPolicy(fn: StoredFunction): { Policy: string } {
  if (fn.policy.length === 0) throw notFound("The resource you requested does not exist.");
  return { Policy: JSON.stringify({ Version: "2012-10-17", Statement: fn.policy }) };
}

export function removePermission(fn: StoredFunction, sid: string): void {
  const index = fn.policy.findIndex((s) => s.Sid === sid);
  if (index < 0) throw notFound(`No policy is associated with the given resource.`);
  fn.policy.splice(index, 1);
}

/**
 * Create/Get/Update/DeleteFunctionUrlConfig. The URL is served by the fake itself on 127.0.0.1
 * (`<endpoint>/_url/<name>/`) instead of `https://<id>.lambda-url.<region>.on.aws/`.
 */
export function urlConfig(
  fn: StoredFunction,
  op: string,
  body: Record<string, unknown>,
  urlBase: string,
): Reply {
  const reply = (status: number, value?: unknown): Reply => ({
    status,
    headers: value === undefined ? {} : { "Content-Type": "application/json" },
    body: value === undefined ? "" : JSON.stringify(value),
  });
  if (op === "CreateFunctionUrlConfig") {
    if (fn.url) {
      throw conflict(
        `Failed to create function url config for [functionArn = ${fn.arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      );
    }
    const now = new Date().toISOString();
    fn.url = {
      FunctionUrl: `${urlBase}/_url/${fn.name}/`,
      FunctionArn: fn.arn,
      AuthType: body.AuthType,
      Cors: body.Cors,
      InvokeMode: body.InvokeMode ?? "BUFFERED",
      CreationTime: now,
      LastModifiedTime: now,
    };
    return reply(201, fn.url);
  }
  if (!fn.url) throw notFound("The resource you requested does not exist.");
  if (op === "GetFunctionUrlConfig") return reply(200, fn.url);
  if (op === "UpdateFunctionUrlConfig") {
    for (const key of ["AuthType", "Cors", "InvokeMode"])
      if (body[key] !== undefined) fn.url[key] = body[key];
    fn.url.LastModifiedTime = new Date().toISOString();
    return reply(200, fn.url);
  }
  fn.url = null;
  return reply(204);
}

/** Content types a function URL passes as text; anything else arrives base64-encoded. */
const TEXT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded))/i;

const forbidden = (): Reply => ({
  status: 403,
  headers: { "Content-Type": "application/json", "x-amzn-ErrorType": "AccessDeniedException" },
  body: JSON.stringify({ Message: "Forbidden" }),
});

/**
 * A request to a function URL: AWS_IAM needs a SigV4 signature, NONE a public InvokeFunctionUrl
 * grant. The event is API Gateway payload format 2.0; a result without `statusCode` becomes a 200
 * JSON response, a function error a 502.
 */
export async function invokeUrl(
  store: FunctionStore,
  pool: EnvironmentPool,
  req: {
    method: string;
    path: string;
    query: string;
    headers: Record<string, string | string[] | undefined>;
  },
  body: Buffer,
): Promise<Reply> {
  const match = /^\/_url\/([^/]+)(\/.*)?$/.exec(req.path);
  const fn = match ? store.all().find((f) => f.name === match[1] && f.url) : undefined;
  if (!match || !fn?.url || !fn.current) return { status: 404, headers: {}, body: '{"Message":null}' };
  const signed = String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 Credential=");
  const isPublic = fn.policy.some((s) => s.Principal === "*" && s.Action === "lambda:InvokeFunctionUrl");
  if (fn.url.AuthType === "AWS_IAM" ? !signed : !isPublic) return forbidden();
  const requestId = randomUUID();
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath: match[2] ?? "/",
    rawQueryString: req.query,
    headers,
    requestContext: {
      accountId: "anonymous",
      domainName: String(req.headers.host ?? "127.0.0.1"),
      http: {
        method: req.method,
        path: match[2] ?? "/",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      timeEpoch: Date.now(),
    },
    ...(TEXT.test(headers["content-type"] ?? "")
      ? { body: body.toString("utf8"), isBase64Encoded: false }
      : { body: body.toString("base64"), isBase64Encoded: true }),
  };
  const { outcome, entry } = await run(pool, fn.name, fn.arn, fn.current, requestId, JSON.stringify(event));
  const base = { "x-amzn-RequestId": requestId };
  if (outcome.functionError) {
    return {
      status: 502,
      headers: { ...base, "Content-Type": "application/json" },
      body: '{"Message":"Internal Server Error"}',
      invocation: entry,
    };
  }
  const result = JSON.parse(outcome.payload) as Record<string, unknown> | null;
  if (result && typeof result === "object" && typeof result.statusCode === "number") {
    const text = typeof result.body === "string" ? result.body : "";
    return {
      status: result.statusCode,
      headers: { ...base, ...(result.headers as Record<string, string> | undefined) },
      body: result.isBase64Encoded ? Buffer.from(text, "base64") : text,
      invocation: entry,
    };
  }
  return {
    status: 200,
    headers: { ...base, "Content-Type": "application/json" },
    body: outcome.payload,
    invocation: entry,
  };
}
