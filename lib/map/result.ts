import { inspect } from "node:util";
import type { DataFrame } from "danfojs";
import type { ExperimentResult } from "../experiment/result";
import type { Row } from "../experiment/row";
import type { ChunkFailure } from "./map-error";
import { mapReportText, type MapReport } from "./report";

/**
 * What map() resolves to: `results` in input order (in "skip" mode a failed chunk's elements are
 * undefined), the `report`, and the journaled invocations as an ExperimentResult (`experiment`,
 * `rows`, `df`) that load(), the summaries and the plots read like any experiment.
 */
export class MapResult<R = unknown> {
  constructor(
    /** Typed R[] for convenience: only with onChunkError "skip" can it hold undefined holes (see `failures`). */
    readonly results: R[],
    readonly report: MapReport,
    readonly experiment: ExperimentResult,
    /** Chunks without a result ("skip" mode); empty when every chunk succeeded. */
    readonly failures: ChunkFailure[],
  ) {}

  /** One row per chunk invocation (retries included), with `chunk`, `step` and `elements` columns. */
  get rows(): Row[] {
    return this.experiment.rows;
  }

  get df(): DataFrame {
    return this.experiment.df;
  }

  /** The report as the seed prints it. */
  toString(): string {
    return mapReportText(this.report);
  }

  toJSON(): { report: MapReport; failures: ChunkFailure[]; results: R[] } {
    return { report: this.report, failures: this.failures, results: this.results };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
