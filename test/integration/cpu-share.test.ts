// CPU follows memory on local, as on Lambda (memory / 1769 vCPU), on real instance processes: by the
// kernel's CPU controller where this machine lets faaslab write it, and by the parent's
// SIGSTOP/SIGCONT duty cycle (forced here with FAASLAB_CPU_LIMITER=signals) everywhere.
//
// The bound: Lambda's ideal ratio 128 MB / 1,769 MB is 13.8×. The 128 MB run is held to 0.0724 vCPU
// however idle the machine is, and load only makes it slower; the 1,769 MB run may use a whole core,
// but on this busy 2-core machine (other builds and tests) it gets less: the ratio is 13.8 × the share
// of a core the 1,769 MB run got. So the unlimited side runs its work in four short requests and the
// fastest counts: a task that just woke gets the CPU soon on Linux, where a long one gets its fair
// part of a crowded machine (20 % at a load of 16 here). The limited side runs in one request, as a
// share is exact only over time (each request may start with one period's saved share). The method
// alone favours the short side: two unlimited runs measured this way gave 1.0× – 1.4× (load 19), so
// ≥ 2.5× is the limiter's doing, and it holds while the 1,769 MB run gets 18 % of a core (measured
// here at loads of 15 – 19: 2.9× – 6×). Two load-independent facts back it: the share obtained at
// 128 MB (CPU time / wall time inside the function) never exceeds 0.0724 by much, and the mechanism
// says it acted (the kernel's throttled periods, or the instance seen stopped).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { cloudFunction, type InvocationRecord } from "../../lib";
import { cpuController } from "../../platforms/local/cpu-cgroup";
import { cpuMechanism, LIMITER_ENV } from "../../platforms/local/cpu-limit";
import { cpuShare } from "../../platforms/local/cpu-share";
import { childPids, startNodeUntilJson, survivors, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("cpu-share");

/** ≈ 150 ms of one core's work here: short even at 128 MB (≈ 2 s). */
const ITERATIONS = 6_000_000;

/** A fixed amount of single-threaded work; reports its own wall and CPU time. */
const burnCpu = async (payload: { iterations: number }) => {
  const wall0 = Date.now();
  const cpu0 = process.cpuUsage();
  let x = 1;
  for (let i = 0; i < payload.iterations; i++) x = (x * 1103515245 + 12345) % 2147483648;
  const cpu = process.cpuUsage(cpu0);
  return { pid: process.pid, x, wallMs: Date.now() - wall0, cpuMs: (cpu.user + cpu.system) / 1000 };
};

interface Burn {
  record: InvocationRecord;
  /** Wall and CPU time for ITERATIONS (the fastest of `parts` requests × parts). */
  wallMs: number;
  cpuMs: number;
  /** Was its instance process ever seen stopped (state T) while it ran? */
  seenStopped: boolean;
  /** Periods the kernel's CPU controller throttled its instance's group in; null without one. */
  throttled: number | null;
}

/** Warms a fresh instance of `name`, then runs ITERATIONS of work on it in `parts` requests. */
async function burn(name: string, config: Record<string, unknown>, parts = 4): Promise<Burn> {
  const fn = cloudFunction(name, burnCpu, { config: { timeout: 60, ...config } });
  const warm = await fn.invoke({ iterations: 1 });
  const pid = (warm.result as { pid: number }).pid;
  ledger.add(pid);
  let seenStopped = false;
  let fastest: { record: InvocationRecord; wallMs: number; cpuMs: number } | null = null;
  for (let part = 0; part < parts; part++) {
    let done = false;
    const running = fn.invoke({ iterations: ITERATIONS / parts }).finally(() => (done = true));
    await waitFor(() => (seenStopped ||= stateOf(pid) === "T") || done, 60_000, 5);
    const record = await running;
    assert.equal(record.failed, false, record.errorMessage ?? "");
    const { wallMs, cpuMs } = record.result as { wallMs: number; cpuMs: number };
    if (!fastest || wallMs < fastest.wallMs) fastest = { record, wallMs, cpuMs };
  }
  const { record, wallMs, cpuMs } = fastest!;
  return {
    record,
    wallMs: wallMs * parts,
    cpuMs: cpuMs * parts,
    seenStopped,
    throttled: throttledPeriods(pid),
  };
}

function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? null;
  } catch {
    return null;
  }
}

