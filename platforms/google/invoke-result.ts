import type { RawInvocation } from "../../lib/platform";
import { parseEnvelope } from "../../lib/invocation-results";
import type { HttpAnswer } from "./http";

/**
 * An HTTP answer of the function → RawInvocation. 200 carries the envelope (the function's own
 * exceptions arrive as ok: false). Otherwise Cloud Run answered for it: 504 is the request timeout,
 * 500 a crash (an out-of-memory kill among them), anything else a failure with its text.
 */
export function toRawInvocation(answer: HttpAnswer, attempts: number): RawInvocation {
  const text = answer.body.toString("utf8");
  const base = {
    statusCode: answer.status,
    responseBytes: answer.body.byteLength,
    attempts,
    billedMs: null,
    initMs: null,
    maxMemoryUsedMb: null,
  };
  const envelope = answer.status === 200 ? parseEnvelope(text) : null;
  if (envelope) return { ...base, envelope, failure: null };
  return { ...base, envelope: null, failure: httpFailure(answer.status, text) };
}

function httpFailure(status: number, text: string): NonNullable<RawInvocation["failure"]> {
  const message = text.trim().slice(0, 500) || `HTTP ${status}`;
  if (status === 200) {
    return {
      errorType: "InvalidResponse",
      errorMessage: `the function answered without a faaslab envelope: ${text.slice(0, 200)}`,
      timedOut: false,
    };
  }
  if (status === 504 || status === 408)
    return { errorType: "TimeoutError", errorMessage: message, timedOut: true };
  const shim = shimError(text);
  if (shim) return { ...shim, timedOut: false };
  if (status === 500 && /memory limit|out of memory/i.test(text))
    return { errorType: "OutOfMemory", errorMessage: message, timedOut: false };
  return {
    errorType: status >= 500 ? "FunctionCrashed" : `HTTP${status}`,
    errorMessage: message,
    timedOut: false,
  };
}

/** The shim's own last-resort answer `{ faaslabError: { errorType, errorMessage } }`. */
function shimError(text: string): { errorType: string; errorMessage: string } | null {
  try {
    const value = JSON.parse(text) as { faaslabError?: { errorType?: unknown; errorMessage?: unknown } };
    const e = value?.faaslabError;
    return e && typeof e.errorType === "string" && typeof e.errorMessage === "string"
      ? { errorType: e.errorType, errorMessage: e.errorMessage }
      : null;
  } catch {
    return null;
  }
}
