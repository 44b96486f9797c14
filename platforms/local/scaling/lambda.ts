import type { Clock, ClockTimer } from "../../../lib/clock";
import type { PoolInstance } from "../instance-factory";
import { liveCount, type PoolControl, type ScalingPolicy } from "./policy";
import type { ScalingSettings } from "./settings";

/**
 * Lambda's scaling, per request: a request that finds no free slot starts an instance (up to
 * maxInstances, retiring ones counted until they exit), else waits up to queueTimeout and is
 * throttled; an instance idle for idleTimeout stops, down to minInstances.
 */
export class LambdaPolicy implements ScalingPolicy {
  readonly queueTimeoutMs: number;
  private readonly idleTimers = new Map<PoolInstance, ClockTimer>();
  /** Instances kept even when idle: minInstances, until another deployment of the function takes over. */
  private minimum: number;

  constructor(
    private readonly settings: ScalingSettings,
    private readonly pool: PoolControl,
    private readonly clock: Clock,
  ) {
    this.queueTimeoutMs = settings.queueTimeoutMs ?? 0;
    this.minimum = settings.minInstances;
  }

  startsForRequest(): boolean {
    return this.pool.instances.length < this.settings.maxInstances;
  }

  onQueued(): void {}

  observe(): void {}

  onBusy(instance: PoolInstance): void {
    this.cancelIdle(instance);
  }

  onIdle(instance: PoolInstance): void {
    this.cancelIdle(instance);
    // An idle instance must not keep the caller's process alive.
    const timer = this.clock.setTimeout(() => this.scaleDown(instance), this.settings.idleTimeoutMs, false);
    this.idleTimers.set(instance, timer);
  }

  onExit(instance: PoolInstance): void {
    this.cancelIdle(instance);
  }

  fill(): void {
    while (liveCount(this.pool.instances) < this.minimum) {
      const instance = this.pool.start();
      if (!instance) return;
      this.onIdle(instance);
    }
  }

  demote(): void {
    this.minimum = 0;
    for (const instance of this.pool.instances)
      if (instance.assigned === 0 && !instance.retiring) this.onIdle(instance);
  }

  desired(): null {
    return null;
  }

  panic(): null {
    return null;
  }

  throttleMessage(): string {
    const { maxInstances, concurrency, queueTimeoutMs } = this.settings;
    return (
      `all ${maxInstances} instances were busy for ${(queueTimeoutMs ?? 0) / 1000} s ` +
      `(maxInstances ${maxInstances}, concurrency ${concurrency})`
    );
  }

  stop(): void {
    for (const timer of this.idleTimers.values()) this.clock.clearTimeout(timer);
    this.idleTimers.clear();
  }

  private scaleDown(instance: PoolInstance): void {
    this.idleTimers.delete(instance);
    if (instance.assigned > 0 || liveCount(this.pool.instances) <= this.minimum) return;
    this.pool.retire(instance);
  }

  private cancelIdle(instance: PoolInstance): void {
    const timer = this.idleTimers.get(instance);
    if (timer) this.clock.clearTimeout(timer);
    this.idleTimers.delete(instance);
  }
}
