import type { Clock, ClockTimer } from "../../lib/clock";

/**
 * lib's Clock on manual time: nothing moves until advance(), which fires the timers that came due in
 * order, each at its own time (so a timer set by a timer inside the same advance fires too).
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(startAt = 1_700_000_000_000) {
    this.time = startAt;
  }

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const id = this.nextId++;
    this.timers.push({ at: this.time + Math.max(0, ms), fn, id });
    return { id };
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers = this.timers.filter((t) => t.id !== timer.id);
  }

  /** Moves time forward by `ms`, firing due timers in order at their own time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = end;
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length;
  }
}
