import type { Clock, ClockTimer } from "../../../lib/clock";
import type { PoolInstance } from "../instance-factory";
import { ConcurrencyMeter } from "./concurrency-meter";
import { liveCount, type PoolControl } from "./policy";
import type { ScalingSettings } from "./settings";

/**
 * What the autoscaler policies (cloudrun, knative) share: the observed concurrency (requests in
 * instances + waiting) on the injected clock, and a decision every `tickInterval`, aligned to the
 * pool's start. A pool with no instance and no request sleeps (no timer) until something happens.
 */
export abstract class TickedPolicy {
  protected readonly meter: ConcurrencyMeter;
  private readonly origin: number;
  private timer: ClockTimer | null = null;
  protected stopped = false;

  constructor(
    protected readonly settings: ScalingSettings,
    protected readonly pool: PoolControl,
    protected readonly clock: Clock,
  ) {
    this.meter = new ConcurrencyMeter(settings.stableWindowMs);
    this.origin = clock.now();
  }

  /** One decision; returns whether the pool may sleep (nothing alive, nothing wanted, nothing waiting). */
  protected abstract decide(now: number): boolean;

  observe(): void {
    if (this.stopped) return;
    const concurrency = this.concurrency();
    this.meter.record(this.clock.now(), concurrency, this.readyCount() > 0 || concurrency > 0);
    if (!this.timer && (concurrency > 0 || this.pool.instances.length > 0)) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** A decision now, outside the cadence (Knative's poke when a request reaches a revision at zero). */
  protected tickNow(): void {
    if (this.stopped) return;
    this.observe();
    const idle = this.decide(this.clock.now());
    if (idle && this.timer) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  protected schedule(): void {
    if (this.stopped || this.timer) return;
    const now = this.clock.now();
    const { tickMs } = this.settings;
    const next = this.origin + (Math.floor((now - this.origin) / tickMs) + 1) * tickMs;
    // keepAlive false: an autoscaler alone must not keep the caller's process alive.
    this.timer = this.clock.setTimeout(() => this.onTick(), next - now, false);
  }

  private onTick(): void {
    this.timer = null;
    if (this.stopped) return;
    this.observe();
    const idle = this.decide(this.clock.now());
    if (!idle) this.schedule();
  }

  /** Requests in instances (running or waiting for a start) and in the queue. */
  protected concurrency(): number {
    let n = this.pool.queued;
    for (const instance of this.pool.instances) if (instance.alive) n += instance.assigned;
    return n;
  }

  protected readyCount(): number {
    let n = 0;
    for (const instance of this.pool.instances) if (instance.ready && !instance.retiring) n++;
    return n;
  }

  /** Starts or retires instances until `count` are live; the ones retired are the least useful. */
  protected scaleTo(count: number): void {
    let live = liveCount(this.pool.instances);
    while (live < count && this.pool.start()) live++;
    if (live <= count) return;
    for (const instance of retireOrder(this.pool.instances)) {
      if (live <= count) break;
      this.pool.retire(instance);
      live--;
    }
  }
}

/**
 * Which instances go first when scaling down (as Kubernetes picks pods of a ReplicaSet to delete):
 * not ready before ready, fewer requests before more, newer before older. Retiring is graceful: the
 * requests an instance has still finish.
 */
export function retireOrder(instances: readonly PoolInstance[]): PoolInstance[] {
  const live = instances.map((instance, index) => ({ instance, index })).filter((e) => !e.instance.retiring);
  live.sort(
    (a, b) =>
      Number(a.instance.ready) - Number(b.instance.ready) ||
      a.instance.assigned - b.instance.assigned ||
      b.index - a.index,
  );
  return live.map((e) => e.instance);
}
