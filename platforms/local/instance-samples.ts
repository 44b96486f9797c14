import type { Clock, ClockTimer } from "../../lib/clock";
import type { InstanceSample, InstanceWatch } from "../../lib/platform";

/** A sample without its time: what is compared to decide whether anything changed. */
export type InstanceCounts = Omit<InstanceSample, "at">;

export const DEFAULT_SAMPLE_INTERVAL_MS = 100;

interface Watcher {
  onSample(sample: InstanceSample): void;
  intervalMs: number;
  last: InstanceCounts | null;
  lastAt: number;
  timer: ClockTimer | null;
}

/**
 * The watchers of one function's instances. The pool says `changed()` on every event (start, ready,
 * request in or out, exit); each watcher gets a sample when the counts differ from the last it got,
 * at most one per `intervalMs` on the injected clock: a change inside the interval is sent when the
 * interval ends (the counts of that moment), so the last state before a quiet period is never lost.
 */
export class InstanceSamples {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly clock: Clock,
    private readonly read: () => InstanceCounts,
  ) {}

  get watching(): boolean {
    return this.watchers.size > 0;
  }

  /** One sample now, then one per change; stop() clears the watcher's timer (idempotent). */
  watch(onSample: (sample: InstanceSample) => void, intervalMs = DEFAULT_SAMPLE_INTERVAL_MS): InstanceWatch {
    if (!(intervalMs >= 0) || !Number.isFinite(intervalMs))
      throw new RangeError(`intervalMs must be a finite number ≥ 0, got ${intervalMs}`);
    const watcher: Watcher = { onSample, intervalMs, last: null, lastAt: 0, timer: null };
    this.watchers.add(watcher);
    this.emit(watcher, this.read());
    return {
      stop: () => {
        if (!this.watchers.delete(watcher)) return;
        if (watcher.timer) this.clock.clearTimeout(watcher.timer);
        watcher.timer = null;
      },
    };
  }

  changed(): void {
    if (this.watchers.size === 0) return;
    const counts = this.read();
    for (const watcher of [...this.watchers]) this.offer(watcher, counts);
  }

  private offer(watcher: Watcher, counts: InstanceCounts): void {
    if (watcher.timer || sameCounts(watcher.last, counts)) return;
    const wait = watcher.lastAt + watcher.intervalMs - this.clock.now();
    if (wait <= 0) return this.emit(watcher, counts);
    // A sample is due at the end of the interval, with the counts of then (keepAlive false: a watch
    // alone must not keep the caller's process alive).
    this.arm(watcher, wait);
  }

  private arm(watcher: Watcher, wait: number): void {
    watcher.timer = this.clock.setTimeout(
      () => {
        watcher.timer = null;
        if (!this.watchers.has(watcher)) return;
        // Timers may fire a little early against the wall clock (Node's cached loop time).
        const left = watcher.lastAt + watcher.intervalMs - this.clock.now();
        if (left > 0) return this.arm(watcher, left);
        const now = this.read();
        if (!sameCounts(watcher.last, now)) this.emit(watcher, now);
      },
      wait,
      false,
    );
  }

  private emit(watcher: Watcher, counts: InstanceCounts): void {
    watcher.last = counts;
    watcher.lastAt = this.clock.now();
    watcher.onSample({ at: watcher.lastAt, ...counts });
  }
}

export function sameCounts(a: InstanceCounts | null, b: InstanceCounts): boolean {
  return (
    a !== null &&
    a.starting === b.starting &&
    a.ready === b.ready &&
    a.busy === b.busy &&
    a.inFlight === b.inFlight &&
    a.queued === b.queued &&
    a.desired === b.desired &&
    a.panic === b.panic
  );
}

/** The counts of several pools of one function: summed; desired summed over the pools that have one. */
export function addCounts(parts: InstanceCounts[]): InstanceCounts {
  const total: InstanceCounts = {
    starting: 0,
    ready: 0,
    busy: 0,
    inFlight: 0,
    queued: 0,
    desired: null,
    panic: null,
  };
  for (const p of parts) {
    total.starting += p.starting;
    total.ready += p.ready;
    total.busy += p.busy;
    total.inFlight += p.inFlight;
    total.queued += p.queued;
    if (p.desired !== null) total.desired = (total.desired ?? 0) + p.desired;
    if (p.panic !== null) total.panic = total.panic === true || p.panic;
  }
  return total;
}
