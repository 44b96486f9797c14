import type { Clock } from "../../../lib/clock";
import type { PoolInstance } from "../instance-factory";
import { liveCount, type PoolControl, type ScalingPolicy } from "./policy";
import type { ScalingSettings } from "./settings";
import { TickedPolicy } from "./ticked-policy";

/**
 * Cloud Run (peers.md §7): a request that finds no free slot starts an instance (scale from zero is
 * triggered by requests only), up to maxInstances; at the cap it waits up to pendingTimeout, then
 * 429. Every tick the concurrency averaged over the window (1 min) asks for
 * ceil(average / (concurrency × concurrencyUtilization)) instances, started ahead of demand; an
 * instance idle for idleTimeout stops when more are live than that count (and minInstances).
 */
export class CloudRunPolicy extends TickedPolicy implements ScalingPolicy {
  readonly queueTimeoutMs: number;
  private wanted: number;
  private readonly idleSince = new Map<PoolInstance, number>();
  private minimum: number;

  constructor(settings: ScalingSettings, pool: PoolControl, clock: Clock) {
    super(settings, pool, clock);
    this.queueTimeoutMs = settings.queueTimeoutMs ?? 0;
    this.minimum = settings.minInstances;
    this.wanted = settings.minInstances;
  }

  startsForRequest(): boolean {
    return this.pool.instances.length < this.settings.maxInstances;
  }

  onQueued(): void {}

  onBusy(instance: PoolInstance): void {
    this.idleSince.delete(instance);
  }

  onIdle(instance: PoolInstance): void {
    this.idleSince.set(instance, this.clock.now());
  }

  onExit(instance: PoolInstance): void {
    this.idleSince.delete(instance);
  }

  fill(): void {
    while (!this.stopped && liveCount(this.pool.instances) < this.minimum) {
      const instance = this.pool.start();
      if (!instance) return;
      this.onIdle(instance);
    }
    this.observe();
  }

  demote(): void {
    this.minimum = 0;
  }

  desired(): number {
    return this.wanted;
  }

  panic(): null {
    return null;
  }

  throttleMessage(): string {
    const { maxInstances, concurrency, queueTimeoutMs } = this.settings;
    return (
      `no instance became available within the pending timeout of ${(queueTimeoutMs ?? 0) / 1000} s: ` +
      `all ${maxInstances} instances were busy (maxInstances ${maxInstances}, concurrency ${concurrency})`
    );
  }

  protected decide(now: number): boolean {
    const s = this.settings;
    const average = this.meter.average(now, s.stableWindowMs);
    const byTarget = Math.ceil(average / s.cloudRunTargetPerInstance);
    this.wanted = Math.min(Math.max(byTarget, this.minimum), s.maxInstances);
    let live = liveCount(this.pool.instances);
    while (live < this.wanted) {
      const started = this.pool.start();
      if (!started) break;
      this.onIdle(started); // started ahead of demand: idle until a request comes
      live++;
    }
    // Idle longest first; only instances idle for idleTimeout, only above the wanted count.
    const idle = [...this.idleSince].filter(([i, since]) => !i.retiring && now - since >= s.idleTimeoutMs);
    idle.sort((a, b) => a[1] - b[1]);
    for (const [instance] of idle) {
      if (live <= this.wanted) break;
      this.idleSince.delete(instance);
      this.pool.retire(instance);
      live--;
    }
    this.pool.changed();
    return this.pool.instances.length === 0 && this.concurrency() === 0;
  }
}
