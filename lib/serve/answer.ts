import type { InvocationRecord } from "../experiment/record";
import type { Envelope } from "../runtime/envelope";

/** What goes back over HTTP for one invocation. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Request header asking for faaslab's whole envelope instead of the bare result (httpFunction's full records). */
export const ENVELOPE_HEADER = "x-faaslab-envelope";

/**
 * The HTTP answer for an invocation record: 200 and the result as JSON; 429 when the platform
 * throttled, 504 when the call timed out, 500 with the error's type and message for any other failure.
 * The instance id, cold start and request id travel in x-faaslab-* headers, the in-function time in
 * Server-Timing (`fn;dur=…`) — each only when the platform said it.
 */
export function answerFor(record: InvocationRecord, withEnvelope: boolean): Answer {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (record.instanceId !== null) headers["x-faaslab-instance-id"] = headerValue(record.instanceId);
  if (record.coldStart !== null) headers["x-faaslab-cold-start"] = String(record.coldStart);
  if (record.requestId !== null) headers["x-faaslab-request-id"] = headerValue(record.requestId);
  if (record.runtimeMs !== null) headers["server-timing"] = `fn;dur=${record.runtimeMs}`;
  const status = statusOf(record);
  const envelope = withEnvelope ? envelopeOf(record) : null;
  if (envelope) {
    // As a deployed shim answers: 200 whenever the function ran; the envelope says if it failed.
    headers[ENVELOPE_HEADER] = "1";
    return { status: 200, headers, body: JSON.stringify(envelope) };
  }
  if (!record.failed) return { status, headers, body: JSON.stringify(record.result) ?? "null" };
  const error = { errorType: record.errorType ?? "Error", errorMessage: record.errorMessage ?? "" };
  if (status === 429) headers["retry-after"] = "1";
  return { status, headers, body: JSON.stringify({ ...error, timedOut: record.timedOut }) };
}

function statusOf(record: InvocationRecord): number {
  if (!record.failed) return 200;
  if (record.errorType === "Throttled" || record.statusCode === 429) return 429;
  if (record.timedOut) return 504;
  return 500;
}

/**
 * The envelope the function's shim sent, rebuilt from the record: present only when the record came
 * from one (metrics say so; a platform failure such as a throttle or a timeout has none and answers as
 * above). The runtime version is not in the record: "unknown".
 */
function envelopeOf(r: InvocationRecord): Envelope | null {
  if (r.requestId === null || r.instanceId === null || r.coldStart === null) return null;
  if (r.instanceInvocations === null || r.runtimeMs === null || r.architecture === null) return null;
  return {
    ok: !r.failed,
    ...(r.failed
      ? {
          error: {
            errorType: r.errorType ?? "Error",
            errorMessage: r.errorMessage ?? "",
            stack: r.errorStack,
          },
        }
      : { result: r.result }),
    metrics: {
      requestId: r.requestId,
      instanceId: r.instanceId,
      coldStart: r.coldStart,
      instanceInvocations: r.instanceInvocations,
      runtimeMs: r.runtimeMs,
      initMs: r.initMs,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      platform: r.platform,
      functionName: r.functionName,
      memoryMb: r.memoryMb,
      region: r.region,
      runtime: "unknown",
      cpuType: r.cpuType,
      cpuModel: r.cpuModel,
      cpuCores: r.cpuCores,
      architecture: r.architecture,
      hostBootTime: r.hostBootTime,
    },
    attributes: r.attributes,
  };
}

/** Header values are visible ASCII: anything else (an id with non-ASCII characters) is percent-encoded. */
function headerValue(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text);
}

/** The answer for a request refused before the function ran, or an infrastructure failure. */
export function errorAnswer(
  status: number,
  errorType: string,
  errorMessage: string,
  extra: Record<string, string> = {},
): Answer {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...extra },
    body: JSON.stringify({ errorType, errorMessage }),
  };
}
