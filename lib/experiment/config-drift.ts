import type { Row } from "./row";

/**
 * A warning when one run's rows report more than one memory setting: the function was reconfigured
 * while the run went on, from outside this process (inside it, config-hold.ts refuses), so its rows
 * mix settings that meta.json's single config does not show. Null when they agree.
 */
export function memoryDrift(rows: readonly Row[], run: number): string | null {
  const seen = new Set<number>();
  for (const row of rows) if (typeof row.memoryMb === "number") seen.add(row.memoryMb);
  if (seen.size <= 1) return null;
  const values = [...seen].sort((a, b) => a - b).join(", ");
  return `run ${run}: its rows report memoryMb ${values} — the function was reconfigured during the run (from another process or outside faaslab); meta.json's config is the one it started with, and each row's memoryMb is what the function reported`;
}
