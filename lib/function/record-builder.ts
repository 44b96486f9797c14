import type { InvocationRecord } from "../experiment/record";
import type { Deployment, RawInvocation } from "../platform";

export interface ClientTiming {
  /** When the call began (its first attempt), epoch ms. */
  startedAt: number;
  endedAt: number;
  /** The answering attempt's round trip. */
  roundTripMs: number;
  /** Waiting between attempts; default: what the platform reported, else 0. */
  retryDelayMs?: number;
  payloadBytes: number | null;
}

/** Which function a record is about: a Deployment, or what is known before there is one. */
export type RecordSubject = Pick<Deployment, "functionName" | "platform" | "config">;

/**
 * Turns what a platform saw into the flat record every experiment row is made of: the one builder,
 * used by single calls and by the experiment runner alike.
 */
export function toRecord(
  deployment: RecordSubject,
  raw: RawInvocation,
  timing: ClientTiming,
): InvocationRecord {
  const envelope = raw.envelope;
  const metrics = envelope?.metrics ?? null;
  const runtimeMs = metrics?.runtimeMs ?? raw.runtimeMs ?? null;
  const remoteError = envelope && !envelope.ok ? (envelope.error ?? null) : null;
  const failure = raw.failure;
  const failed = failure !== null || (envelope !== null && !envelope.ok);
  const configuredMemory = deployment.config.memory;
  return {
    experiment: null,
    functionName: deployment.functionName,
    platform: deployment.platform,
    memoryMb: metrics?.memoryMb ?? (typeof configuredMemory === "number" ? configuredMemory : null),
    thread: null,
    run: null,
    seq: null,
    payloadIndex: null,
    requestId: metrics?.requestId ?? null,
    startedAt: timing.startedAt,
    endedAt: timing.endedAt,
    roundTripMs: timing.roundTripMs,
    runtimeMs,
    latencyMs: runtimeMs === null ? null : round(timing.roundTripMs - runtimeMs),
    coldStart: metrics?.coldStart ?? raw.coldStart ?? null,
    instanceId: metrics?.instanceId ?? raw.instanceId ?? null,
    instanceInvocations: metrics?.instanceInvocations ?? null,
    cpuType: metrics?.cpuType ?? null,
    cpuModel: metrics?.cpuModel ?? null,
    cpuCores: metrics?.cpuCores ?? null,
    architecture: metrics?.architecture ?? null,
    hostBootTime: metrics?.hostBootTime ?? null,
    region: metrics?.region ?? null,
    cpuAllocated: raw.cpuAllocated ?? null,
    billedMs: raw.billedMs,
    initMs: raw.initMs ?? metrics?.initMs ?? null,
    maxMemoryUsedMb: raw.maxMemoryUsedMb,
    costUsd: null,
    failed,
    timedOut: failure?.timedOut ?? false,
    errorType: failure?.errorType ?? remoteError?.errorType ?? null,
    errorMessage: failure?.errorMessage ?? remoteError?.errorMessage ?? null,
    errorStack: remoteError?.stack ?? null,
    attempts: raw.attempts,
    retryDelayMs: timing.retryDelayMs ?? raw.retryDelayMs ?? 0,
    statusCode: raw.statusCode,
    payloadBytes: timing.payloadBytes,
    responseBytes: raw.responseBytes,
    // A function without faaslab's envelope (external) answers with its body.
    result: envelope ? (envelope.ok ? envelope.result : undefined) : failed ? undefined : raw.result,
    attributes: envelope?.attributes ?? {},
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
