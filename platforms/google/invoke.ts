import { performance } from "node:perf_hooks";
import { FaasLabError, deploymentGone } from "../../lib/errors";
import { failedInvocation, stoppedWaiting } from "../../lib/invocation-results";
import type { InvokeOptions, RawInvocation } from "../../lib/platform";
import type { IdTokenSource } from "./clients";
import { credentialsError } from "./errors";
import { post, type AgentPool, type HttpAnswer } from "./http";
import { toRawInvocation } from "./invoke-result";
import { backoffDelay, type Backoff, type Sleep } from "./retry";

export interface InvokeContext {
  agents: AgentPool;
  /** null: no Authorization header (a public function, or an emulator without credentials). */
  tokens: IdTokenSource | null;
  sleep: Sleep;
  backoff: Backoff;
}

export interface InvokeTarget {
  uri: string;
  /** For messages: `"calc" (Google id "calc")`. */
  label: string;
  project: string;
}

/** Cloud Run's answers that mean "no instance could take it now": retried. */
const RETRIED = new Set([429, 503]);
const TRANSIENT = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ETIMEDOUT"]);

/**
 * One POST of the JSON payload to the function's URL with an ID token for it. 429 and 503 and a
 * connection broken before an answer are retried with bounded backoff, each try counted; what the
 * function did is data; only set-up problems (no credentials, no invoker role, a function gone) throw.
 */
export async function invokeFunction(
  ctx: InvokeContext,
  target: InvokeTarget,
  payload: unknown,
  opts: InvokeOptions = {},
): Promise<RawInvocation> {
  const { body, contentType } = serialise(payload);
  const url = new URL(target.uri);
  const agent = ctx.agents.for(url);
  const timeout = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
  const signals = [opts.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const timing = { finalAttemptAt: performance.now(), retryDelayMs: 0 };
  const timed = (raw: RawInvocation): RawInvocation => ({ ...raw, ...timing });
  for (let attempts = 1; ; attempts++) {
    if (signal?.aborted) return timed(stoppedWaiting("the function", opts, timeout, attempts - 1));
    let answer: HttpAnswer | null = null;
    let networkError: unknown = null;
    try {
      const headers: Record<string, string> = { "content-type": contentType };
      const authorization = ctx.tokens ? await ctx.tokens.authorization(target.uri) : null;
      if (authorization) headers.authorization = authorization;
      timing.finalAttemptAt = performance.now();
      answer = await post(url, agent, headers, body, signal);
    } catch (e) {
      if (signal?.aborted) return timed(stoppedWaiting("the function", opts, timeout, attempts));
      const known = credentialsError(e, "invoke");
      if (known) throw known;
      networkError = e;
    }
    const retryable = answer ? RETRIED.has(answer.status) : TRANSIENT.has(errorCode(networkError));
    if (retryable && attempts < ctx.backoff.attempts) {
      const waitStart = performance.now();
      await ctx.sleep(backoffDelay(ctx.backoff, attempts), signal).catch(() => undefined);
      timing.retryDelayMs += performance.now() - waitStart;
      continue;
    }
    if (!answer) return timed(noAnswer(networkError, attempts));
    return timed(answered(answer, target, attempts));
  }
}

function answered(answer: HttpAnswer, target: InvokeTarget, attempts: number): RawInvocation {
  const text = () => answer.body.toString("utf8").trim().slice(0, 300);
  const tries = `(${attempts} attempt${attempts === 1 ? "" : "s"})`;
  if (RETRIED.has(answer.status)) {
    return failedInvocation("Throttled", `Cloud Run answered ${answer.status} ${tries}: ${text()}`, {
      statusCode: answer.status,
      attempts,
    });
  }
  if (answer.status === 401 || answer.status === 403) {
    throw new FaasLabError(`the URL of ${target.label} refused the call (HTTP ${answer.status}: ${text()})`, {
      code: "GOOGLE_INVOKE_DENIED",
      phase: "invoke",
      platform: "google",
      hint: `the caller needs roles/run.invoker on the function (\`gcloud functions add-invoker-policy-binding ${target.label.split('"')[1]} --member=user:YOU@example.com\`), and an ID token: user credentials from \`gcloud auth application-default login\` or a service account key; or deploy it with "public": true`,
    });
  }
  if (answer.status === 404 && !answer.body.toString("utf8").includes('"metrics"')) {
    throw deploymentGone(`the URL of ${target.label} answers 404: the function is gone`, "google");
  }
  return toRawInvocation(answer, attempts);
}

function noAnswer(e: unknown, attempts: number): RawInvocation {
  const message = `${errorCode(e) || "error"}: ${(e as Error)?.message ?? String(e)}`;
  return failedInvocation(
    "NetworkError",
    `no answer from the function (${attempts} attempt${attempts === 1 ? "" : "s"}): ${message}`,
    {
      attempts,
    },
  );
}

const errorCode = (e: unknown): string => String((e as NodeJS.ErrnoException | null)?.code ?? "");

/**
 * JSON text. Objects and arrays go as application/json; other values (null, numbers, strings) as
 * text/plain, because the framework's JSON parser is strict and refuses a bare `null` with 400.
 */
export function serialise(payload: unknown): { body: string; contentType: string } {
  let body: string;
  try {
    body = JSON.stringify(payload ?? null);
  } catch (e) {
    throw new FaasLabError(`the payload is not JSON-serialisable (${(e as Error).message})`, {
      code: "PAYLOAD_NOT_SERIALIZABLE",
      phase: "invoke",
      platform: "google",
      cause: e,
    });
  }
  const structured = typeof payload === "object" && payload !== null;
  return { body, contentType: structured ? "application/json" : "text/plain; charset=utf-8" };
}
