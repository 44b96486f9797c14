import type { Clock } from "../../../lib/clock";
import { CALM, kpaDecide, kpaScale, type ActivityState, type PanicState } from "./kpa";
import { liveCount, type PoolControl, type ScalingPolicy } from "./policy";
import type { ScalingSettings } from "./settings";
import { TickedPolicy } from "./ticked-policy";

/** What one tick saw and decided (for tests and the fidelity bench). */
export interface KnativeTick {
  at: number;
  readyPods: number;
  stableAverage: number;
  panicAverage: number;
  /** The autoscaler's count (autoscaler.go), before bounds and scale to zero. */
  wanted: number;
  /** The scale applied after bounds and scale to zero (the previous one when left as it was). */
  desired: number;
  panic: boolean;
}

/**
 * Knative's KPA: every tick (2 s) the averages over the stable (60 s) and panic (6 s) windows give a
 * count (kpa.ts), which the pool is brought to. No instance is started per request: the activator
 * holds requests until an instance is ready, and a request reaching a revision at zero makes an
 * immediate decision (the activator's poke). Requests wait as long as their own timeout allows.
 */
export class KnativePolicy extends TickedPolicy implements ScalingPolicy {
  readonly queueTimeoutMs = null;
  private panicState: PanicState = CALM;
  private activity: ActivityState;
  private scale: number;
  private reachable = true;
  private minScale: number;
  /** The last ticks, newest last (bounded). */
  readonly ticks: KnativeTick[] = [];

  constructor(settings: ScalingSettings, pool: PoolControl, clock: Clock) {
    super(settings, pool, clock);
    this.minScale = settings.minInstances;
    const startsActivating = Math.max(settings.initialScale, settings.minInstances) > 0;
    // A new revision activates with initialScale instances; with 0 it starts inactive.
    this.activity = startsActivating
      ? { activeSince: null, inactiveSince: null, initialized: false }
      : { activeSince: null, inactiveSince: clock.now(), initialized: true };
    this.scale = Math.min(Math.max(settings.initialScale, settings.minInstances), settings.maxInstances);
  }

  startsForRequest(): boolean {
    return false;
  }

  onQueued(): void {
    if (liveCount(this.pool.instances) === 0) this.tickNow();
  }

  onBusy(): void {}
  onIdle(): void {}
  onExit(): void {}

  /** Brings the pool to the current scale (at the start: initialScale; after a crash: a replacement). */
  fill(): void {
    if (this.stopped) return;
    this.scaleTo(this.scale);
    this.observe();
  }

  demote(): void {
    // An earlier definition's revision gets no new traffic: no rate limit on scaling down, no minimum.
    this.reachable = false;
    this.minScale = 0;
    this.activity = { ...this.activity, initialized: true };
  }

  desired(): number {
    return this.scale;
  }

  panic(): boolean {
    return this.panicState.panicSince !== null;
  }

  throttleMessage(): string {
    return "Knative never throttles: requests wait in the activator";
  }

  protected decide(now: number): boolean {
    const s = this.settings;
    const readyPods = this.readyCount();
    const stableAverage = this.meter.average(now, s.stableWindowMs);
    const panicAverage = this.meter.average(now, s.panicWindowMs);
    const decision = kpaDecide(
      {
        targetPerInstance: s.targetPerInstance,
        panicThreshold: s.panicThreshold,
        maxScaleUpRate: s.maxScaleUpRate,
        maxScaleDownRate: s.maxScaleDownRate,
        stableWindowMs: s.stableWindowMs,
      },
      this.panicState,
      { now, readyPods, stableAverage, panicAverage, reachable: this.reachable },
    );
    this.panicState = decision.state;
    const bounds = {
      minScale: this.minScale,
      maxScale: s.maxInstances,
      initialScale: s.initialScale,
      stableWindowMs: s.stableWindowMs,
      scaleToZeroGraceMs: s.scaleToZeroGraceMs,
    };
    const { scale, state } = kpaScale(bounds, this.activity, now, decision.desired, readyPods);
    this.activity = state;
    if (scale !== null) this.scale = scale;
    this.scaleTo(this.scale);
    const tick = { at: now, readyPods, stableAverage, panicAverage, wanted: decision.desired };
    this.ticks.push({ ...tick, desired: this.scale, panic: decision.panic });
    if (this.ticks.length > 1000) this.ticks.splice(0, this.ticks.length - 1000);
    this.pool.changed();
    return (
      this.scale === 0 && this.pool.instances.length === 0 && this.concurrency() === 0 && !decision.panic
    );
  }
}
