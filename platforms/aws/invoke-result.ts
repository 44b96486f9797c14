import type { InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { RawInvocation } from "../../lib/platform";
import { parseEnvelope } from "../../lib/invocation-results";
import { parseReport, type LambdaReport } from "./report";

/**
 * A Lambda answer → RawInvocation. The figures Lambda bills come from the REPORT line of the log
 * tail. `FunctionError` (the runtime itself failed: timeout, out of memory, crash, init error) is a
 * failure with Lambda's errorType/errorMessage; the function's own exceptions arrive as an envelope
 * with ok: false, because the shim catches them.
 */
export function toRawInvocation(out: InvokeCommandOutput, attempts: number): RawInvocation {
  const bytes = out.Payload ?? new Uint8Array(0);
  const text = new TextDecoder().decode(bytes);
  const report = parseReport(out.LogResult);
  const base = {
    statusCode: out.StatusCode ?? null,
    responseBytes: bytes.byteLength,
    attempts,
    billedMs: report?.billedMs ?? null,
    initMs: report?.initMs ?? null,
    maxMemoryUsedMb: report?.maxMemoryUsedMb ?? null,
  };
  if (out.FunctionError) return { ...base, envelope: null, failure: lambdaFailure(text, report) };
  const envelope = parseEnvelope(text);
  if (!envelope) {
    const failure = {
      errorType: "InvalidResponse",
      errorMessage: `the function answered without a faaslab envelope: ${text.slice(0, 200)}`,
      timedOut: false,
    };
    return { ...base, envelope: null, failure };
  }
  // Cross-check with Lambda: an Init Duration means this request started a new execution environment.
  if (report?.initMs != null && !envelope.metrics.coldStart) envelope.metrics.coldStart = true;
  return { ...base, envelope, failure: null };
}

/**
 * Lambda's error payload `{ errorType?, errorMessage, trace? }`. Timeouts and out-of-memory get the
 * names the local platform uses, so experiments compare across platforms.
 */
function lambdaFailure(text: string, report: LambdaReport | null): NonNullable<RawInvocation["failure"]> {
  let errorType = "Unhandled";
  let errorMessage = text;
  try {
    const parsed = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed?.errorType === "string") errorType = parsed.errorType;
    if (typeof parsed?.errorMessage === "string") errorMessage = parsed.errorMessage;
  } catch {
    // not JSON: keep the raw text
  }
  if (errorType === "Sandbox.Timedout" || /Task timed out after/i.test(errorMessage)) {
    return { errorType: "TimeoutError", errorMessage, timedOut: true };
  }
  const outOfMemory =
    errorType === "Runtime.OutOfMemory" ||
    (errorType === "Runtime.ExitError" &&
      report?.maxMemoryUsedMb != null &&
      report.memorySizeMb != null &&
      report.maxMemoryUsedMb >= report.memorySizeMb);
  if (outOfMemory) return { errorType: "OutOfMemory", errorMessage, timedOut: false };
  return { errorType, errorMessage, timedOut: false };
}
