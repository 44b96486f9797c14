import type { ClosedLoopPlan, OpenLoopPlan, ResolvedOptions } from "./options";
import type { RunContext } from "./run-context";
import { sleep } from "../sleep";
import { arrivalOffsets, distributePayloads, seededRandom } from "./schedule";

/** FaaSET's closed loop: each thread runs its share of payloads one after another. */
export async function runClosedLoop(
  context: RunContext,
  plan: ClosedLoopPlan,
  options: ResolvedOptions,
): Promise<void> {
  const shares = distributePayloads(options.payloads.length, plan.threads, plan.runsPerThread, options);
  await Promise.all(
    shares.map(async (share, thread) => {
      for (let w = 0; w < plan.warmup && !context.aborted; w++) {
        await context.invokeOne(share[w % share.length], thread, -(plan.warmup - w), true);
      }
      for (let run = 0; run < share.length && !context.aborted; run++) {
        if (run > 0 && plan.sleepMs > 0) await sleep(plan.sleepMs);
        if (context.aborted) break;
        await context.invokeOne(share[run], thread, run, false);
      }
    }),
  );
}

/**
 * Open loop: requests leave on schedule whether or not earlier ones finished (load-test style).
 * Each wake-up sends every arrival that is due, so timer granularity does not lower the rate.
 */
export async function runOpenLoop(
  context: RunContext,
  plan: OpenLoopPlan,
  options: ResolvedOptions,
): Promise<void> {
  const random = seededRandom(options.seed);
  const offsets = arrivalOffsets(plan.rps, plan.durationS, plan.arrival, random);
  context.tracker.setTotal(offsets.length);
  const payloadOrder = distributePayloads(options.payloads.length, 1, offsets.length, options)[0];
  const pending: Promise<void>[] = [];
  const start = Date.now();
  for (let i = 0; i < offsets.length && !context.aborted; ) {
    const wait = start + offsets[i] - Date.now();
    if (wait > 1) await sleep(wait);
    const now = Date.now() - start;
    for (; i < offsets.length && offsets[i] <= now && !context.aborted; i++) {
      if (context.tracker.inFlight >= plan.maxInFlight) {
        context.recordSkipped(
          payloadOrder[i],
          i,
          `${plan.maxInFlight} requests were already in flight (maxInFlight)`,
        );
      } else {
        pending.push(context.invokeOne(payloadOrder[i], 0, i, false));
      }
    }
  }
  await Promise.all(pending);
}
