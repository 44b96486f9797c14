/**
 * Figures for the local platform (issue 2). Prints, does not assert: timing is never a test.
 *   node dist/bench/local.js          (make bench)
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, forceColdStart, shutdown, type CloudFunction } from "../lib";
import { describe, median, us } from "./stats";

const WARM_CALLS = 5000;
const THROUGHPUT_CALLS = 60000;
const IN_FLIGHT = 64;
const COLD_SAMPLES = 15;
const UNCHANGED_CALLS = 20000;
const MEMORY_MB = 512;

async function warmRoundTrip(fn: CloudFunction<unknown, unknown>): Promise<void> {
  for (let i = 0; i < 500; i++) await fn.invoke({});
  const samples: number[] = [];
  for (let i = 0; i < WARM_CALLS; i++) {
    const t0 = performance.now();
    await fn.invoke({});
    samples.push(performance.now() - t0);
  }
  const { p50, p99 } = describe(samples);
  console.log(
    `warm round trip (fn.invoke, ${WARM_CALLS} sequential): p50 ${us(p50)}, p99 ${us(p99)}  [target p50 ≤ 150 µs]`,
  );
}

async function throughput(fn: CloudFunction<unknown, unknown>): Promise<void> {
  let issued = 0;
  let failed = 0;
  const worker = async () => {
    while (issued < THROUGHPUT_CALLS) {
      issued++;
      if ((await fn.invoke({})).failed) failed++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker)); // warm all instances
  issued = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const rate = Math.round(THROUGHPUT_CALLS / seconds);
  console.log(
    `throughput (${IN_FLIGHT} in flight, concurrency 1, maxInstances 8, ${THROUGHPUT_CALLS} calls): ` +
      `${rate.toLocaleString("en")} /s, ${failed} failed  [target ≥ 20,000/s]`,
  );
}

/**
 * Bare baseline: fork a script that answers one IPC message, with the same clean environment an
 * instance gets (an inherited NODE_EXTRA_CA_CERTS alone adds ~30 ms to every Node start here).
 */
async function bareForkFirstMessage(dir: string, execArgv: string[]): Promise<number> {
  const script = path.join(dir, "echo.js");
  writeFileSync(script, `process.on("message", (m) => process.send(m));\n`);
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const t0 = performance.now();
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = fork(script, [], { stdio: ["ignore", "ignore", "ignore", "ipc"], env, execArgv });
    await new Promise<void>((resolve) => {
      child.once("message", () => resolve());
      child.send({ hello: 1 });
    });
    samples.push(performance.now() - t0);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  return median(samples);
}

async function coldStart(fn: CloudFunction<unknown, unknown>, dir: string): Promise<void> {
  const bare = await bareForkFirstMessage(dir, []);
  // Instances run with a V8 heap limit; V8 then rejects Node's code cache for builtins, which costs
  // every process start the same few ms whatever it runs — so this is the like-for-like baseline.
  const bareLimited = await bareForkFirstMessage(dir, [`--max-old-space-size=${MEMORY_MB}`]);
  const samples: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    await forceColdStart(fn);
    await new Promise((r) => setTimeout(r, 50)); // let the retired instance exit
    const t0 = performance.now();
    const record = await fn.invoke({});
    samples.push(performance.now() - t0);
    if (!record.coldStart) throw new Error("expected a cold start");
  }
  const ours = median(samples);
  console.log(
    `cold start (first invoke on a new instance): median ${ours.toFixed(1)} ms vs bare fork + first IPC ` +
      `${bare.toFixed(1)} ms = ${(ours / bare).toFixed(2)}×  [target ≤ 1.3×]; vs bare fork with the same ` +
      `heap limit ${bareLimited.toFixed(1)} ms = ${(ours / bareLimited).toFixed(2)}×`,
  );
}

async function unchangedCall(
  fn: CloudFunction<unknown, unknown>,
  source: (r: unknown) => unknown,
): Promise<void> {
  let t0 = performance.now();
  for (let i = 0; i < UNCHANGED_CALLS; i++) await fn.deploy();
  const perCall = (performance.now() - t0) / UNCHANGED_CALLS;
  // Re-running an identical cell: a new handle, whose first call hashes the source and reads state.json.
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const again = cloudFunction("bench_noop", source);
    t0 = performance.now();
    await again.deploy();
    samples.push(performance.now() - t0);
  }
  console.log(
    `unchanged call, excluding the invoke: ${us(perCall)} (same handle), ${us(median(samples))} median ` +
      `(identical cell re-run: new handle, hash + state.json)  [target ≤ 1 ms]`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-"));
  configure({ workspace: dir });
  const noop = (_request: unknown) => null;
  const fn = cloudFunction("bench_noop", noop, {
    config: { concurrency: 1, maxInstances: 8, memory: MEMORY_MB },
  });
  console.log(
    `faaslab local platform benchmark — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model})`,
  );
  try {
    await fn.deploy();
    await warmRoundTrip(fn);
    await throughput(fn);
    await coldStart(fn, dir);
    await unchangedCall(fn, noop);
  } finally {
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
