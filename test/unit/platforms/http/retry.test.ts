import { test } from "node:test";
import assert from "node:assert/strict";
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from "../../../../platforms/http/retry";

const NOW = Date.parse("2026-11-27T12:00:00Z");

test("Retry-After: delay-seconds or an HTTP date; anything else is unreadable", () => {
  assert.equal(parseRetryAfter("3", NOW), 3000);
  assert.equal(parseRetryAfter(" 0 ", NOW), 0);
  assert.equal(parseRetryAfter("Fri, 27 Nov 2026 12:00:04 GMT", NOW), 4000);
  assert.equal(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", NOW), 0, "a date in the past: now");
  assert.equal(parseRetryAfter("soon", NOW), null);
  assert.equal(parseRetryAfter("-1", NOW), null);
  assert.equal(parseRetryAfter(undefined, NOW), null);
});

test("the server's Retry-After is honoured up to the cap; without it, capped exponential with jitter", () => {
  const backoff = { baseMs: 100, maxMs: 5000 };
  assert.equal(retryDelayMs(backoff, 1, "2", NOW), 2000);
  assert.equal(retryDelayMs(backoff, 1, "3600", NOW), 5000, "an hour is capped");
  for (let retry = 1; retry <= 8; retry++) {
    const step = Math.min(5000, 100 * 2 ** (retry - 1));
    const delay = retryDelayMs(backoff, retry, undefined, NOW);
    assert.ok(delay >= step / 2 && delay <= step, `retry ${retry}: ${delay} within [${step / 2}, ${step}]`);
  }
});

test("only 429 and 503 are retried", () => {
  assert.deepEqual([200, 400, 404, 429, 500, 502, 503, 504].filter(isRetryableStatus), [429, 503]);
});
