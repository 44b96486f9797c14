import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

// The unprivileged way to hold an instance to a CPU share: the parent measures the CPU time the
// instance used and stops it (SIGSTOP to its process group) until the wall clock has paid for it,
// then lets it go on (SIGCONT). A token bucket, like the kernel's CFS bandwidth control: the instance
// earns `vcpu` ms of CPU per ms of wall time, keeps at most one period's worth while idle (no burst
// after a long pause), and runs into debt between two measurements, which it pays by being stopped.
// The debt is counted from cumulative CPU time, so late timers (a busy parent) and /proc's 10 ms
// resolution shift single stops but not the long-run share.

/** Linux's USER_HZ: /proc reports CPU time in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

export interface DutyCycleOptions {
  /**
   * The bucket: at most `vcpu × periodMs` of CPU saved while idle (CFS's default period is 100 ms).
   * Also how often an instance without requests is measured: only background work runs then.
   */
  periodMs: number;
  /** How often a busy instance is measured: the most it can overrun before it is stopped. */
  tickMs: number;
}

export const DUTY_CYCLE_DEFAULTS: DutyCycleOptions = { periodMs: 100, tickMs: 10 };

/**
 * CPU time in ms used by `pid` (all its threads) and by its children it has waited for, from
 * /proc/<pid>/stat (utime, stime, cutime, cstime); null once it is gone.
 */
export function cpuTimeMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces), from field 3 (state) on.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_S : null;
}

/** Stops and continues one instance's process group so it uses `vcpu` CPUs on average. */
export class DutyCycle {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ended = false;
  private tokensMs = 0;
  private lastAt = 0;
  private lastCpuMs = 0;
  /** Requests in flight: measured every tick, else every period (a notebook keeps idle instances for minutes). */
  private busy = false;

  constructor(
    private readonly pid: number,
    private readonly vcpu: number,
    private readonly options: DutyCycleOptions = DUTY_CYCLE_DEFAULTS,
  ) {}

  start(): void {
    const cpu = cpuTimeMs(this.pid);
    if (cpu === null || this.ended || this.timer) return;
    this.lastAt = performance.now();
    this.lastCpuMs = cpu;
    this.tokensMs = this.capMs;
    this.schedule(this.options.tickMs);
  }

  /** The instance took its first request, or finished its last one. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    // Measure soon after work arrives: a request must not run a whole idle period unchecked.
    if (busy && this.timer && !this.stopped) {
      clearTimeout(this.timer);
      this.schedule(this.options.tickMs);
    }
  }

  /** Stops limiting; a stopped instance continues (it may be about to be killed, or still serve). */
  end(): void {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) this.signal("SIGCONT");
    this.stopped = false;
  }

  private get capMs(): number {
    return this.vcpu * this.options.periodMs;
  }

  private tick(): void {
    this.timer = null;
    if (this.ended) return;
    const cpu = cpuTimeMs(this.pid);
    if (cpu === null) return this.end();
    const now = performance.now();
    const earned = this.vcpu * (now - this.lastAt);
    this.tokensMs = Math.min(this.capMs, this.tokensMs + earned) - (cpu - this.lastCpuMs);
    this.lastAt = now;
    this.lastCpuMs = cpu;
    if (this.tokensMs < 0) {
      if (!this.stopped && !this.signal("SIGSTOP")) return this.end();
      this.stopped = true;
      // Stopped until the debt is paid; then measured again (what it used just before the stop may
      // show up in /proc only now, and adds a little more debt).
      this.schedule(Math.max(1, -this.tokensMs / this.vcpu));
    } else {
      if (this.stopped) {
        this.stopped = false;
        if (!this.signal("SIGCONT")) return this.end();
      }
      this.schedule(this.busy ? this.options.tickMs : this.options.periodMs);
    }
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.tick(), ms);
    // The limiter never keeps the caller's process alive: the instance's own handles decide that.
    this.timer.unref();
  }

  /** To the process group the instance leads (what it started stops with it), else to it alone. */
  private signal(signal: "SIGSTOP" | "SIGCONT"): boolean {
    for (const target of [-this.pid, this.pid]) {
      try {
        process.kill(target, signal);
        return true;
      } catch {
        // no such group (yet): try the process
      }
    }
    return false;
  }
}
