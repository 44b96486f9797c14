/**
 * How big one experiment run may be, checked before anything is deployed or written.
 *
 * The runner keeps no row in memory beyond a fixed budget (see store/budget.ts), but a few numbers per
 * invocation remain: its start and end for runtimeOverlap (16 bytes during the run, up to 48 at the
 * end), its place in a shuffled payload order (1–4 bytes) and its runtimeOverlap in the result
 * (8 bytes). MAX_INVOCATIONS keeps that under ~0.5 GB; a journal of that many rows is ~10 GB on disk.
 * Larger plans are split into several runs (each is its own run-N).
 */
export const MAX_INVOCATIONS = 10_000_000;

/**
 * Requests one run may have in flight at once (closed loop: `threads`; open loop: `maxInFlight`).
 * Each is a pending promise with its own request state and a listener on the AbortSignal: thousands
 * are fine, millions would exhaust memory and sockets before the first one returned.
 */
export const MAX_IN_FLIGHT = 10_000;

const fmt = (n: number): string => (Number.isFinite(n) ? n.toLocaleString("en") : String(n));

/** The size problems of a closed loop (empty when it fits). Only called with valid whole numbers. */
export function closedLoopSizeProblems(threads: number, runsPerThread: number, warmup: number): string[] {
  const problems: string[] = [];
  if (threads > MAX_IN_FLIGHT) {
    problems.push(
      `"threads" is ${fmt(threads)}: at most ${fmt(MAX_IN_FLIGHT)} requests can be in flight at once`,
    );
  }
  const total = threads * (runsPerThread + warmup);
  if (total > MAX_INVOCATIONS) {
    const parts = warmup > 0 ? `${fmt(threads)} × (${fmt(runsPerThread)} + ${fmt(warmup)} warmup)` : null;
    problems.push(
      `threads × runsPerThread = ${parts ?? `${fmt(threads)} × ${fmt(runsPerThread)}`} = ${fmt(total)} invocations: ` +
        `at most ${fmt(MAX_INVOCATIONS)} per experiment run`,
    );
  }
  return problems;
}

/** The size problems of an open loop (empty when it fits). Only called with valid positive numbers. */
export function openLoopSizeProblems(rps: number, durationS: number, maxInFlight: number): string[] {
  const problems: string[] = [];
  if (maxInFlight > MAX_IN_FLIGHT) {
    problems.push(
      `"maxInFlight" is ${fmt(maxInFlight)}: at most ${fmt(MAX_IN_FLIGHT)} requests can be in flight at once`,
    );
  }
  const expected = rps * durationS;
  if (expected > MAX_INVOCATIONS) {
    problems.push(
      `rps × durationS = ${fmt(rps)} × ${fmt(durationS)} = ${fmt(expected)} expected arrivals: ` +
        `at most ${fmt(MAX_INVOCATIONS)} per experiment run`,
    );
  }
  return problems;
}

/** The hint of a ConfigError about size. */
export const SIZE_HINT =
  `an experiment run holds at most ${fmt(MAX_INVOCATIONS)} invocations and ${fmt(MAX_IN_FLIGHT)} in flight; ` +
  `split a larger plan into several experiments (or runs of one name), or lower threads, runsPerThread, rps or durationS`;
