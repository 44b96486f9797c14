/**
 * Figures for the experiment runner (issue 3). Prints, does not assert.
 *   node dist/bench/experiment.js          (part of make bench)
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, experiment, shutdown } from "../lib";
import { handleOf } from "../lib/function/cloud-function";
import { platformFor } from "../lib/registry";
import { RunContext } from "../lib/experiment/run-context";
import { median } from "./stats";

const CALLS = 40000;

/** The platform alone: `inFlight` loops calling platform.invoke, each call timed. */
async function rawPlatform(
  fn: Parameters<typeof handleOf>[0],
  inFlight: number,
): Promise<{ rtt: number; rate: number }> {
  const deployment = await handleOf(fn).deploy();
  const platform = platformFor(deployment.platform);
  const samples: number[] = [];
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (issued++ < CALLS) {
        const start = performance.now();
        await platform.invoke(deployment, {});
        samples.push(performance.now() - start);
      }
    }),
  );
  return { rtt: median(samples), rate: CALLS / ((performance.now() - t0) / 1000) };
}

/**
 * The runner, with its own per-invocation cost measured directly: the time RunContext.invokeOne takes
 * (placing, invoking, flattening, journaling) minus the invocation's roundTripMs.
 */
async function runner(
  fn: Parameters<typeof experiment>[0],
  threads: number,
): Promise<{ rtt: number; rate: number; own: number }> {
  const original = RunContext.prototype.invokeOne;
  const spans: number[] = [];
  RunContext.prototype.invokeOne = async function (this: RunContext, ...args: Parameters<typeof original>) {
    const start = performance.now();
    await original.apply(this, args);
    spans.push(performance.now() - start - (this.lastRow?.roundTripMs as number));
  };
  try {
    const t0 = performance.now();
    const result = await experiment(fn, {
      threads,
      runsPerThread: Math.ceil(CALLS / threads),
      name: `bench-${threads}`,
      overwrite: true,
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      rtt: median(result.column("roundTripMs")),
      rate: result.rows.length / seconds,
      own: median(spans),
    };
  } finally {
    RunContext.prototype.invokeOne = original;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-exp-"));
  configure({ workspace: dir });
  const fn = cloudFunction("bench_noop", (_request: unknown) => null, {
    config: { concurrency: 1, maxInstances: 8 },
  });
  try {
    await rawPlatform(fn, 64); // warm every instance
    for (const threads of [32, 64]) {
      const raw = await rawPlatform(fn, threads);
      const ours = await runner(fn, threads);
      console.log(
        `${threads} threads: runner's own cost per invocation (median) ${(ours.own * 1000).toFixed(0)} µs` +
          `${threads === 32 ? "  [target ≤ 0.2 ms]" : ""}; median round trip ${ours.rtt.toFixed(3)} ms vs ` +
          `${raw.rtt.toFixed(3)} ms raw platform; throughput ${Math.round(ours.rate).toLocaleString("en")}/s vs ` +
          `${Math.round(raw.rate).toLocaleString("en")}/s raw = ${((100 * ours.rate) / raw.rate).toFixed(0)}%` +
          `${threads === 64 ? "  [target ≥ 90%]" : ""}`,
      );
    }
  } finally {
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
