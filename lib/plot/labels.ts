/** Axis labels from metric names: the unit is the name's suffix (DESIGN: "unit in the name"). */

const UNITS: ReadonlyArray<[suffix: string, unit: string]> = [
  ["Ms", "ms"],
  ["Usd", "USD"],
  ["Mb", "MB"],
  ["Bytes", "bytes"],
];

/** The unit of a metric ("runtimeMs" → "ms"), or null when its name carries none. */
export function unitOf(metric: string): string | null {
  for (const [suffix, unit] of UNITS) {
    if (metric.length > suffix.length && metric.endsWith(suffix)) return unit;
  }
  return null;
}

/** "roundTripMs" → "round trip"; a name without a unit suffix stays as the user wrote it. */
export function nameOf(metric: string): string {
  const unit = unitOf(metric);
  if (unit === null) return metric;
  const base = metric.slice(0, metric.length - suffixLength(metric));
  return base.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

/** "runtimeMs" → "runtime (ms)", "cpuCores" → "cpuCores". */
export function axisTitle(metric: string): string {
  const unit = unitOf(metric);
  return unit === null ? metric : `${nameOf(metric)} (${unit})`;
}

function suffixLength(metric: string): number {
  for (const [suffix] of UNITS) if (metric.endsWith(suffix)) return suffix.length;
  return 0;
}

/** A group key as a legend / tick label (null is a group too: rows where the column is unknown). */
export function keyLabel(key: unknown): string {
  return key === null || key === undefined ? "(none)" : String(key);
}
