// Knative's Pod Autoscaler as pure functions (peers.md §6.2; knative/serving autoscaler.go Scale and
// kpa/scaler.go): one decision per tick from the observed averages, with the panic state carried over.

export interface KpaSpec {
  /** Concurrency per instance aimed for (target × utilisation). */
  targetPerInstance: number;
  /** Fraction: 2 = 200 %. */
  panicThreshold: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  stableWindowMs: number;
}

/** What the autoscaler carries from one tick to the next. */
export interface PanicState {
  /** When the panic-window demand was last over the threshold; null: not panicking. */
  panicSince: number | null;
  /** The highest count wanted while panicking: panic mode never scales down. */
  maxPanicPods: number;
}

export interface KpaObservation {
  now: number;
  /** Ready instances (not starting, not retiring). */
  readyPods: number;
  stableAverage: number;
  panicAverage: number;
  /** The revision receives traffic (an earlier definition's pool does not): scale-down is rate-limited. */
  reachable: boolean;
}

export interface KpaDecision {
  desired: number;
  panic: boolean;
  /** ceil(stable / target), ceil(panic / target): before the rate limits. */
  dspc: number;
  dppc: number;
  state: PanicState;
}

export const CALM: PanicState = { panicSince: null, maxPanicPods: 0 };

/** autoscaler.go Scale: the count wanted this tick, before min/max bounds and scale to zero. */
export function kpaDecide(spec: KpaSpec, state: PanicState, o: KpaObservation): KpaDecision {
  const ready = Math.max(1, o.readyPods);
  const maxScaleUp = Math.ceil(spec.maxScaleUpRate * ready);
  const maxScaleDown = o.reachable ? Math.floor(ready / spec.maxScaleDownRate) : 0;
  const dspc = Math.ceil(o.stableAverage / spec.targetPerInstance);
  const dppc = Math.ceil(o.panicAverage / spec.targetPerInstance);
  const stablePods = Math.min(Math.max(dspc, maxScaleDown), maxScaleUp);
  const panicPods = Math.min(Math.max(dppc, maxScaleDown), maxScaleUp);

  const over = dppc / ready >= spec.panicThreshold;
  let { panicSince, maxPanicPods } = state;
  if (over) panicSince = o.now;
  else if (panicSince !== null && panicSince + spec.stableWindowMs < o.now) {
    // The surge has made its way into the stable window.
    panicSince = null;
    maxPanicPods = 0;
  }
  let desired = stablePods;
  if (panicSince !== null) {
    // In panic the larger of the two, and never fewer than already wanted in this panic.
    maxPanicPods = Math.max(maxPanicPods, stablePods, panicPods);
    desired = maxPanicPods;
  }
  return { desired, panic: panicSince !== null, dspc, dppc, state: { panicSince, maxPanicPods } };
}

/** The scaler's state (kpa.go's PodAutoscaler status, as far as scale to zero needs it). */
export interface ActivityState {
  /** Active since (ready instances serving a wanted scale); null: not active. */
  activeSince: number | null;
  /** Marked inactive at; null while active or activating. */
  inactiveSince: number | null;
  /** initialScale was reached once (from then on it no longer raises the minimum). */
  initialized: boolean;
}

export interface ScaleBounds {
  minScale: number;
  maxScale: number;
  initialScale: number;
  stableWindowMs: number;
  scaleToZeroGraceMs: number;
}

/**
 * kpa/scaler.go scale + handleScaleToZero, then kpa.go computeActiveCondition: bounds (initialScale
 * raises the minimum until reached once), and 0 only after the revision was active for the stable
 * window (until then at most 1), was then marked inactive, and stayed inactive for the grace period.
 * Returns the scale to apply, or null to leave the current scale as it is.
 */
export function kpaScale(
  bounds: ScaleBounds,
  state: ActivityState,
  now: number,
  wanted: number,
  readyPods: number,
): { scale: number | null; state: ActivityState } {
  const next = { ...state };
  const min = state.initialized ? bounds.minScale : Math.max(bounds.minScale, bounds.initialScale);
  let scale: number | null = Math.min(Math.max(wanted, min), bounds.maxScale);
  if (scale === 0) {
    if (next.activeSince !== null) {
      if (now - next.activeSince >= bounds.stableWindowMs) {
        next.activeSince = null;
        next.inactiveSince = now;
        scale = null;
      } else scale = 1;
    } else if (next.inactiveSince === null) {
      scale = null; // still activating: Knative leaves it until the activation timeout
    } else if (now - next.inactiveSince < bounds.scaleToZeroGraceMs) {
      scale = null;
    }
  }
  if (scale === 0) next.inactiveSince ??= now;
  else if (scale !== null && scale > 0 && next.inactiveSince === null && next.activeSince === null) {
    // Activating (initialScale or a request at zero): active once an instance is ready.
    if (readyPods >= 1) next.activeSince = now;
  } else if (scale !== null && scale > 0 && next.inactiveSince !== null) {
    // Wanted again after going inactive: activating, or active at once with a ready instance.
    next.inactiveSince = null;
    next.activeSince = readyPods >= 1 ? now : null;
  }
  if (readyPods >= bounds.initialScale) next.initialized = true;
  return { scale, state: next };
}
