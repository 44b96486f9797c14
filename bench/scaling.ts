/**
 * Figures for local's scaling policies (issue 11). Prints, does not assert: timing is never a test.
 * The machine is shared and busy: the figures are noisy, the ratios (same run) less so.
 *   npm run build && node dist/bench/scaling.js
 */
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, shutdown } from "../lib";
import { systemClock } from "../lib/clock";
import type { PoolInstance } from "../platforms/local/instance-factory";
import { InstancePool } from "../platforms/local/pool";
import { Router } from "../platforms/local/router";
import { resolveConfig } from "../lib/config/layers";
import type { LocalConfig } from "../platforms/local/schema";
import { nap } from "../test/helpers/functions";
import { ManualClock } from "../test/helpers/fake-clock";
import { FakeInstanceFactory } from "../test/helpers/fake-instances";
import { removeDir, tempDir } from "../test/helpers/workspace";
import { kpaFidelity, KPA_BENCH_CONFIG } from "./kpa-fidelity";

const INSTANCES = 256;
const DECISIONS = 500_000;

/** 256 instances as plain objects: only what the router reads. */
function fakeInstances(load: (i: number) => number): PoolInstance[] {
  return Array.from({ length: INSTANCES }, (_, i) => ({
    ready: true,
    alive: true,
    retiring: false,
    assigned: load(i),
    running: load(i),
    assign: () => undefined,
    retire: () => undefined,
  }));
}

function routerRate(
  strategy: "first-fit" | "least-loaded",
  concurrency: number,
  load: (i: number) => number,
) {
  const router = new Router({ strategy, toStarting: true, concurrency }, systemClock);
  const instances = fakeInstances(load);
  let found = 0;
  const t0 = performance.now();
  for (let i = 0; i < DECISIONS; i++) if (router.pick(instances)) found++;
  const ms = performance.now() - t0;
  return { perSecond: (DECISIONS / ms) * 1000, found };
}

/** The whole pool path per request (route, policy, counts) on 256 fake instances, on manual time. */
async function poolRate(scaling: "lambda" | "cloudrun" | "knative"): Promise<number> {
  const clock = new ManualClock(0);
  const config = resolveConfig(
    "local",
    {},
    { scaling, concurrency: 1, maxInstances: INSTANCES, minInstances: INSTANCES, initialScale: INSTANCES },
    undefined,
  ) as LocalConfig;
  const pool = new InstancePool(config, new FakeInstanceFactory(clock, 1), clock);
  clock.advance(1);
  const n = 200_000;
  const t0 = performance.now();
  for (let done = 0; done < n; done += INSTANCES)
    await Promise.all(Array.from({ length: INSTANCES }, () => pool.invoke({ ms: -1 })));
  const ms = performance.now() - t0;
  pool.killAll();
  return (n / ms) * 1000;
}

/** Baseline in the same run: warm local invocations per second (64 in flight, 4 instances). */
async function localRate(): Promise<number> {
  const fn = cloudFunction("bench_router_baseline", () => ({}), { config: { maxInstances: 4 } });
  for (let i = 0; i < 200; i++) await fn.invoke({});
  const n = 10_000;
  let issued = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (issued++ < n) await fn.invoke({});
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return (n / (performance.now() - t0)) * 1000;
}

async function main(): Promise<void> {
  const workspace = tempDir("bench-scaling");
  configure({ workspace, platform: "local" });
  try {
    const baseline = await localRate();
    console.log(`baseline: warm local invocations, 64 in flight on 4 instances: ${baseline.toFixed(0)}/s`);
    const cases = [
      ["first-fit (lambda), 255 full + 1 free", routerRate("first-fit", 1, (i) => (i < 255 ? 1 : 0))],
      [
        "least-loaded (cloudrun), loads 0–79 of 80",
        routerRate("least-loaded", 80, (i) => (i * 37) % 80 || 1),
      ],
      ["least-loaded (knative), unlimited", routerRate("least-loaded", Infinity, (i) => 1 + (i % 7))],
    ] as const;
    for (const [name, r] of cases)
      console.log(
        `router.pick over ${INSTANCES} instances, ${name}: ${(r.perSecond / 1e6).toFixed(2)} M decisions/s ` +
          `(${(r.perSecond / baseline).toFixed(0)}× the baseline)`,
      );
    for (const scaling of ["lambda", "cloudrun", "knative"] as const) {
      const rate = await poolRate(scaling);
      console.log(
        `whole pool per request (${scaling}, ${INSTANCES} fake instances): ${(rate / 1e3).toFixed(0)} k/s ` +
          `(${(rate / baseline).toFixed(1)}× the baseline)`,
      );
    }

    const fn = cloudFunction("bench_kpa", nap, { config: { ...KPA_BENCH_CONFIG } });
    const deployment = await fn.deploy();
    const f = await kpaFidelity(deployment);
    console.log(
      `KPA fidelity (ramp 1→4 clients, burst 12, stop; 300 ms requests; ${JSON.stringify(KPA_BENCH_CONFIG)}):`,
    );
    console.log(
      `  ${f.ticks} ticks; wanted count vs §6.2 on the observed concurrency: ${f.wantedEqual} equal, ` +
        `${f.wantedOffByOne} off by 1, ${f.wantedWorse} off by more`,
    );
    for (const m of f.mismatches) console.log(`    ${m}`);
    console.log(
      `  instances just before the next tick vs the count decided: live ${f.liveEqual} equal, ${f.liveOther} other; ` +
        `ready ${f.readyEqual} equal, ${f.readyShortWhileStarting} short only by instances still starting, ${f.readyOther} other`,
    );
    console.log(
      `  panic ticks ${f.panicTicks}; peak ${f.peakInstances} instances; ${f.requests} requests, ${f.failed} failed; ` +
        `zero ${f.zeroAfterStopMs ?? "never"} ms after the load stopped (window 6 s + grace 2 s + ticks)`,
    );
  } finally {
    await shutdown();
    removeDir(workspace);
  }
}

void main();
