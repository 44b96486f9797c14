import type { Row } from "./row";

/**
 * Collects the memory settings one run's rows report, row by row (a run of any length holds a handful
 * of numbers). More than one means the function was reconfigured while the run went on, from outside
 * this process (inside it, function/config-hold.ts refuses), so the rows mix settings that meta.json's
 * single config does not show.
 */
export class MemorySettings {
  private readonly seen = new Set<number>();

  add(row: Row): void {
    if (typeof row.memoryMb === "number") this.seen.add(row.memoryMb);
  }

  /** The warning for run `run` when its rows report more than one setting, else null. */
  drift(run: number): string | null {
    if (this.seen.size <= 1) return null;
    const values = [...this.seen].sort((a, b) => a - b).join(", ");
    return `run ${run}: its rows report memoryMb ${values} — the function was reconfigured during the run (from another process or outside faaslab); meta.json's config is the one it started with, and each row's memoryMb is what the function reported`;
  }
}

/** The drift warning of rows in memory (see MemorySettings). */
export function memoryDrift(rows: readonly Row[], run: number): string | null {
  const settings = new MemorySettings();
  for (const row of rows) settings.add(row);
  return settings.drift(run);
}
