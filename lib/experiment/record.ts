import type { ScalarValue } from "../runtime/envelope";

/**
 * One invocation, as one row of every experiment (README.md lists the columns). Flat, camelCase, unit in the name,
 * null when unknown (never 0). `result` and `attributes` are flattened into columns by the runner.
 */
export interface InvocationRecord {
  experiment: string | null;
  functionName: string;
  platform: string;
  memoryMb: number | null;
  thread: number | null;
  run: number | null;
  seq: number | null;
  payloadIndex: number | null;
  requestId: string | null;
  /** Client clock, epoch ms. */
  startedAt: number;
  endedAt: number;
  roundTripMs: number;
  runtimeMs: number | null;
  latencyMs: number | null;
  coldStart: boolean | null;
  instanceId: string | null;
  instanceInvocations: number | null;
  cpuType: string | null;
  cpuModel: string | null;
  cpuCores: number | null;
  architecture: string | null;
  hostBootTime: number | null;
  region: string | null;
  /** vCPUs the instance was given (platform-reported or derived from its config); null: unknown. */
  cpuAllocated: number | null;
  billedMs: number | null;
  initMs: number | null;
  maxMemoryUsedMb: number | null;
  costUsd: number | null;
  failed: boolean;
  timedOut: boolean;
  errorType: string | null;
  errorMessage: string | null;
  /** Remote stack of a function error (not a column of experiment tables). */
  errorStack: string | null;
  /** Tries made; roundTripMs is the last one's. */
  attempts: number;
  /** Time spent waiting between tries (backoff), never counted as latency. */
  retryDelayMs: number;
  statusCode: number | null;
  payloadBytes: number | null;
  responseBytes: number | null;
  /** The function's result (undefined when it failed). */
  result: unknown;
  /** Custom columns from ctx.inspector / new Inspector(). */
  attributes: Record<string, ScalarValue>;
}
