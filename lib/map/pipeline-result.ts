import { inspect } from "node:util";
import { FaasLabError } from "../errors";
import { ExperimentResult } from "../experiment/result";
import type { MapResult } from "./result";
import { seconds, stepLine, type StepReport } from "./report";

/** One pass through the pipeline's steps. */
export interface PassReport {
  /** Experiment folder of its parallel steps (functions/<fn>/experiments/<name>/). */
  name: string;
  /** Sum of the steps' durations (deploys excluded: they happen before a step's clock starts). */
  durationMs: number;
  steps: StepReport[];
}

export interface PipelineReport extends PassReport {
  /** Elements that went into the first step. */
  elements: number;
  /** Elements the last step returned. */
  elementsOut: number;
  /** With `baseline: true`: the same pipeline with one invocation in flight per parallel step. */
  baseline: PassReport | null;
  /** baseline.durationMs / durationMs; null without a baseline. */
  speedup: number | null;
}

/** What pipeline(...).run() resolves to: the last step's output, the report, each parallel step's map. */
export class PipelineResult<R = unknown> {
  constructor(
    readonly results: R[],
    readonly report: PipelineReport,
    /** One MapResult per parallel step, in step order. */
    readonly maps: MapResult[],
    /** The baseline's maps (empty without a baseline). */
    readonly baselineMaps: MapResult[] = [],
  ) {}

  /** Every parallel step's invocations as one ExperimentResult (for plot.timeline and summaries). */
  get experiment(): ExperimentResult {
    if (this.maps.length === 0) {
      throw new FaasLabError(
        `pipeline "${this.report.name}" has no parallel step: no invocation was recorded`,
        {
          code: "NO_INVOCATIONS",
          phase: "invoke",
        },
      );
    }
    const rows = this.maps.flatMap((m) => m.experiment.allRows);
    return new ExperimentResult(
      rows,
      this.maps.flatMap((m) => m.experiment.metas),
    );
  }

  /** The report as the seed prints it. */
  toString(): string {
    return pipelineReportText(this.report);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * "Number of elements = 3000 / Regular duration = … / Parallel duration = … / Speedup = 18.2X /
 * Details per pipeline step: / 1 - Step "geolocate" took …s for 100 workers and 3000 elements".
 */
export function pipelineReportText(r: PipelineReport): string {
  const lines = [`Number of elements = ${r.elements}`];
  if (r.baseline) lines.push(`Regular duration = ${seconds(r.baseline.durationMs)} (1 worker per step)`);
  lines.push(`Parallel duration = ${seconds(r.durationMs)}`);
  if (r.speedup !== null) lines.push(`Speedup = ${r.speedup.toFixed(1)}X`);
  lines.push("Details per pipeline step:");
  for (const s of r.steps) lines.push(`  ${s.step} - ${stepLine(s)}`);
  return lines.join("\n");
}
