/**
 * Figures for a large experiment (item 3 of the reliability issue): 1,000,000 no-op invocations on the
 * local platform, the parent's peak RSS (target < 1 GB), then what reading the result costs.
 * Prints, does not assert: timing is never a test (test/integration/experiment-memory.test.ts checks
 * that rows are not retained, on a shorter run).
 *   node dist/bench/experiment-large.js [invocations] [threads]
 */
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, experiment, load, shutdown } from "../lib";

const INVOCATIONS = Number(process.argv[2] ?? 1_000_000);
const THREADS = Number(process.argv[3] ?? 64);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The value, and "wall s (CPU s)": on a shared machine the CPU time is the steadier figure. */
function timed<T>(body: () => T): [T, string] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = body();
  return [value, took(t0, cpu0)];
}

function took(t0: number, cpu0: NodeJS.CpuUsage): string {
  const cpu = process.cpuUsage(cpu0);
  return `${s(performance.now() - t0)} (CPU ${s((cpu.user + cpu.system) / 1000)})`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-large-"));
  configure({ workspace: dir });
  const fn = cloudFunction("bench_large", (_request: unknown) => null, {
    config: { concurrency: 1, maxInstances: 8 },
  });
  let peakSampled = 0;
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)), 200);
  try {
    await experiment(fn, { threads: 8, runsPerThread: 10, name: "warm" });
    const startRss = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await experiment(fn, {
      threads: THREADS,
      runsPerThread: Math.ceil(INVOCATIONS / THREADS),
      name: "large",
    });
    const runMs = performance.now() - t0;
    const runTook = took(t0, cpu0);
    clearInterval(sampler);
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const n = r.rows.length;
    console.log(
      `${n.toLocaleString("en")} invocations, ${THREADS} threads: ${runTook}, ${Math.round(n / (runMs / 1000)).toLocaleString("en")}/s (results.csv included); RSS at start ${mb(startRss)}, peak ${mb(peakRss)} (sampled ${mb(peakSampled)}), ` +
        `after ${mb(process.memoryUsage().rss)}  [target: peak < 1 GB]`,
    );
    const [summary, summaryMs] = timed(() => r.summary());
    const [, overviewMs] = timed(() => r.overview());
    const [count, iterateMs] = timed(() => {
      let k = 0;
      for (const row of r.rows) if (typeof row.roundTripMs === "number") k += 1;
      return k;
    });
    const [back, loadMs] = timed(() => load(fn, "large"));
    console.log(
      `result: summary() ${summaryMs} (p50 round trip ${(summary.roundTripMs.p50 ?? NaN).toFixed(3)} ms), overview() ${overviewMs}, ` +
        `for…of r.rows ${iterateMs} (${count.toLocaleString("en")} rows), load() ${loadMs} (${back.rows.length.toLocaleString("en")} rows); ` +
        `peak RSS now ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    clearInterval(sampler);
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
