/**
 * peers.md §6.2 steps 1–5 written out again for the fidelity bench, apart from the platform's own
 * code (platforms/local/scaling/kpa.ts), and a plain time-weighted window average over what the
 * bench itself observed: the bench compares the two.
 */

/** What the bench saw: from `at` on, `concurrency` requests and `ready` ready instances. */
export interface Observed {
  at: number;
  concurrency: number;
  ready: number;
}

/** Average concurrency over [max(first data, t − window), t]; data = a ready instance or a request. */
export function windowAverage(steps: Observed[], t: number, windowMs: number): number {
  const firstData = steps.find((s) => s.ready > 0 || s.concurrency > 0)?.at;
  if (firstData === undefined || firstData > t) return 0;
  const from = Math.max(firstData, t - windowMs);
  if (from >= t) return valueAt(steps, t);
  let area = 0;
  for (let i = 0; i < steps.length; i++) {
    const start = Math.max(steps[i].at, from);
    const end = Math.min(i + 1 < steps.length ? steps[i + 1].at : t, t);
    if (end > start) area += steps[i].concurrency * (end - start);
  }
  return area / (t - from);
}

export function valueAt(steps: Observed[], t: number): number {
  let value = 0;
  for (const s of steps) if (s.at <= t) value = s.concurrency;
  return value;
}

export function readyAt(steps: Observed[], t: number): number {
  let ready = 0;
  for (const s of steps) if (s.at <= t) ready = s.ready;
  return ready;
}

export interface ReferenceSpec {
  target: number;
  panicThreshold: number;
  upRate: number;
  downRate: number;
  stableMs: number;
}

/** One tick of §6.2: returns the count wanted and the panic state to carry. */
export function referenceTick(
  spec: ReferenceSpec,
  carried: { panicAt: number | null; panicMax: number },
  t: number,
  readyPods: number,
  stable: number,
  panic: number,
): { wanted: number; panicking: boolean; carried: { panicAt: number | null; panicMax: number } } {
  const ready = readyPods < 1 ? 1 : readyPods; // step 1
  const dspc = Math.ceil(stable / spec.target); // step 3
  const dppc = Math.ceil(panic / spec.target);
  const low = Math.floor(ready / spec.downRate); // step 4
  const high = Math.ceil(spec.upRate * ready);
  const clamp = (n: number) => (n < low ? low : n > high ? high : n);
  let { panicAt, panicMax } = carried; // step 5
  if (dppc / ready >= spec.panicThreshold) panicAt = t;
  else if (panicAt !== null && t > panicAt + spec.stableMs) [panicAt, panicMax] = [null, 0];
  if (panicAt === null) return { wanted: clamp(dspc), panicking: false, carried: { panicAt, panicMax } };
  panicMax = Math.max(panicMax, clamp(dspc), clamp(dppc));
  return { wanted: panicMax, panicking: true, carried: { panicAt, panicMax } };
}
