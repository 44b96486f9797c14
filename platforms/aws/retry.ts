/** Bounded exponential backoff: `attempts` tries in all, delays base·2ⁿ capped at `maxMs`. */
export interface Backoff {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/** Throttled invokes (429): 8 tries, about 11 s of waiting at most. */
export const THROTTLE_BACKOFF: Backoff = { attempts: 8, baseMs: 100, maxMs: 5000 };
/** A role IAM has not propagated yet: 8 tries over about 40 s. */
export const ROLE_BACKOFF: Backoff = { attempts: 8, baseMs: 1000, maxMs: 8000 };
/** Another update of the function still in progress (ResourceConflictException). */
export const CONFLICT_BACKOFF: Backoff = { attempts: 4, baseMs: 1000, maxMs: 4000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Delay before retry number `retry` (1 = the first retry): half fixed, half random ("equal jitter"),
 * so concurrent throttled callers spread out but each still waits at least half the step.
 */
export function backoffDelay(backoff: Backoff, retry: number): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + Math.random() * (step / 2);
}

/** Abortable sleep (lib/sleep.ts); tests inject their own `Sleep` instead. */
export { sleep } from "../../lib/sleep";
