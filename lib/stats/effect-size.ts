/** Plain-language labels for effect sizes. */

export type Magnitude = "negligible" | "small" | "medium" | "large";

/** Cohen's d: |d| < 0.2 negligible, < 0.5 small, < 0.8 medium, else large (Cohen 1988). */
export function cohensDMagnitude(d: number): Magnitude | null {
  return label(d, [0.2, 0.5, 0.8]);
}

/** Cliff's δ: |δ| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large (Romano et al. 2006). */
export function cliffsDeltaMagnitude(delta: number): Magnitude | null {
  return label(delta, [0.147, 0.33, 0.474]);
}

function label(value: number, [small, medium, large]: [number, number, number]): Magnitude | null {
  if (Number.isNaN(value)) return null;
  const v = Math.abs(value);
  return v < small ? "negligible" : v < medium ? "small" : v < large ? "medium" : "large";
}
