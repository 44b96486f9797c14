import { POLICY_DEFAULTS, type ScalingName } from "./settings";

/** The scaling knobs a cross-field rule looks at (each present only if it passed its own check). */
export interface ScalingKnobs {
  scaling?: string;
  maxInstances?: number | null;
  minInstances?: number;
  initialScale?: number;
}

/** The maxInstances a config means: its own, or its policy's default; null when unknown (invalid). */
function effectiveMax(c: ScalingKnobs): number | null {
  if (c.maxInstances === undefined) return null;
  if (c.maxInstances !== null) return c.maxInstances;
  return c.scaling === undefined ? null : POLICY_DEFAULTS[c.scaling as ScalingName].maxInstances;
}

/** Checks across scaling knobs, for localSchema's `rules`. */
export const scalingRules: ((c: ScalingKnobs) => string | null)[] = [
  (c) => {
    const max = effectiveMax(c);
    return typeof c.minInstances === "number" && max !== null && c.minInstances > max
      ? `"minInstances" (${c.minInstances}) must not exceed "maxInstances" (${max})`
      : null;
  },
  (c) => {
    const max = effectiveMax(c);
    return c.scaling === "knative" &&
      typeof c.initialScale === "number" &&
      max !== null &&
      c.initialScale > max
      ? `"initialScale" (${c.initialScale}) must not exceed "maxInstances" (${max}) with scaling "knative"`
      : null;
  },
];
