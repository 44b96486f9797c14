/**
 * Figures for instance timelines (issue 11): what recording r.instances costs the runner, and reading
 * it back. Prints, does not assert.   node dist/bench/instance-timeline.js
 *
 * The fleet fixture platform reports a sample on EVERY change (two per invocation here), with no
 * 100 ms spacing: the worst case. The baseline is the same platform registered without the
 * watchInstances capability, measured in the same run. On a loaded machine the figures are noisy.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { configure, experiment, load, shutdown } from "../lib";
import { externalFunction } from "../lib/function/cloud-function";
import { packageRoot } from "../lib/paths";
import { registerPlatform } from "../lib/registry";
import { FleetPlatform, platformModule, useFleetPlatform } from "../test/fixtures/platforms/fleet";
import { median } from "./stats";

const CALLS = 20_000;
const THREADS = 8;
const ROUNDS = 3;

async function run(platform: string, name: string): Promise<{ rate: number; samples: number }> {
  const fn = externalFunction(`bench_${platform}`, platform, { answerMs: 0, startMs: 0, idleMs: 600_000 });
  const t0 = performance.now();
  const r = await experiment(fn, { threads: THREADS, runsPerThread: CALLS / THREADS, name, overwrite: true });
  const rate = CALLS / ((performance.now() - t0) / 1000);
  return { rate, samples: r.instances.length };
}

async function main(): Promise<void> {
  const workspace = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-timeline-"));
  configure({ workspace });
  useFleetPlatform();
  const defaults = path.join(packageRoot(), "test", "fixtures", "platforms", "fleet", "defaults.json");
  registerPlatform(
    "fleet_blind",
    () => ({
      ...platformModule,
      name: "fleet_blind",
      capabilities: ["attach"],
      create: () => new FleetPlatform("fleet_blind"),
    }),
    defaults,
  );
  try {
    const withRates: number[] = [];
    const withoutRates: number[] = [];
    let samples = 0;
    for (let round = 0; round < ROUNDS; round++) {
      withoutRates.push((await run("fleet_blind", "blind")).rate);
      const watched = await run("fleet", "watched");
      withRates.push(watched.rate);
      samples = watched.samples;
    }
    const file = path.join(
      workspace,
      "functions",
      "bench_fleet",
      "experiments",
      "watched",
      "instances.jsonl",
    );
    const t0 = performance.now();
    const back = load("bench_fleet", "watched");
    const loadMs = performance.now() - t0;
    const [on, off] = [median(withRates), median(withoutRates)];
    console.log(
      `instance timeline, ${CALLS} no-op invocations × ${THREADS} threads, median of ${ROUNDS} rounds`,
    );
    console.log(`  without a timeline: ${off.toFixed(0)} invocations/s`);
    console.log(
      `  with a timeline:    ${on.toFixed(0)} invocations/s (${samples} samples, ratio ${(on / off).toFixed(2)})`,
    );
    console.log(
      `  instances.jsonl:    ${(statSync(file).size / 1024).toFixed(0)} KiB, ${(statSync(file).size / samples).toFixed(0)} bytes/sample`,
    );
    console.log(`  load() of the run (rows + ${back.instances.length} samples): ${loadMs.toFixed(0)} ms`);
  } finally {
    await shutdown();
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
