/**
 * Figures for httpFunction (issue 9). Prints, does not assert. Needs Debian's nginx and wrk.
 *   node dist/bench/http.js [seconds]      (npm run bench:http)
 * Against one local nginx answering a fixed 200 JSON: faaslab's closed-loop experiment (64 threads,
 * every row built and journaled) vs autocannon and wrk with 64 connections for the same time; then
 * an open loop at 2,000 requests/s for 10 s (achieved rate, sendDelayMs). Same machine, same run:
 * on a loaded machine the absolute figures move; the ratios are what to read.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { configure, experiment, httpFunction, shutdown } from "../lib";
import { handleOf } from "../lib/function/cloud-function";
import { platformFor } from "../lib/registry";
import { startNginx } from "./nginx";
import { describe } from "./stats";

const CONNECTIONS = 64;
const OPEN_RPS = 2000;
const OPEN_SECONDS = 10;

type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    method: string;
    body: string;
    headers: Record<string, string>;
  },
  done: (
    error: Error | null,
    result: { requests: { total: number; average: number }; non2xx: number; errors: number },
  ) => void,
) => unknown;

/** CPU time this process spent per request (user + system µs): steadier than rates on a busy machine. */
function cpuPerRequest(since: NodeJS.CpuUsage, requests: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / requests;
}

async function closedLoop(fn: ReturnType<typeof httpFunction>, requests: number) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const r = await experiment(fn, {
    threads: CONNECTIONS,
    runsPerThread: Math.ceil(requests / CONNECTIONS),
    name: "closed",
    overwrite: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  const failed = r.rows.filter((row) => row.failed).length;
  const cpuUs = cpuPerRequest(cpu, r.rows.length);
  return { rate: r.rows.length / seconds, seconds, failed, cpuUs, rtt: describe(r.column("roundTripMs")) };
}

/** platform.invoke alone, 64 in flight: the HTTP client without the runner's rows. */
async function rawClient(fn: ReturnType<typeof httpFunction>, seconds: number) {
  const deployment = await handleOf(fn).deploy();
  const platform = platformFor("http");
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        await platform.invoke(deployment, {});
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** autocannon runs in this process too, so its CPU per request is measured the same way. */
function autocannonRate(url: string, seconds: number): Promise<{ rate: number; cpuUs: number }> {
  const autocannon = require("autocannon") as Autocannon;
  const cpu = process.cpuUsage();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      },
      (error, result) =>
        error
          ? reject(error)
          : resolve({
              rate: result.requests.total / seconds,
              cpuUs: cpuPerRequest(cpu, result.requests.total),
            }),
    );
  });
}

function wrkRate(url: string, seconds: number): number | null {
  const out = spawnSync("wrk", ["-t2", `-c${CONNECTIONS}`, `-d${Math.round(seconds)}s`, url], {
    encoding: "utf8",
  });
  if (out.error) return null;
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout);
  return match ? Number(match[1]) : null;
}

async function openLoop(fn: ReturnType<typeof httpFunction>) {
  const r = await experiment(fn, {
    rps: OPEN_RPS,
    durationS: OPEN_SECONDS,
    arrival: "uniform",
    name: "open",
    overwrite: true,
    maxInFlight: 1024,
  });
  const sent = r.rows.filter((row) => row.errorType !== "ClientSaturated");
  const firstDue = Math.min(...r.column("scheduledAt"));
  const lastLeft = Math.max(...sent.map((row) => (row.scheduledAt as number) + (row.sendDelayMs as number)));
  const spanS = (lastLeft - firstDue) / 1000 + 1 / OPEN_RPS;
  return {
    planned: r.rows.length,
    sent: sent.length,
    achieved: sent.length / spanS,
    failed: r.rows.filter((row) => row.failed).length,
    delay: describe(sent.map((row) => row.sendDelayMs as number)),
  };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const dir = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-http-"));
  configure({ workspace: dir });
  const nginx = await startNginx();
  const fn = httpFunction("bench_nginx", nginx.url);
  try {
    console.log(
      `nginx ${nginx.url} (pid ${nginx.pid}), ${CONNECTIONS} connections, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
    );
    await rawClient(fn, 1); // warm the agent's sockets and the JIT
    const raw = await rawClient(fn, seconds);
    console.log(`platform.invoke alone:        ${raw.toFixed(0)} req/s`);
    // Sized from a short run of its own to last about `seconds`; the others then run as long as it took.
    const calibration = await closedLoop(fn, CONNECTIONS * 50);
    const closed = await closedLoop(fn, Math.round(calibration.rate * seconds));
    console.log(
      `faaslab experiment (rows):    ${closed.rate.toFixed(0)} req/s over ${closed.seconds.toFixed(1)} s, ${closed.cpuUs.toFixed(0)} CPU-µs/request, ${closed.failed} failed, roundTripMs p50 ${closed.rtt.p50.toFixed(2)} p99 ${closed.rtt.p99.toFixed(2)}`,
    );
    const same = Math.max(1, Math.round(closed.seconds));
    const cannon = await autocannonRate(nginx.url, same);
    console.log(
      `autocannon (${same} s):           ${cannon.rate.toFixed(0)} req/s, ${cannon.cpuUs.toFixed(0)} CPU-µs/request`,
    );
    const wrk = wrkRate(nginx.url, same);
    console.log(
      `wrk -t2 (${same} s):              ${wrk === null ? "not installed" : `${wrk.toFixed(0)} req/s`}`,
    );
    console.log(
      `ratio faaslab/autocannon:     ${(closed.rate / cannon.rate).toFixed(2)} by rate (target ≥ 0.8), ${(cannon.cpuUs / closed.cpuUs).toFixed(2)} by CPU per request`,
    );
    if (wrk !== null) console.log(`ratio faaslab/wrk:            ${(closed.rate / wrk).toFixed(2)}`);
    const open = await openLoop(fn);
    console.log(
      `open loop ${OPEN_RPS}/s × ${OPEN_SECONDS} s:     ${open.sent}/${open.planned} sent, achieved ${open.achieved.toFixed(0)} req/s (${((open.achieved / OPEN_RPS - 1) * 100).toFixed(2)} %, target within 2 %), ${open.failed} failed`,
    );
    console.log(
      `sendDelayMs:                  p50 ${open.delay.p50.toFixed(3)} ms, p99 ${open.delay.p99.toFixed(3)} ms (target ≤ 5 ms)`,
    );
  } finally {
    await shutdown();
    await nginx.stop();
    configure({ workspace: process.cwd() });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
