/**
 * Rate limiting for live displays: at most one render per `intervalMs` (default 100 ms, i.e. ≤ 10 Hz,
 * well under Jupyter's iopub message-rate limit), the latest value rendered when the interval
 * ends (a trailing render, so a slow last step is not left out), and the final value always rendered
 * at once. Time is injected, so the logic is tested with a fake clock.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.(); // a pending progress update never keeps a script alive
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const DEFAULT_INTERVAL_MS = 100;

export class Throttle<T> {
  private lastRender = -Infinity;
  private pending: { value: T } | null = null;
  private timer: unknown = null;
  private closed = false;
  /** How many times `render` ran. */
  renders = 0;

  constructor(
    private readonly render: (value: T) => void,
    private readonly intervalMs: number = DEFAULT_INTERVAL_MS,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Offers a new state; `final` renders it now and ignores everything offered afterwards. */
  push(value: T, final = false): void {
    if (this.closed) return;
    if (final) {
      this.closed = true;
      this.cancel();
      this.emit(value);
      return;
    }
    const wait = this.lastRender + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.cancel();
      this.emit(value);
      return;
    }
    this.pending = { value };
    this.timer ??= this.clock.setTimeout(() => this.flush(), wait);
  }

  /** True once the final value was pushed. */
  get finished(): boolean {
    return this.closed;
  }

  private flush(): void {
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending && !this.closed) this.emit(pending.value);
  }

  private cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private emit(value: T): void {
    this.lastRender = this.clock.now();
    this.renders += 1;
    this.render(value);
  }
}
