import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { performance } from "node:perf_hooks";
import { FaasLabError } from "../../lib/errors";
import { failedInvocation, stoppedWaiting } from "../../lib/invocation-results";
import type { InvokeOptions, RawInvocation } from "../../lib/platform";
import {
  errorMessage,
  errorName,
  httpStatus,
  isThrottle,
  isTransientNetwork,
  operationError,
} from "./errors";
import { toRawInvocation } from "./invoke-result";
import { backoffDelay, type Backoff, type Sleep } from "./retry";

export interface InvokeContext {
  /** A client that makes one attempt per send (the retries are counted here). */
  client: LambdaClient;
  sleep: Sleep;
  backoff: Backoff;
}

/**
 * One synchronous invoke with the log tail. Throttling (429) and a connection that broke before an
 * answer are retried with bounded exponential backoff; `attempts` counts every try. What the function
 * or Lambda's runtime did is data (RawInvocation); only problems of the setup (credentials, a function
 * that does not exist, a payload over 6 MB) throw.
 */
export async function invokeFunction(
  ctx: InvokeContext,
  lambdaName: string,
  payload: unknown,
  opts: InvokeOptions = {},
): Promise<RawInvocation> {
  const body = serialise(payload);
  const timeout = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
  const signals = [opts.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const input = {
    FunctionName: lambdaName,
    InvocationType: "RequestResponse",
    LogType: "Tail",
    Payload: body,
  } as const;
  // Only the answering attempt counts as the round trip: lib reads these two to keep backoff out of latency.
  const timing = { finalAttemptAt: performance.now(), retryDelayMs: 0 };
  const timed = (raw: RawInvocation): RawInvocation => ({ ...raw, ...timing });
  for (let attempts = 1; ; attempts++) {
    try {
      if (signal?.aborted) return timed(stoppedWaiting("Lambda", opts, timeout, attempts - 1));
      timing.finalAttemptAt = performance.now();
      const out = await ctx.client.send(new InvokeCommand(input), { abortSignal: signal });
      return timed(toRawInvocation(out, attempts));
    } catch (e) {
      if (signal?.aborted) return timed(stoppedWaiting("Lambda", opts, timeout, attempts));
      const retryable = isThrottle(e) || isTransientNetwork(e);
      if (retryable && attempts < ctx.backoff.attempts) {
        const waitStart = performance.now();
        await ctx.sleep(backoffDelay(ctx.backoff, attempts), signal).catch(() => undefined);
        timing.retryDelayMs += performance.now() - waitStart;
        continue;
      }
      return timed(giveUp(e, lambdaName, attempts));
    }
  }
}

function giveUp(e: unknown, lambdaName: string, attempts: number): RawInvocation {
  const message = `${errorName(e) || "error"}: ${errorMessage(e)}`;
  const tries = `(${attempts} attempt${attempts === 1 ? "" : "s"})`;
  if (isThrottle(e)) {
    return failedInvocation("Throttled", `Lambda throttled the request ${tries}: ${message}`, {
      statusCode: 429,
      attempts,
    });
  }
  if (isTransientNetwork(e)) {
    return failedInvocation("NetworkError", `no answer from Lambda ${tries}: ${message}`, { attempts });
  }
  const status = httpStatus(e);
  if (status !== undefined && status >= 500) {
    // Lambda could not run the function this time (service error, ENI/KMS/runtime trouble): data.
    return failedInvocation(errorName(e) || "ServiceError", errorMessage(e), {
      statusCode: status,
      attempts,
    });
  }
  throw operationError(e, "invoke", "invoking", lambdaName);
}

function serialise(payload: unknown): string {
  try {
    return JSON.stringify(payload ?? null);
  } catch (e) {
    throw new FaasLabError(`the payload is not JSON-serialisable (${(e as Error).message})`, {
      code: "PAYLOAD_NOT_SERIALIZABLE",
      phase: "invoke",
      platform: "aws",
      cause: e,
    });
  }
}
