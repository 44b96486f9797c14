import { randomUUID } from "node:crypto";
import { conflict, LambdaError, notFound } from "./errors";
import type { EnvironmentPool } from "./pool";
import { billedMs, logTail } from "./report";
import type { Outcome } from "./outcome";
import type { FunctionStore, Revision } from "./store";

export const PAYLOAD_LIMIT_BYTES = 6_291_456;
export const RESPONSE_LIMIT_BYTES = 6_291_556;

/** What the fake records about every synchronous invocation it ran. */
export interface InvocationEntry {
  requestId: string;
  functionName: string;
  coldStart: boolean;
  environmentId: string;
  durationMs: number;
  billedMs: number;
  initMs: number | null;
  functionError: boolean;
  timedOut: boolean;
  /** Server-side time from request arrival to response finished (set when the response is sent). */
  handlingMs: number | null;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  invocation?: InvocationEntry;
}

/** POST /2015-03-31/functions/{name}/invocations */
export async function invoke(
  store: FunctionStore,
  pool: EnvironmentPool,
  name: string,
  qualifier: string | null,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<Reply> {
  const fn = store.get(name);
  if (qualifier !== null && qualifier !== "$LATEST") throw notFound(`${fn.arn}:${qualifier}`);
  const revision = fn.current;
  if (!revision) {
    throw conflict(
      "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    );
  }
  if (body.length > PAYLOAD_LIMIT_BYTES) {
    throw new LambdaError(
      413,
      "RequestTooLargeException",
      `${body.length} byte payload is too large for the RequestResponse invocation type (limit ${PAYLOAD_LIMIT_BYTES} bytes)`,
    );
  }
  const event = body.length === 0 ? "{}" : body.toString("utf8");
  try {
    JSON.parse(event);
  } catch (error) {
    throw new LambdaError(
      400,
      "InvalidRequestContentException",
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
  const type = String(headers["x-amz-invocation-type"] ?? "RequestResponse");
  const requestId = randomUUID();
  const base = { "x-amzn-RequestId": requestId, "X-Amz-Executed-Version": "$LATEST" };
  if (type === "DryRun") return { status: 204, headers: base, body: "" };
  if (type === "Event") {
    run(pool, fn.name, fn.arn, revision, requestId, event).catch(() => undefined);
    return { status: 202, headers: base, body: "" };
  }
  const { outcome, entry } = await run(pool, fn.name, fn.arn, revision, requestId, event);
  let payload = outcome.payload;
  let functionError = outcome.functionError;
  if (Buffer.byteLength(payload) > RESPONSE_LIMIT_BYTES) {
    payload = JSON.stringify({
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT_BYTES} bytes).`,
    });
    functionError = true;
  }
  const replyHeaders: Record<string, string> = { ...base, "Content-Type": "application/json" };
  if (functionError) replyHeaders["X-Amz-Function-Error"] = "Unhandled";
  if (String(headers["x-amz-log-type"] ?? "None") === "Tail")
    replyHeaders["X-Amz-Log-Result"] = logTail(outcome.log);
  return {
    status: 200,
    headers: replyHeaders,
    body: payload,
    invocation: { ...entry, functionError },
  };
}

/** Runs one request on an execution environment (warm if one is idle, else a new one). */
export async function run(
  pool: EnvironmentPool,
  name: string,
  arn: string,
  revision: Revision,
  requestId: string,
  event: string,
): Promise<{ outcome: Outcome; entry: InvocationEntry }> {
  const env = pool.acquire(name, arn, revision);
  const outcome = await env.invoke(requestId, event).finally(() => pool.release(env));
  const entry: InvocationEntry = {
    requestId,
    functionName: name,
    coldStart: outcome.cold,
    environmentId: outcome.environmentId,
    durationMs: outcome.durationMs,
    billedMs: billedMs(outcome.durationMs, outcome.initMs),
    initMs: outcome.initMs,
    functionError: outcome.functionError,
    timedOut: outcome.timedOut,
    handlingMs: null,
  };
  return { outcome, entry };
}
