/** One change of the observed concurrency: from `at` on, `value` requests, with or without data. */
interface Step {
  at: number;
  value: number;
  /** A metric would be written (a ready instance is scraped, or the activator holds requests). */
  present: boolean;
  /** ∫ value dt from the first step kept to `at` (request·ms). */
  integral: number;
}

/**
 * The concurrency an autoscaler observes (requests in instances + waiting for one), averaged over a
 * window as Knative's metric buckets do (aggregation/bucketing.go WindowAverage): over the part of the
 * window since data began when it began less than a window ago (a gap of a whole window restarts it),
 * up to the last moment with data; 0 when there was none for a whole window. Knative averages 1 s
 * buckets; this integrates the step function exactly, so nothing depends on where a second starts.
 */
export class ConcurrencyMeter {
  private steps: Step[] = [];
  /** Steps before `head` are dropped (compacted now and then, so recording stays O(1) on average). */
  private head = 0;

  constructor(
    /** Steps older than this are dropped (the longest window asked for). */
    private readonly keepMs: number,
  ) {}

  record(at: number, value: number, present: boolean): void {
    const last = this.steps[this.steps.length - 1];
    if (last && last.value === value && last.present === present) return;
    const integral = last ? last.integral + last.value * (at - last.at) : 0;
    if (last && last.at === at) this.steps[this.steps.length - 1] = { ...last, value, present };
    else this.steps.push({ at, value, present, integral });
    this.prune(at);
  }

  /** The value now (the last recorded). */
  get current(): number {
    return this.steps[this.steps.length - 1]?.value ?? 0;
  }

  /** The window average at `now` over the last `windowMs` (see the class comment). */
  average(now: number, windowMs: number): number {
    const from = now - windowMs;
    const lastData = this.lastPresent(now);
    if (lastData === null || lastData <= from) {
      // No data for a whole window; at a window of 0 the value of this instant.
      return windowMs === 0 && lastData === now ? this.valueAt(now) : 0;
    }
    const start = Math.max(from, this.dataStart(now, windowMs));
    if (lastData <= start) return this.valueAt(start);
    return (this.integralAt(lastData) - this.integralAt(start)) / (lastData - start);
  }

  /** The last moment ≤ now with data (now itself while data is present). */
  private lastPresent(now: number): number | null {
    for (let i = this.steps.length - 1; i >= this.head; i--) {
      const step = this.steps[i];
      if (step.at > now) continue;
      if (step.present)
        return i === this.steps.length - 1 || this.steps[i + 1].at > now ? now : this.steps[i + 1].at;
    }
    return null;
  }

  /** Where the current run of data began: after the last gap (no data) of at least `windowMs`. */
  private dataStart(now: number, windowMs: number): number {
    let runStart = -Infinity;
    let gapStart: number | null = null;
    for (let i = this.head; i < this.steps.length; i++) {
      const step = this.steps[i];
      if (step.at > now) break;
      if (!step.present) {
        gapStart ??= step.at;
        continue;
      }
      // The first data ever, or the first after a whole window without any, starts a run.
      if (runStart === -Infinity || (gapStart !== null && step.at - gapStart >= windowMs)) runStart = step.at;
      gapStart = null;
    }
    return runStart;
  }

  private indexAt(t: number): number {
    let lo = this.head;
    let hi = this.steps.length - 1;
    if (hi < lo || this.steps[lo].at > t) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.steps[mid].at <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private valueAt(t: number): number {
    const i = this.indexAt(t);
    return i < 0 ? 0 : this.steps[i].value;
  }

  private integralAt(t: number): number {
    const i = this.indexAt(t);
    if (i < 0) return 0;
    const step = this.steps[i];
    return step.integral + step.value * (t - step.at);
  }

  /** Drops steps wholly before the kept span, keeping the one in force at its start. */
  private prune(now: number): void {
    const horizon = now - 2 * this.keepMs;
    while (this.head + 1 < this.steps.length && this.steps[this.head + 1].at <= horizon) this.head++;
    if (this.head > 1024 && this.head * 2 > this.steps.length) {
      this.steps = this.steps.slice(this.head);
      this.head = 0;
    }
  }
}
