import type { RawInvocation } from "../../lib/platform";

// The words of the local platform's failures: which limit fired, and what may explain it.

/** Why an instance stopped; decides the errorType of the requests it was serving. */
export type ExitReason = "timeout" | "oom" | "retired" | "crash";

/** The time limit of one request: the function's `timeout`, or the caller's shorter `timeoutMs`. */
export interface TimeLimit {
  ms: number;
  /** "timeout": the function's config; "timeoutMs": the invoke option. */
  source: "timeout" | "timeoutMs";
}

export function timeLimit(configTimeoutS: number, timeoutMs: number | undefined): TimeLimit {
  const configMs = configTimeoutS * 1000;
  if (timeoutMs !== undefined && timeoutMs < configMs) return { ms: timeoutMs, source: "timeoutMs" };
  return { ms: configMs, source: "timeout" };
}

export function timeoutMessage(limit: TimeLimit, configTimeoutS: number): string {
  const seconds = `Task timed out after ${limit.ms / 1000} seconds`;
  if (limit.source === "timeout") return `${seconds} (the function's timeout of ${configTimeoutS} s)`;
  return `${seconds} (the invoke option timeoutMs: ${limit.ms}; the function's timeout is ${configTimeoutS} s)`;
}

/** A payload at least this share of the memory limit is named in an OutOfMemory message. */
const LARGE_PAYLOAD_SHARE = 0.1;

/**
 * The payload's part in an OutOfMemory: a payload is held several times over while it arrives (the
 * IPC message, its parsed copy, the function's argument), so a large one is worth saying.
 */
export function payloadNote(payload: unknown, memoryMb: number): string {
  let bytes: number;
  try {
    const json = JSON.stringify(payload);
    bytes = json === undefined ? 0 : Buffer.byteLength(json);
  } catch {
    return "";
  }
  const mb = bytes / 2 ** 20;
  if (mb < memoryMb * LARGE_PAYLOAD_SHARE) return "";
  const share = Math.round((mb / memoryMb) * 100);
  return (
    `; the request's payload alone is ${mb.toFixed(1)} MB (${share}% of the limit), and an instance ` +
    `holds it more than once while receiving and parsing it`
  );
}

const EMPTY: RawInvocation = {
  envelope: null,
  failure: null,
  statusCode: null,
  responseBytes: null,
  attempts: 1,
  billedMs: null,
  initMs: null,
  maxMemoryUsedMb: null,
};

export function success(body: string): RawInvocation {
  return { ...EMPTY, envelope: JSON.parse(body), statusCode: 200, responseBytes: body.length };
}

export function failure(
  errorType: string,
  errorMessage: string,
  timedOut: boolean,
  status: number,
): RawInvocation {
  return { ...EMPTY, failure: { errorType, errorMessage, timedOut }, statusCode: status };
}

export interface ExitFacts {
  reason: ExitReason;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  memoryMb: number;
  /** What the watchdog measured when it stopped the instance (oom only). */
  rssMb?: number;
}

export function describeExit(facts: ExitFacts): [string, string] {
  const { reason, code, signal, stderrTail, memoryMb, rssMb } = facts;
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  const lastLines = stderrTail.trim().split("\n").slice(-5).join("\n");
  const detail = lastLines ? `; last output: ${lastLines}` : "";
  switch (reason) {
    case "oom": {
      const measured = rssMb === undefined ? "" : ` (resident memory ${rssMb.toFixed(0)} MB)`;
      return [
        "OutOfMemory",
        `the instance exceeded its memory limit of ${memoryMb} MB${measured} and was stopped`,
      ];
    }
    case "timeout":
      return ["InstanceKilled", "the instance was stopped because another request on it timed out"];
    case "retired":
      return ["InstanceRetired", "the instance was stopped before the request finished"];
    case "crash":
      return ["InstanceCrashed", `the instance exited with ${how} while running the request${detail}`];
  }
}

/** The instances.log line of an instance that stopped: what stopped it, and whom that failed. */
export function exitLine(
  instance: string,
  facts: ExitFacts,
  failedRequests: number,
  errorType: string,
): string {
  const { reason, code, signal, memoryMb, rssMb } = facts;
  const why = {
    oom: `over its memory limit of ${memoryMb} MB${rssMb === undefined ? "" : ` (resident ${rssMb.toFixed(0)} MB)`}`,
    timeout: "a request on it timed out",
    retired: "retired (shutdown, redeploy, forced cold start or scale-down)",
    crash: `exited by itself with ${signal ? `signal ${signal}` : `exit code ${code}`}`,
  }[reason];
  const whom = failedRequests ? `${failedRequests} request(s) failed with ${errorType}` : "it was idle";
  return `${instance} stopped: ${why}; ${whom}`;
}
