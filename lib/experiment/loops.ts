import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { roundMs } from "../function/invoke";
import type { ClosedLoopPlan, OpenLoopPlan, ResolvedOptions } from "./options";
import type { RunContext } from "./run-context";
import { sleep } from "../sleep";
import { InFlight } from "./in-flight";
import { arrivalOffsets, countArrivals, payloadPlan, seededRandom } from "./schedule";

/** Arrivals sent in one burst before the loop lets completions, timers and an abort in. */
const BURST = 256;

/** FaaSET's closed loop: each thread runs its share of payloads one after another. */
export async function runClosedLoop(
  context: RunContext,
  plan: ClosedLoopPlan,
  options: ResolvedOptions,
): Promise<void> {
  const { threads, runsPerThread } = plan;
  const payloads = payloadPlan(options.payloads.length, threads * runsPerThread, options);
  await Promise.all(
    Array.from({ length: threads }, async (_, thread) => {
      const first = thread * runsPerThread; // this thread's share: positions first … first + runsPerThread − 1
      for (let w = 0; w < plan.warmup && !context.aborted; w++) {
        await context.invokeOne(payloads.at(first + (w % runsPerThread)), thread, -(plan.warmup - w), true);
      }
      for (let run = 0; run < runsPerThread && !context.aborted; run++) {
        if (run > 0 && plan.sleepMs > 0) await sleep(plan.sleepMs);
        if (context.aborted) break;
        await context.invokeOne(payloads.at(first + run), thread, run, false);
      }
    }),
  );
}

/**
 * Open loop: requests leave on schedule whether or not earlier ones finished (load-test style).
 * Each wake-up sends every arrival that is due, so timer granularity does not lower the rate; a long
 * burst of due arrivals yields every BURST sends, so completions and an abort are not starved.
 * Arrivals are generated one at a time (counted first, for the progress total and the payload plan).
 */
export async function runOpenLoop(
  context: RunContext,
  plan: OpenLoopPlan,
  options: ResolvedOptions,
): Promise<void> {
  const total = countArrivals(plan.rps, plan.durationS, plan.arrival, options.seed);
  context.tracker.setTotal(total);
  const payloads = payloadPlan(options.payloads.length, total, options);
  const arrivals = arrivalOffsets(plan.rps, plan.durationS, plan.arrival, seededRandom(options.seed));
  const inFlight = new InFlight();
  const start = Date.now();
  // The same instant on the monotonic clock: sendDelayMs is measured there, to the microsecond.
  const startMonotonic = performance.now();
  let next = arrivals.next();
  let i = 0;
  while (!next.done && !context.aborted && !inFlight.failed) {
    const wait = start + next.value - Date.now();
    if (wait > 1) await sleep(wait);
    // Due within the millisecond: yield to I/O instead of spinning (at > 1,000/s that is every gap).
    else if (wait > 0) await nextTurn();
    const now = Date.now() - start;
    for (let sent = 0; !next.done && next.value <= now && !context.aborted; i++, sent++) {
      if (sent > 0 && sent % BURST === 0) await nextTurn();
      const schedule = { scheduledAt: roundMs(start + next.value), dueAt: startMonotonic + next.value };
      if (context.tracker.inFlight >= plan.maxInFlight) {
        context.recordSkipped(
          payloads.at(i),
          i,
          `${plan.maxInFlight} requests were already in flight (maxInFlight)`,
          schedule.scheduledAt,
        );
      } else {
        inFlight.add(context.invokeOne(payloads.at(i), 0, i, false, schedule));
      }
      next = arrivals.next();
    }
  }
  await inFlight.settled();
}
