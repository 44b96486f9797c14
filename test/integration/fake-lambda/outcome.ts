import type { ChildMessage, ErrorPayload } from "./protocol";
import { endLine, reportLine, startLine, timeoutLine } from "./report";
import type { FunctionSettings } from "./validate";

/** What an execution environment observed while running one request. */
export interface RunResult {
  requestId: string;
  settings: FunctionSettings;
  /** The runtime's answer; null when the process died first. */
  message: ChildMessage | null;
  /** The platform killed the environment: Timeout reached, or MemorySize exceeded. */
  stopped: "timeout" | "oom" | null;
  initError: ErrorPayload | null;
  durationMs: number;
  initMs: number | null;
  initLog: string;
  log: string;
  peakRssKb: number;
  exitReason: string;
  crashed: boolean;
  cold: boolean;
  environmentId: string;
}

/** What Invoke answers with, plus the figures the fake records. */
export interface Outcome {
  payload: string;
  functionError: boolean;
  /** INIT output (cold) + START … END + REPORT. */
  log: string;
  durationMs: number;
  initMs: number | null;
  maxMemoryUsedMb: number;
  timedOut: boolean;
  cold: boolean;
  environmentId: string;
}

type LambdaErrorPayload = { errorType: string; errorMessage: string; trace?: string[] };

/** Lambda's error payload for a request whose runtime failed (or the handler's own error). */
function errorOf(r: RunResult): LambdaErrorPayload | undefined {
  const id = r.requestId;
  if (r.stopped === "timeout") {
    return {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${id} Error: Task timed out after ${r.settings.Timeout.toFixed(2)} seconds`,
    };
  }
  if (r.stopped === "oom") {
    return {
      errorType: "Runtime.OutOfMemory",
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: signal: killed`,
    };
  }
  if (r.message?.type === "done") return r.message.error;
  return {
    errorType: "Runtime.ExitError",
    errorMessage: `RequestId: ${id} Error: Runtime exited with error: ${r.exitReason || "unknown"}`,
  };
}

export function toOutcome(r: RunResult): Outcome {
  const error = errorOf(r);
  const memory = r.settings.MemorySize;
  const maxMemoryUsedMb =
    r.stopped === "oom" ? memory : Math.min(memory, Math.max(1, Math.ceil(r.peakRssKb / 1024)));
  const failedRuntime = r.stopped === "oom" || r.crashed || r.initError !== null;
  const report = reportLine({
    requestId: r.requestId,
    durationMs: r.durationMs,
    memorySizeMb: memory,
    maxMemoryUsedMb,
    initMs: r.initMs,
    ...(r.stopped === "timeout"
      ? { status: "timeout" as const }
      : failedRuntime
        ? { status: "error" as const, errorType: error?.errorType }
        : {}),
  });
  const log =
    r.initLog +
    startLine(r.requestId) +
    r.log +
    (r.stopped === "timeout" ? timeoutLine(r.requestId, r.settings.Timeout) : "") +
    endLine(r.requestId) +
    report;
  const payload = error
    ? JSON.stringify(error)
    : ((r.message as { payload?: string } | null)?.payload ?? "null");
  return {
    payload,
    functionError: error !== undefined,
    log,
    durationMs: r.durationMs,
    initMs: r.initMs,
    maxMemoryUsedMb,
    timedOut: r.stopped === "timeout",
    cold: r.cold,
    environmentId: r.environmentId,
  };
}