/** nr_throttled of the kernel CPU group `pid` is in (v1: its cpu line; v2: its own cgroup). */
function throttledPeriods(pid: number): number | null {
  const found = cpuController();
  if (!("kind" in found)) return null;
  const line = readFileSync(`/proc/${pid}/cgroup`, "utf8")
    .split("\n")
    .find((l) =>
      found.kind === "cgroup1" ? (l.split(":")[1] ?? "").split(",").includes("cpu") : l.startsWith("0::"),
    );
  const group = path.basename(line?.split(":")[2] ?? "");
  const dir = found.dir;
  if (!group.startsWith("instance-") || !dir) return null;
  const stat = readFileSync(path.join(dir, group, "cpu.stat"), "utf8");
  return Number(/nr_throttled (\d+)/.exec(stat)?.[1]);
}

function assertLimited(t: TestContext, small: Burn, large: Burn, label: string): void {
  const ratio = small.wallMs / large.wallMs;
  const share = small.cpuMs / small.wallMs;
  const facts = `${label}: 128 MB ${small.wallMs} ms (${small.cpuMs} ms CPU, share ${share.toFixed(3)}), 1769 MB ${large.wallMs} ms (${large.cpuMs} ms CPU)`;
  t.diagnostic(`${ratio.toFixed(1)}× — ${facts}`);
  assert.ok(ratio >= 2.5, `runtime ratio ${ratio.toFixed(1)}× < 2.5×; ${facts}`);
  assert.ok(share <= 0.0724 * 2, `the 128 MB run got more than twice its share; ${facts}`);
}

/** The default mechanism's 128 MB run, shared by the tests that compare with it. */
let limited128: Promise<Burn> | undefined;
const limitedRun = () => (limited128 ??= burn("cpu_auto_128", { memory: 128 }, 1));

test("a CPU-bound function runs ≥ 2.5× longer at 128 MB than at 1,769 MB (the automatic mechanism)", async (t) => {
  const small = await limitedRun();
  const large = await burn("cpu_auto_1769", { memory: 1769 });
  const { mechanism } = cpuMechanism(cpuShare({ memory: 128, cpu: "memory" }));
  assertLimited(t, small, large, mechanism);
  // The kernel throttles without stopping the process; the duty cycle stops it (state T).
  assert.equal(small.seenStopped, mechanism === "signals", `${mechanism}: seen stopped ${small.seenStopped}`);
  if (mechanism !== "signals")
    assert.ok((small.throttled ?? 0) > 0, `${mechanism} throttled ${small.throttled} periods`);
  assert.equal(small.record.cpuAllocated, 0.0724);
  assert.equal(large.record.cpuAllocated, 1);
});

test("the SIGSTOP/SIGCONT duty cycle limits too (forced with FAASLAB_CPU_LIMITER=signals)", async (t) => {
  process.env[LIMITER_ENV] = "signals";
  try {
    const small = await burn("cpu_signals_128", { memory: 128 }, 1);
    const large = await burn("cpu_signals_1769", { memory: 1769 });
    assertLimited(t, small, large, "signals");
    assert.equal(small.seenStopped, true, "the instance was stopped while over its share");
    assert.ok(!small.throttled, `the kernel throttled ${small.throttled} periods: it was not in charge`);
    assert.equal(small.record.cpuAllocated, 0.0724);
  } finally {
    delete process.env[LIMITER_ENV];
  }
});

