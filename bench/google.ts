/**
 * Figures for the google platform (issue 13): per-invocation client overhead of faaslab's google
 * adapter versus FaaSET's method, both against the same fake Cloud Functions v2 API on 127.0.0.1 in
 * the same run. FaaSET's google run.sh makes one `curl` process per call, with the token fetched per
 * call by another process (`gcloud auth print-identity-token`, emulated here by a `node` process that
 * prints a token: a lower bound, gcloud is slower). Overhead = client round trip − the fake's own
 * handling time of that request (front arrival → the instance's response headers, which includes
 * running the function). Prints, does not assert.
 *   node dist/bench/google.js
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { cloudFunction, configure, shutdown } from "../lib";
import type { InvocationEntry } from "../test/integration/fake-google/server";
import { removeDir, tempDir } from "../test/helpers/workspace";
import { describe, median, us } from "./stats";

const WARMUP = 300;
const CALLS = 2000;
const CURL_WARMUP = 2;
const CURL_CALLS = 20;
const FUNCTION = "bench_google_noop";

/** The fake in its own process (its proxying does not share this event loop), with a side port for its log. */
const FAKE_MAIN = `
const http = require("node:http");
const { startFakeGoogle } = require(process.argv[1]);
startFakeGoogle({ pendingPolls: 0 }).then((fake) => {
  const side = http.createServer((req, res) => res.end(JSON.stringify(fake.invocations)));
  side.listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ endpoint: fake.endpoint, project: fake.project, log: "http://127.0.0.1:" + side.address().port }));
  });
  process.stdin.resume();
  process.stdin.on("end", () => fake.stop().then(() => side.close(() => process.exit(0))));
});
`;

interface FakeProcess {
  endpoint: string;
  project: string;
  log: string;
  child: ChildProcess;
}

async function startFakeProcess(): Promise<FakeProcess> {
  const server = path.resolve(__dirname, "..", "test", "integration", "fake-google", "server.js");
  const child = spawn(process.execPath, ["-e", FAKE_MAIN, server], { stdio: ["pipe", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the fake did not start within 10 s")), 10_000);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  return { ...(JSON.parse(first) as Omit<FakeProcess, "child">), child };
}

async function invocations(fake: FakeProcess): Promise<InvocationEntry[]> {
  return (await (await fetch(fake.log)).json()) as InvocationEntry[];
}

/** FaaSET's call: sh → `$(token process)` → one curl POST; timed from spawn to exit. */
function runCurl(uri: string): Promise<{ ms: number; ok: boolean; output: string }> {
  const token = `${JSON.stringify(process.execPath)} -e 'process.stdout.write("eyJhbGciOiJSUzI1NiJ9.e30.sig")'`;
  const script = `curl -s -X POST ${uri} -H "Authorization: bearer $(${token})" -H "Content-Type: application/json" -d '{}'`;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn("sh", ["-c", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, ok: code === 0 && /"ok":true/.test(output), output });
    });
  });
}

async function main(): Promise<void> {
  const workspace = tempDir("bench-google");
  const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  const fake = await startFakeProcess();
  try {
    configure({ workspace });
    const fn = cloudFunction(FUNCTION, async () => ({ ok: true }), {
      platform: "google",
      config: { endpoint: fake.endpoint, project: fake.project, public: true },
    });
    const deployment = await fn.deploy();
    for (let i = 0; i < WARMUP; i++) await fn.invoke({});
    const mark = (await invocations(fake)).length;
    const totals: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.now();
      await fn.invoke({});
      totals.push(performance.now() - t0);
    }
    // Sequential calls: the fake's entries after `mark` are these calls, in order.
    const handling = (await invocations(fake)).slice(mark).map((e) => e.handlingMs);
    const ours = describe(totals.map((t, i) => t - handling[i]));
    console.log(
      `faaslab google adapter (fn.invoke, ${CALLS} sequential, warm, keep-alive): client overhead p50 ${us(ours.p50)}, ` +
        `p99 ${us(ours.p99)} (round trip p50 ${us(median(totals))}, fake's handling p50 ${us(median(handling))})`,
    );

    const uri = String(deployment.ref.uri);
    for (let i = 0; i < CURL_WARMUP; i++) await runCurl(uri);
    const before = (await invocations(fake)).length;
    const curlTimes: number[] = [];
    for (let i = 0; i < CURL_CALLS; i++) {
      const run = await runCurl(uri);
      if (!run.ok) throw new Error(`curl failed:\n${run.output}`);
      curlTimes.push(run.ms);
    }
    const curlHandling = (await invocations(fake)).slice(before).map((e) => e.handlingMs);
    const theirs = describe(curlTimes.map((ms, i) => ms - curlHandling[i]));
    console.log(
      `FaaSET's method (sh + a token process + one curl per call, ${CURL_CALLS} sequential): client overhead ` +
        `p50 ${theirs.p50.toFixed(1)} ms, p99 ${theirs.p99.toFixed(1)} ms`,
    );
    console.log(
      `ratio: faaslab's per-invocation overhead is ${(theirs.p50 / ours.p50).toFixed(0)}× lower (p50), ` +
        `${(theirs.p99 / ours.p99).toFixed(0)}× (p99)  [target ≥ 100×; a loaded machine makes both noisy]`,
    );
    await fn.remove();
  } finally {
    await shutdown();
    if (saved !== undefined) process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    fake.child.stdin?.end();
    if (fake.child.exitCode === null && fake.child.signalCode === null) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(fake.child.kill("SIGKILL")), 10_000);
        fake.child.once("exit", () => resolve(clearTimeout(timer)));
      });
    }
    removeDir(workspace);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
