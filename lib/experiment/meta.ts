import type { ScalarValue } from "../runtime/envelope";
import type { PlatformConfig } from "../platform";

export type ExperimentStatus = "running" | "complete" | "aborted" | "failed";

/** Per-experiment figures computed when it ends (also recomputable from rows). */
export interface ExperimentOverview {
  invocations: number;
  warmups: number;
  failed: number;
  errorRate: number;
  coldStarts: number;
  distinctInstances: number;
  /** Completed invocations per second of wall time (first start to last end). */
  throughputPerS: number | null;
  durationMs: number | null;
  /** Share of this experiment's instances already seen in earlier experiments of the function (SAAF#8). */
  instanceReuse: number | null;
}

/** functions/<fn>/experiments/<name>/[run-N/]meta.json */
export interface ExperimentMeta {
  name: string;
  functionName: string;
  platform: string;
  /** 1 for the first run of this name, 2 for the next (stored in run-2/), … */
  run: number;
  status: ExperimentStatus;
  /**
   * The options as given, JSON-safe. `payloads` keeps each payload of up to 4 KiB of JSON as sent and
   * a larger one as a PayloadDigest `{ $faaslab: "payload-digest", sha256, bytes }` (same index).
   */
  options: Record<string, unknown>;
  config: PlatformConfig;
  tags: Record<string, ScalarValue>;
  versions: { faaslab: string; node: string };
  host: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string | null };
  startedAt: string;
  endedAt: string | null;
  /** Why it stopped early, when it did. */
  reason: string | null;
  overview: ExperimentOverview | null;
}
