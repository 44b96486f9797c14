/**
 * Figures for map() (issue 10), on the local platform. Prints, does not assert.
 *   node dist/bench/map.js          (part of make bench)
 * I/O-bound: 3,000 elements × 10 ms of simulated I/O, 100 workers against 1 worker in the same run.
 * Overhead: round trip − in-function runtime per chunk (latencyMs), p50/p99.
 * CPU-bound: primes counted per chunk with 1, 2, 4, 8 workers, against the host's cores.
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, map, shutdown, type MapResult } from "../lib";
import { describe } from "./stats";

const ELEMENTS = 3000;

/** Each element costs ~10 ms of waiting (a service call); the result is the element doubled. */
const simulatedIo = async (xs: number[]): Promise<number[]> => {
  const out: number[] = [];
  for (const x of xs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    out.push(x * 2);
  }
  return out;
};

/** Each element is a range [n, n + 20,000): the primes in it, by trial division. */
const countPrimes = async (starts: number[]): Promise<number[]> =>
  starts.map((start) => {
    let count = 0;
    for (let n = Math.max(2, start); n < start + 20000; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) {
        if (n % d === 0) {
          prime = false;
          break;
        }
      }
      if (prime) count++;
    }
    return count;
  });

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function overhead(m: MapResult<unknown>): string {
  const { p50, p99, n } = describe(m.experiment.column("latencyMs"));
  return `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (n=${n})`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await run();
  return { value, ms: performance.now() - t0 };
}

async function ioBound(): Promise<void> {
  const fn = cloudFunction("bench_map_io", simulatedIo, { config: { maxInstances: 100, timeout: 300 } });
  const xs = Array.from({ length: ELEMENTS }, (_, i) => i);
  await fn.deploy();
  const cold = await timed(() => map(fn, xs, { workers: 100, name: "io_cold" }));
  const one = await timed(() => map(fn, xs, { workers: 1, name: "io_1_worker" }));
  const hundred = await timed(() => map(fn, xs, { workers: 100, name: "io_100_workers" }));
  const sameChunks = await timed(() =>
    map(fn, xs, { chunkSize: 30, workers: 1, name: "io_100_chunks_1_in_flight" }),
  );
  const speedup = one.value.report.durationMs / hundred.value.report.durationMs;
  console.log(`I/O-bound map, ${ELEMENTS} elements × 10 ms (local, ${os.cpus().length} cores):`);
  console.log(`  1 worker (1 chunk):            ${seconds(one.value.report.durationMs)}`);
  console.log(
    `  100 workers, warm:             ${seconds(hundred.value.report.durationMs)}  → speedup ${speedup.toFixed(1)}×  [target ≥ 25×]`,
  );
  console.log(
    `  100 workers, first run (cold): ${seconds(cold.value.report.durationMs)} (${cold.value.report.coldStarts} cold starts) → ${(one.value.report.durationMs / cold.value.report.durationMs).toFixed(1)}×`,
  );
  console.log(`  100 chunks of 30, 1 in flight: ${seconds(sameChunks.value.report.durationMs)}`);
  console.log(`  overhead per chunk (round trip − runtime):`);
  console.log(`    100 in flight: ${overhead(hundred.value)}`);
  console.log(`    1 in flight:   ${overhead(sameChunks.value)}`);
  console.log(
    `  map's own time outside the invocations (call − lanes): ${(hundred.ms - hundred.value.report.durationMs).toFixed(1)} ms for 100 workers`,
  );
}

async function cpuBound(): Promise<void> {
  // 1,769 MB is one vCPU on Lambda: each instance is one single-threaded Node process anyway.
  const fn = cloudFunction("bench_map_primes", countPrimes, {
    config: { maxInstances: 8, memory: 1769, timeout: 300 },
  });
  const starts = Array.from({ length: 160 }, (_, i) => 2_000_000 + i * 20_000);
  await map(fn, starts.slice(0, 8), { workers: 8, name: "primes_warmup" });
  console.log(
    `CPU-bound map (primes in 160 ranges of 20,000 numbers from 2,000,000), ${os.cpus().length} cores:`,
  );
  console.log(
    "  (an idle host stops at ~1 worker per core; on a busy one more processes also win a larger share of its CPUs)",
  );
  let base = 0;
  for (const workers of [1, 2, 4, 8]) {
    const m = await map(fn, starts, { workers, name: `primes_${workers}` });
    base ||= m.report.durationMs;
    const runtime = describe(m.experiment.column("runtimeMs")).p50;
    console.log(
      `  ${workers} worker${workers === 1 ? " " : "s"}: ${seconds(m.report.durationMs)}  speedup ${(base / m.report.durationMs).toFixed(2)}×  (median chunk runtime ${seconds(runtime)})`,
    );
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-map-"));
  configure({ workspace: dir, platform: "local" });
  try {
    console.log(
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")} (a busy host makes these noisy)`,
    );
    await ioBound();
    await cpuBound();
  } finally {
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
