/** Bounded exponential backoff, as platforms/aws/retry.ts: `attempts` tries, delays base·2ⁿ capped. */
export { backoffDelay, sleep, type Backoff, type Sleep } from "../aws/retry";

/** 429 / 503 on invoke (no instance available yet): 6 tries, about 6 s of waiting at most. */
export const THROTTLE_BACKOFF = { attempts: 6, baseMs: 100, maxMs: 3000 };
