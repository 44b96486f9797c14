import type { Envelope } from "./runtime/envelope";
import type { InvokeOptions, RawInvocation } from "./platform";

/**
 * A RawInvocation for a request that produced nothing usable (never sent, throttled, aborted, no
 * answer): the one shape lib and every platform report such a failure in.
 */
export function failedInvocation(
  errorType: string,
  errorMessage: string,
  opts: { timedOut?: boolean; statusCode?: number | null; attempts: number },
): RawInvocation {
  return {
    envelope: null,
    failure: { errorType, errorMessage, timedOut: opts.timedOut ?? false },
    statusCode: opts.statusCode ?? null,
    responseBytes: null,
    attempts: opts.attempts,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
  };
}

/**
 * The caller's signal fired, or its timeoutMs passed (`timeout` is the signal made from it), before
 * `silent` ("Lambda", "the function") answered: Aborted (499) or TimeoutError (504).
 */
export function stoppedWaiting(
  silent: string,
  opts: InvokeOptions,
  timeout: AbortSignal | undefined,
  attempts: number,
): RawInvocation {
  if (timeout?.aborted && !opts.signal?.aborted) {
    return failedInvocation(
      "TimeoutError",
      `no answer from ${silent} within ${opts.timeoutMs} ms (timeoutMs)`,
      {
        timedOut: true,
        statusCode: 504,
        attempts,
      },
    );
  }
  return failedInvocation("Aborted", "the caller stopped waiting for the result", {
    statusCode: 499,
    attempts,
  });
}

/** Whether a parsed answer is faaslab's envelope (what every shim sends back). */
export function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Envelope>;
  return typeof v.ok === "boolean" && typeof v.metrics === "object" && v.metrics !== null;
}

/** The envelope in an answer's text, or null when the text is not one. */
export function parseEnvelope(text: string): Envelope | null {
  try {
    const value: unknown = JSON.parse(text);
    return isEnvelope(value) ? value : null;
  } catch {
    return null;
  }
}
