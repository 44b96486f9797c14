import type { Envelope } from "../../lib/runtime/envelope";
import { effectiveCpu, type GoogleConfig } from "./schema";

/** Cloud Run's request-based billing rounds each request's time up to 100 ms. */
export const BILLING_INCREMENT_MS = 100;

/**
 * The billed time of one request as Cloud Run counts it: from the request's start to its end,
 * rounded up to 100 ms; a cold start's instance start-up is billed too (it is added to the request
 * that waited for it). null when the function sent no envelope (nothing measured).
 */
export function billedMs(envelope: Envelope | null): number | null {
  const metrics = envelope?.metrics;
  if (!metrics || typeof metrics.runtimeMs !== "number") return null;
  const startup = metrics.coldStart && typeof metrics.initMs === "number" ? metrics.initMs : 0;
  const ms = metrics.runtimeMs + startup;
  return Math.max(1, Math.ceil(ms / BILLING_INCREMENT_MS - 1e-9)) * BILLING_INCREMENT_MS;
}

/** The vCPU the function runs with (and is billed for): the configured one or Google's default. */
export function cpuAllocated(config: Pick<GoogleConfig, "cpu" | "memory">): number {
  return effectiveCpu(config);
}
