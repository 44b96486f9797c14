/**
 * KPA fidelity: a scripted load (ramp, burst, stop) on local's knative policy with real instance
 * processes, on Knative's proportions shortened (tick 0.5 s, stable 6 s, panic 10 % = 0.6 s, grace
 * 2 s). At each tick: the count the policy wanted vs §6.2 recomputed by kpa-reference.ts from the
 * concurrency the bench observed itself, and the instances the pool reached vs the count decided.
 */
import type { LocalConfig } from "../platforms/local/schema";
import { systemClock } from "../lib/clock";
import type { Deployment } from "../lib/platform";
import { ProcessInstanceFactory } from "../platforms/local/instance-factory";
import { InstancePool } from "../platforms/local/pool";
import type { KnativePolicy, KnativeTick } from "../platforms/local/scaling/knative";
import { readyAt, referenceTick, windowAverage, type Observed } from "./kpa-reference";

export const KPA_BENCH_CONFIG = {
  scaling: "knative",
  concurrency: 2,
  maxInstances: 8,
  initialScale: 0,
  tickInterval: 0.5,
  stableWindow: 6,
  scaleToZeroGracePeriod: 2,
} as const;

/** Clients over time: ramp 1 → 4 in 4 s, a burst of 12 for 3 s, then nothing. */
const SCRIPT = [
  { clients: 1, forMs: 1000 },
  { clients: 2, forMs: 1000 },
  { clients: 3, forMs: 1000 },
  { clients: 4, forMs: 1000 },
  { clients: 12, forMs: 3000 },
  { clients: 0, forMs: 0 },
];
const WORK_MS = 300;

export interface FidelityFigures {
  ticks: number;
  wantedEqual: number;
  wantedOffByOne: number;
  wantedWorse: number;
  /** Live (starting + ready) just before the next tick = the count decided. */
  liveEqual: number;
  liveOther: number;
  /** Ready just before the next tick: equal, short only by instances still starting, other. */
  readyEqual: number;
  readyShortWhileStarting: number;
  readyOther: number;
  panicTicks: number;
  peakInstances: number;
  requests: number;
  failed: number;
  zeroAfterStopMs: number | null;
  /** The ticks whose wanted count differed from the reference: what each side saw. */
  mismatches: string[];
}

export async function kpaFidelity(deployment: Deployment): Promise<FidelityFigures> {
  const config = deployment.config as LocalConfig;
  const observed: Observed[] = [];
  const live: { at: number; live: number; starting: number }[] = [];
  let pool: InstancePool | null = null;
  const onChange = () => {
    if (!pool) return;
    const c = pool.counts();
    const at = systemClock.now();
    observed.push({ at, concurrency: c.inFlight + c.queued, ready: c.ready });
    live.push({ at, live: c.starting + c.ready, starting: c.starting });
  };
  const factory = new ProcessInstanceFactory(
    String(deployment.ref.artifact),
    deployment.functionName,
    config,
    null,
  );
  pool = new InstancePool(config, factory, systemClock, onChange);
  const started = systemClock.now();
  onChange();

  let clients = 0;
  let requests = 0;
  let failed = 0;
  const running: Promise<void>[] = [];
  const client = async (id: number) => {
    while (id < clients) {
      requests++;
      if ((await pool!.invoke({ ms: WORK_MS })).failure) failed++;
    }
  };
  for (const step of SCRIPT) {
    const before = clients;
    clients = step.clients;
    for (let id = before; id < clients; id++) running.push(client(id));
    await new Promise((resolve) => setTimeout(resolve, step.forMs));
  }
  await Promise.all(running);
  const stoppedAt = systemClock.now();
  // The cool-down: wait for zero (stable window + grace), bounded.
  const deadline = stoppedAt + 30_000;
  while (pool.counts().starting + pool.counts().ready > 0 && systemClock.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const zeroAt = live.find((l) => l.at >= stoppedAt && l.live === 0)?.at ?? null;
  const ticks = (pool.policy as KnativePolicy).ticks.filter((t) => t.at >= started);
  pool.killAll();
  await pool.finished;
  return compare(ticks, observed, live, { requests, failed, zeroAfterStopMs: zeroAt && zeroAt - stoppedAt });
}

function compare(
  ticks: KnativeTick[],
  observed: Observed[],
  live: { at: number; live: number; starting: number }[],
  counts: { requests: number; failed: number; zeroAfterStopMs: number | null },
): FidelityFigures {
  const spec = {
    target: 2 * 0.7,
    panicThreshold: 2,
    upRate: 1000,
    downRate: 2,
    stableMs: KPA_BENCH_CONFIG.stableWindow * 1000,
  };
  const panicMs = spec.stableMs * 0.1;
  let carried = { panicAt: null as number | null, panicMax: 0 };
  const f: FidelityFigures = {
    ticks: ticks.length,
    wantedEqual: 0,
    wantedOffByOne: 0,
    wantedWorse: 0,
    liveEqual: 0,
    liveOther: 0,
    readyEqual: 0,
    readyShortWhileStarting: 0,
    readyOther: 0,
    panicTicks: 0,
    mismatches: [],
    peakInstances: Math.max(...live.map((l) => l.live)),
    ...counts,
  };
  const t0 = ticks[0]?.at ?? 0;
  ticks.forEach((tick, i) => {
    const stable = windowAverage(observed, tick.at, spec.stableMs);
    const panic = windowAverage(observed, tick.at, panicMs);
    const ready = readyAt(observed, tick.at);
    const ref = referenceTick(spec, carried, tick.at, ready, stable, panic);
    carried = ref.carried;
    const diff = Math.abs(ref.wanted - tick.wanted);
    if (diff === 0) f.wantedEqual++;
    else if (diff === 1) f.wantedOffByOne++;
    else f.wantedWorse++;
    if (diff > 0)
      f.mismatches.push(
        `t=${tick.at - t0} ms: local ${tick.wanted} (ready ${tick.readyPods}, stable ${tick.stableAverage.toFixed(3)}, ` +
          `panic ${tick.panicAverage.toFixed(3)}) vs reference ${ref.wanted} (ready ${ready}, ` +
          `stable ${stable.toFixed(3)}, panic ${panic.toFixed(3)})`,
      );
    if (tick.panic) f.panicTicks++;
    // Reached: live instances just before the next tick, against the count this tick decided.
    const next = ticks[i + 1]?.at ?? tick.at + 500;
    const reached = [...live].reverse().find((l) => l.at < next);
    if (!reached) return;
    if (reached.live === tick.desired) f.liveEqual++;
    else f.liveOther++;
    const readyThen = reached.live - reached.starting;
    if (readyThen === tick.desired) f.readyEqual++;
    else if (readyThen < tick.desired && reached.live >= tick.desired) f.readyShortWhileStarting++;
    else f.readyOther++;
  });
  return f;
}
