/** Bounded exponential backoff for 429/503 answers; Retry-After is honoured up to `maxMs`. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const THROTTLE_BACKOFF: Backoff = { baseMs: 100, maxMs: 5000 };

/** Statuses that mean "try again later" rather than "this request is wrong". */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Delay before retry number `retry` (1 = the first): the server's Retry-After (seconds or an HTTP
 * date) when it sent one, capped at `maxMs`; else base·2ⁿ⁻¹ with equal jitter, capped at `maxMs`.
 */
export function retryDelayMs(
  backoff: Backoff,
  retry: number,
  retryAfter: string | undefined,
  nowMs: number,
): number {
  const asked = parseRetryAfter(retryAfter, nowMs);
  if (asked !== null) return Math.min(asked, backoff.maxMs);
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + Math.random() * (step / 2);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its weekday ("Fri, 27 Nov 2026 12:00:04 GMT"); Date.parse alone takes "-1" too.
  const date = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
