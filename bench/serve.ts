/**
 * serve()'s overhead (issue 9): the round trip through `serve` (HTTP on 127.0.0.1, one keep-alive
 * connection) minus the direct local invoke of the same warm function, at concurrency 1, measured
 * interleaved in one run. Also: a bare node:http server answering fixed JSON (what HTTP alone costs
 * here) and httpFunction → serve (a full record built from the answer). Prints, does not assert.
 *   node dist/bench/serve.js
 */
import * as http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { cloudFunction, configure, httpFunction, serve, shutdown } from "../lib";
import { describe, us } from "./stats";

const ROUNDS = Number(process.env.SERVE_BENCH_ROUNDS ?? 3000);
const WARMUP = 300;

/** One GET over a keep-alive agent with a single socket; resolves when the whole body is in. */
function get(url: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.on("data", () => undefined);
        response.on("end", () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`${response.statusCode}`)),
        );
      })
      .on("error", reject);
  });
}

async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ ok: true });
  const server = http.createServer((_request, response) => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const workspace = mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-serve-"));
  configure({ workspace, platform: "local" });
  const fn = cloudFunction("bench_served", async () => ({ ok: true }), { config: { maxInstances: 1 } });
  const server = await serve(fn);
  const bare = await bareServer();
  const viaHttp = httpFunction("bench_served_http", server.url, { method: "GET" });
  const agents = [
    new http.Agent({ keepAlive: true, maxSockets: 1 }),
    new http.Agent({ keepAlive: true, maxSockets: 1 }),
  ];
  const ways: [string, () => Promise<unknown>][] = [
    ["direct fn.invoke", () => fn.invoke({})],
    ["serve, node:http keep-alive", () => get(server.url, agents[0])],
    ["httpFunction → serve", () => viaHttp.invoke({})],
    ["bare node:http server", () => get(bare.url, agents[1])],
  ];
  const samples = ways.map(() => [] as number[]);
  try {
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      // Interleaved, one of each per round, so drift in the machine's load hits every way alike.
      for (const [i, [, call]] of ways.entries()) {
        const t0 = performance.now();
        await call();
        if (round >= WARMUP) samples[i].push(performance.now() - t0);
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
    await bare.close();
    await shutdown();
    rmSync(workspace, { recursive: true, force: true });
  }
  const stats = samples.map(describe);
  console.log(
    `serve overhead, concurrency 1, ${ROUNDS} interleaved rounds (after ${WARMUP} warm-up), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}:`,
  );
  for (const [i, [name]] of ways.entries()) {
    console.log(
      `  ${name.padEnd(30)} p50 ${us(stats[i].p50).padStart(9)}   p99 ${us(stats[i].p99).padStart(9)}`,
    );
  }
  const [direct, served, full, floor] = stats;
  // Each round's own difference: the load of that moment cancels out of it (the p50s above do not pair).
  const paired = (i: number) => {
    const { p50, p99 } = describe(samples[i].map((ms, round) => ms - samples[0][round]));
    return `p50 ${us(p50)} / p99 ${us(p99)}`;
  };
  console.log(
    `  serve − direct:                p50 ${us(served.p50 - direct.p50)}, p99 ${us(served.p99 - direct.p99)}` +
      `  (of which a bare HTTP round trip is p50 ${us(floor.p50)})`,
  );
  console.log(
    `  httpFunction→serve − direct:   p50 ${us(full.p50 - direct.p50)}, p99 ${us(full.p99 - direct.p99)}`,
  );
  console.log(
    `  per-round differences: serve − direct ${paired(1)}, httpFunction→serve − direct ${paired(2)}, ` +
      `bare HTTP − direct ${paired(3)}`,
  );
  console.log("  (a loaded machine: other builds share the 2 cores; repeat to see the spread)");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
