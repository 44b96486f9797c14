import { performance } from "node:perf_hooks";
import { asFaasLabError } from "../errors";
import type { InvocationRecord } from "../experiment/record";
import type { Deployment, InvokeOptions } from "../platform";
import { platformFor } from "../registry";
import { payloadJson } from "./payload";
import { toRecord } from "./record-builder";

/**
 * One invocation, measured: the platform's answer plus the client's timing. When the platform
 * retried, roundTripMs (and so latencyMs) is the answering attempt's alone; the waits between
 * attempts are retryDelayMs, never latency.
 */
export async function invokeDeployment(
  deployment: Deployment,
  payload: unknown,
  options?: InvokeOptions,
): Promise<InvocationRecord> {
  const platform = platformFor(deployment.platform);
  const payloadBytes = payloadSize(payload, deployment.platform);
  const startedAt = Date.now();
  const t0 = performance.now();
  const raw = await platform.invoke(deployment, payload, options).catch((e: unknown) => {
    throw asFaasLabError(e, { code: "INVOKE_FAILED", phase: "invoke", platform: deployment.platform });
  });
  const t1 = performance.now();
  const attemptStart = raw.finalAttemptAt !== undefined && raw.finalAttemptAt >= t0 ? raw.finalAttemptAt : t0;
  const timing = {
    startedAt,
    endedAt: Date.now(),
    roundTripMs: roundMs(t1 - attemptStart),
    retryDelayMs: roundMs(raw.retryDelayMs ?? 0),
    payloadBytes,
  };
  return toRecord(deployment, raw, timing);
}

export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Bytes of the payload as JSON; a payload that cannot be sent is the caller's error, said before sending. */
function payloadSize(payload: unknown, platform: string): number {
  const json = payloadJson(payload, platform);
  return json === undefined ? 0 : Buffer.byteLength(json);
}
