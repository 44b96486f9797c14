import { EventEmitter } from "node:events";

export interface ExperimentProgress {
  experiment: string;
  functionName: string;
  done: number;
  total: number;
  failed: number;
  inFlight: number;
  elapsedMs: number;
  /** Estimated time left, null until something finished. */
  etaMs: number | null;
  finished: boolean;
  /** Set while the run watches its instances past the last request (observeAfterS): ms left. */
  observingLeftMs?: number;
}

/**
 * Every runner publishes its progress here; the notebook display (kernel/) subscribes, and a
 * terminal gets one updating line on stderr.
 */
export const experimentEvents = new EventEmitter();

const TERMINAL_INTERVAL_MS = 100;

export class ProgressTracker {
  done = 0;
  failed = 0;
  inFlight = 0;
  private readonly started = Date.now();
  private observingLeftMs: number | undefined;
  private lastTerminalWrite = 0;
  private readonly terminal = Boolean(process.stderr.isTTY) && !("__tslab__" in globalThis);

  constructor(
    private readonly experiment: string,
    private readonly functionName: string,
    private total: number,
    private readonly listener?: (p: ExperimentProgress) => void,
  ) {}

  /** Shown as soon as the run starts (a first cold start can take a while). */
  start(): void {
    this.emit(false);
  }

  setTotal(total: number): void {
    this.total = total;
  }

  completed(failed: boolean): void {
    this.done += 1;
    if (failed) this.failed += 1;
    this.emit(false);
  }

  /** All requests done, the instance timeline still recorded for `leftMs` (0: observation over). */
  observing(leftMs: number): void {
    this.observingLeftMs = leftMs > 0 ? leftMs : undefined;
    this.emit(false);
  }

  finish(): void {
    this.observingLeftMs = undefined;
    this.emit(true);
  }

  snapshot(finished: boolean): ExperimentProgress {
    const elapsedMs = Date.now() - this.started;
    const left = this.total - this.done;
    const etaMs = this.done > 0 && !finished ? Math.round((elapsedMs / this.done) * left) : null;
    const { experiment, functionName, done, total, failed, inFlight, observingLeftMs } = this;
    const progress = { experiment, functionName, done, total, failed, inFlight, elapsedMs, etaMs, finished };
    return observingLeftMs === undefined ? progress : { ...progress, etaMs: null, observingLeftMs };
  }

  private emit(finished: boolean): void {
    // Nobody watching: skip building a snapshot (this runs once per invocation).
    if (!this.listener && !this.terminal && experimentEvents.listenerCount("progress") === 0) return;
    const progress = this.snapshot(finished);
    this.listener?.(progress);
    experimentEvents.emit("progress", progress);
    if (this.terminal) this.writeTerminal(progress);
  }

  private writeTerminal(p: ExperimentProgress): void {
    const now = Date.now();
    if (!p.finished && now - this.lastTerminalWrite < TERMINAL_INTERVAL_MS) return;
    this.lastTerminalWrite = now;
    const eta = p.etaMs === null ? "" : `, ETA ${(p.etaMs / 1000).toFixed(1)} s`;
    const watching =
      p.observingLeftMs === undefined
        ? ""
        : `, observing instances ${(p.observingLeftMs / 1000).toFixed(0)} s more`;
    const line = `${p.experiment}: ${p.done}/${p.total} done, ${p.failed} failed, ${(p.elapsedMs / 1000).toFixed(1)} s${eta}${watching}`;
    process.stderr.write(`\r${line}\x1b[K${p.finished ? "\n" : ""}`);
  }
}
