/**
 * Time as a platform sees it. Platforms get a Clock in their context instead of calling Date.now and
 * setTimeout directly, so scaling logic can be driven tick by tick on fake time in unit tests.
 */
export interface Clock {
  /** Wall-clock epoch milliseconds (timestamps that are stored). */
  now(): number;
  /** Monotonic milliseconds (durations). */
  monotonic(): number;
  /** A timer; with `keepAlive: false` it does not keep the process alive by itself. */
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

export interface ClockTimer {
  readonly id: unknown;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(callback, ms, keepAlive = true) {
    const id = setTimeout(callback, ms);
    if (!keepAlive) id.unref();
    return { id };
  },
  clearTimeout(timer) {
    clearTimeout(timer.id as NodeJS.Timeout);
  },
};
