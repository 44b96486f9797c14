import { ProgressTracker, type ExperimentProgress } from "../experiment/progress";

/** An experiment's progress plus the elements a map's finished chunks covered. */
export interface MapProgress extends ExperimentProgress {
  elements: { done: number; total: number };
}

/**
 * Progress of one parallel step, on the experiments' channel (experimentEvents "progress"): done/total
 * are chunks, failed is chunks that failed for good, and `elements` what the finished chunks covered.
 */
export class MapProgressTracker extends ProgressTracker {
  private elementsDone = 0;

  constructor(
    label: string,
    functionName: string,
    chunks: number,
    private readonly elementsTotal: number,
  ) {
    super(label, functionName, chunks);
  }

  chunkDone(elements: number, failed: boolean): void {
    if (!failed) this.elementsDone += elements;
    this.completed(failed);
  }

  override snapshot(finished: boolean): MapProgress {
    return { ...super.snapshot(finished), elements: { done: this.elementsDone, total: this.elementsTotal } };
  }
}
