/**
 * What the fake Cloud Functions v2 API's data plane adds per request (issue 13): the same warm,
 * public function called through its `uri` (the fake's front: auth check, admission, proxy) and
 * directly on its Functions Framework instance's port, interleaved in blocks in the same run, over
 * keep-alive HTTP on 127.0.0.1. Also the front's own `x-fake-google-handling-ms`, which the google
 * adapter's bench subtracts from its round trips. Prints, does not assert.
 *   node dist/bench/fake-google.js
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { createFromZip, probeZip, realClient } from "../test/integration/fake-google/fixtures";
import type { FunctionView } from "../test/integration/fake-google/types";
import { describe, us } from "./stats";

const WARMUP = 200;
const BLOCKS = 10;
const PER_BLOCK = 200;

interface Started {
  endpoint: string;
  port: number;
  project: string;
  region: string;
}

function post(url: string, agent: Agent, body: string): Promise<{ ms: number; handling: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", authorization: "Bearer bench" },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
          resolve({
            ms: performance.now() - t0,
            handling: Number(res.headers["x-fake-google-handling-ms"] ?? NaN),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  // The fake in its own process, so its work does not share this event loop with the client's.
  const child = spawn(
    process.execPath,
    [path.resolve(__dirname, "..", "test", "integration", "fake-google", "main.js")],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    const fake = JSON.parse(line) as Started;
    const client = realClient({
      clientOptions: () => ({ fallback: true, apiEndpoint: "127.0.0.1", port: fake.port, protocol: "http" }),
    });
    const fn = await createFromZip(client, fake, "bench-fake", probeZip(), { maxInstanceCount: 1 });
    await client.close();
    const views = (await (await fetch(`${fake.endpoint}/_fake/functions`)).json()) as FunctionView[];
    const direct = `http://127.0.0.1:${views[0]!.instances[0]!.port}/`;
    const front = fn.serviceConfig!.uri!;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ n: 1 });
    for (let i = 0; i < WARMUP; i++) await post(front, agent, body);
    for (let i = 0; i < WARMUP; i++) await post(direct, agent, body);
    const viaFront: number[] = [];
    const handling: number[] = [];
    const viaDirect: number[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      for (let i = 0; i < PER_BLOCK; i++) {
        const r = await post(front, agent, body);
        viaFront.push(r.ms);
        handling.push(r.handling);
      }
      for (let i = 0; i < PER_BLOCK; i++) viaDirect.push((await post(direct, agent, body)).ms);
    }
    agent.destroy();
    const f = describe(viaFront);
    const d = describe(viaDirect);
    const h = describe(handling);
    console.log(
      `fake-google data plane, ${BLOCKS}×${PER_BLOCK} sequential keep-alive POSTs per path, warm, 1 instance:`,
    );
    console.log(`  direct to the Functions Framework instance: p50 ${us(d.p50)}, p99 ${us(d.p99)}`);
    console.log(`  through the function's uri (the fake's front): p50 ${us(f.p50)}, p99 ${us(f.p99)}`);
    console.log(
      `  added by the front: p50 ${us(f.p50 - d.p50)} (×${(f.p50 / d.p50).toFixed(2)}), p99 ${us(f.p99 - d.p99)}`,
    );
    console.log(
      `  front's x-fake-google-handling-ms (arrival → instance's response headers): p50 ${us(h.p50)}, p99 ${us(h.p99)}`,
    );
    console.log("  (a shared 2-core machine: figures are noisy; compare within one run only)");
  } finally {
    child.stdin.end();
    if (child.exitCode === null && child.signalCode === null)
      await new Promise((resolve) => child.once("exit", resolve));
  }
}

void main();
