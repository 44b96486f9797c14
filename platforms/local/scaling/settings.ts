import type { LocalConfig } from "../schema";

export type ScalingName = "lambda" | "cloudrun" | "knative";

/** What `null` means for `concurrency` and `maxInstances` under each policy (peers.md §6.1, §7). */
export const POLICY_DEFAULTS: Record<ScalingName, { concurrency: number; maxInstances: number }> = {
  lambda: { concurrency: 1, maxInstances: 16 },
  // Cloud Run: 80 requests per instance, at most 100 instances.
  cloudrun: { concurrency: 80, maxInstances: 100 },
  // Knative: containerConcurrency 0 (unlimited); max-scale 0 (unlimited) becomes local's cap of 256.
  knative: { concurrency: Infinity, maxInstances: 256 },
};

/** The knobs each policy reads (the others are validated and ignored). */
export const POLICY_KNOBS: Record<ScalingName, readonly (keyof LocalConfig)[]> = {
  lambda: ["concurrency", "maxInstances", "minInstances", "idleTimeout", "queueTimeout"],
  cloudrun: [
    "concurrency",
    "maxInstances",
    "minInstances",
    "idleTimeout",
    "pendingTimeout",
    "tickInterval",
    "stableWindow",
    "concurrencyUtilization",
  ],
  knative: [
    "concurrency",
    "maxInstances",
    "minInstances",
    "tickInterval",
    "stableWindow",
    "panicWindowPercentage",
    "panicThreshold",
    "target",
    "targetUtilization",
    "maxScaleUpRate",
    "maxScaleDownRate",
    "scaleToZeroGracePeriod",
    "initialScale",
  ],
};

/** A validated config's scaling knobs, resolved for its policy, in milliseconds. */
export interface ScalingSettings {
  policy: ScalingName;
  /** Requests per instance at once; Infinity: unlimited (Knative's containerConcurrency 0). */
  concurrency: number;
  maxInstances: number;
  minInstances: number;
  idleTimeoutMs: number;
  /** How long a request may wait for a slot: lambda's queueTimeout, cloudrun's pendingTimeout; null: its deadline. */
  queueTimeoutMs: number | null;
  tickMs: number;
  stableWindowMs: number;
  panicWindowMs: number;
  /** Fraction (2 = 200 %). */
  panicThreshold: number;
  /** Knative: the concurrency per instance aimed for, max(0.01, total × targetUtilization) (target.go). */
  targetPerInstance: number;
  /** Cloud Run: concurrency × concurrencyUtilization. */
  cloudRunTargetPerInstance: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  scaleToZeroGraceMs: number;
  initialScale: number;
}

export function scalingSettings(config: LocalConfig): ScalingSettings {
  const policy = config.scaling;
  const concurrency = config.concurrency ?? POLICY_DEFAULTS[policy].concurrency;
  const stableWindowMs = config.stableWindow * 1000;
  return {
    policy,
    concurrency,
    maxInstances: config.maxInstances ?? POLICY_DEFAULTS[policy].maxInstances,
    minInstances: config.minInstances,
    idleTimeoutMs: config.idleTimeout * 1000,
    queueTimeoutMs:
      policy === "lambda"
        ? config.queueTimeout * 1000
        : policy === "cloudrun"
          ? config.pendingTimeout * 1000
          : null,
    tickMs: config.tickInterval * 1000,
    stableWindowMs,
    panicWindowMs: (stableWindowMs * config.panicWindowPercentage) / 100,
    panicThreshold: config.panicThreshold / 100,
    targetPerInstance: knativeTarget(config.concurrency, config.target, config.targetUtilization),
    cloudRunTargetPerInstance: concurrency * config.concurrencyUtilization,
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    scaleToZeroGraceMs: config.scaleToZeroGracePeriod * 1000,
    initialScale: config.initialScale,
  };
}

/**
 * Knative's target per instance (resources/target.go): the soft `target`, capped by containerConcurrency
 * when that is set, else containerConcurrency, else 100; times the utilisation, at least 0.01.
 */
export function knativeTarget(
  containerConcurrency: number | null,
  target: number | null,
  utilization: number,
): number {
  let total = containerConcurrency ?? 100;
  if (target !== null)
    total = containerConcurrency === null ? target : Math.min(target, containerConcurrency);
  return Math.max(0.01, total * utilization);
}