test('cpu: null sets no limit: at 128 MB it runs ≥ 2.5× faster than with cpu "memory", and rows say the whole machine', async () => {
  const free = await burn("cpu_null_128", { memory: 128, cpu: null });
  const small = await limitedRun();
  const facts = `cpu null ${free.wallMs} ms, cpu "memory" ${small.wallMs} ms`;
  assert.ok(small.wallMs / free.wallMs >= 2.5, facts);
  assert.equal(free.seenStopped, false);
  assert.ok(!free.throttled, `throttled ${free.throttled} periods`);
  assert.equal(free.record.cpuAllocated, availableParallelism());
});

test("a fixed cpu is the share whatever the memory; every row of an instance carries it", async () => {
  const fn = cloudFunction("cpu_fixed", burnCpu, { config: { memory: 128, cpu: 0.5 } });
  const records = await Promise.all([fn.invoke({ iterations: 1 }), fn.invoke({ iterations: 1 })]);
  for (const record of records) {
    ledger.add((record.result as { pid: number }).pid);
    assert.equal(record.cpuAllocated, 0.5);
  }
});

test("a function's timeout is wall time: a stopped instance over its share times out and is killed", async () => {
  process.env[LIMITER_ENV] = "signals";
  try {
    const fn = cloudFunction("cpu_timeout", burnCpu, { config: { memory: 128, timeout: 1 } });
    const warm = await fn.invoke({ iterations: 1 });
    const pid = (warm.result as { pid: number }).pid;
    ledger.add(pid);
    const record = await fn.invoke({ iterations: 1e12 });
    assert.equal(record.timedOut, true);
    assert.equal(record.errorType, "TimeoutError");
    assert.ok(await waitFor(() => stateOf(pid) === null || stateOf(pid) === "Z", 5000), "killed");
  } finally {
    delete process.env[LIMITER_ENV];
  }
});

test("no idle instance stays stopped: once its debt is paid, every child of this process runs", async () => {
  // After the runs above, idle instances remain (idleTimeout). One that just finished over its share
  // is stopped until the wall clock paid for it (≈ 0.15 s at 128 MB), never longer.
  const stopped = () => childPids().filter((pid) => stateOf(pid) === "T");
  await waitFor(() => stopped().length === 0, 5000);
  assert.deepEqual(stopped(), []);
});

for (const limiter of ["signals", "auto"]) {
  test(`a script SIGKILLed while its instance is held to its share (${limiter}) leaves no instance nor CPU group behind`, async () => {
    const script = `
      const faaslab = require(${JSON.stringify(compiledLib())});
      const fn = faaslab.cloudFunction("cpu_orphan_${limiter}", async (p) => {
        while (p.spin) {}
        return { pid: process.pid };
      }, { config: { memory: 128, idleTimeout: 60, timeout: 60 } });
      (async () => {
        const { pid } = await fn({ spin: false });
        console.log(JSON.stringify({ pid }));
        await fn({ spin: true });
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const env = { ...process.env, FAASLAB_WORKSPACE: workspace, [LIMITER_ENV]: limiter };
    const { child, message } = await startNodeUntilJson(script, { cwd: workspace, env, timeoutMs: 20000 });
    const { pid } = message as { pid: number };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (limiter === "signals")
      assert.ok(await waitFor(() => stateOf(pid) === "T", 10_000, 5), "the spinning instance was stopped");
    child.kill("SIGKILL");
    await exited;
    const left = await survivors([pid], 3000);
    for (const orphan of left) process.kill(orphan, "SIGKILL"); // never leave it behind
    assert.deepEqual(left, [], "the instance outlived its killed parent");
    const found = cpuController();
    if (limiter === "auto" && "kind" in found && found.kind === "cgroup1") {
      const groups = path.join(path.dirname(found.dir), `faaslab-${child.pid}`);
      assert.ok(await waitFor(() => !existsSync(groups), 3000), `${groups} was removed by the guard`);
    }
  });
}
