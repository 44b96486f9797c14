/**
 * Live progress of experiments in the notebook: one output per experiment run, created by its first
 * progress event and updated in place (update_display_data) at most 10 times per second; the final
 * state is always sent, so the saved notebook shows how the run ended.
 */
import { experimentEvents, type ExperimentProgress } from "../lib/experiment/progress";
import { progressText, renderProgress } from "./render/progress";
import { DEFAULT_INTERVAL_MS, Throttle, systemClock, type Clock } from "./throttle";
import { newDisplayId, sendMimeBundle } from "./tslab";

/** Sends one MIME bundle to the output `displayId` (a new output when `update` is false). */
export type BundleSender = (data: Record<string, unknown>, displayId: string, update: boolean) => boolean;

export interface ProgressDisplayOptions {
  send?: BundleSender;
  clock?: Clock;
  intervalMs?: number;
  newId?: () => string;
}

/** Routes progress events to one throttled display per running experiment. */
export class ProgressDisplays {
  private readonly active = new Map<string, Throttle<ExperimentProgress>>();
  private readonly send: BundleSender;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly newId: () => string;

  constructor(options: ProgressDisplayOptions = {}) {
    this.send = options.send ?? sendMimeBundle;
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.newId = options.newId ?? newDisplayId;
  }

  /** The listener for experimentEvents' "progress" events. */
  readonly onProgress = (p: ExperimentProgress): void => {
    const key = `${p.functionName}\u0000${p.experiment}`;
    let throttle = this.active.get(key);
    if (throttle === undefined) {
      throttle = this.createDisplay();
      this.active.set(key, throttle);
    }
    throttle.push(p, p.finished);
    if (p.finished) this.active.delete(key);
  };

  /** Experiments currently shown and not finished. */
  get running(): number {
    return this.active.size;
  }

  private createDisplay(): Throttle<ExperimentProgress> {
    const id = this.newId();
    let created = false;
    const render = (p: ExperimentProgress): void => {
      const bundle = { "text/html": renderProgress(p), "text/plain": progressText(p) };
      // Only the first message that got through creates the output; later ones update it.
      if (this.send(bundle, id, created)) created = true;
    };
    return new Throttle(render, this.intervalMs, this.clock);
  }
}

let subscribed: ProgressDisplays | null = null;

/** Shows every experiment's progress in the notebook (idempotent); returns a function that stops it. */
export function subscribeProgress(options: ProgressDisplayOptions = {}): () => void {
  if (subscribed === null) {
    subscribed = new ProgressDisplays(options);
    experimentEvents.on("progress", subscribed.onProgress);
  }
  return unsubscribeProgress;
}

export function unsubscribeProgress(): void {
  if (subscribed === null) return;
  experimentEvents.off("progress", subscribed.onProgress);
  subscribed = null;
}
