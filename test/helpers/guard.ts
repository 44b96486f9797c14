// Bounds for waits on events: they only turn a hang into a failure with a message, never pace a test.

/** Generous bound for a wait on an event (a loaded machine is slow, not 60 s slow). */
export const HANG_GUARD_MS = 60_000;

/** Resolves with `promise`, or rejects after `guardMs` (a hang guard, not a pacing timer). */
export function withinGuard<T>(promise: Promise<T>, what: string, guardMs = HANG_GUARD_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`waited ${guardMs} ms for ${what}`)), guardMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error as Error);
      },
    );
  });
}
