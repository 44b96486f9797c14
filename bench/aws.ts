/**
 * Figures for the aws platform (issue 5): per-invocation client overhead of faaslab's aws adapter
 * versus FaaSET's method (one `aws lambda invoke` CLI process per call), both against the same fake
 * Lambda endpoint on 127.0.0.1, in the same run. Overhead = client round trip − the fake's own
 * server-side handling time of that request (which includes running the function). Prints, does not assert.
 *   node dist/bench/aws.js
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { cloudFunction, configure, shutdown } from "../lib";
import { fakeAwsEnv, useFakeAwsEnv } from "../test/integration/fake-lambda/aws-env";
import type { InvocationEntry } from "../test/integration/fake-lambda/invoke";
import { removeDir, tempDir } from "../test/helpers/workspace";
import { describe, median, us } from "./stats";

const WARMUP = 300;
const SDK_CALLS = 2000;
const CLI_WARMUP = 2;
const CLI_CALLS = 20;
const FUNCTION = "bench_aws_noop";

/** The fake in its own process, so its work does not share this event loop with the client's. */
async function startFakeProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const main = path.resolve(__dirname, "..", "test", "integration", "fake-lambda", "main.js");
  const child = spawn(process.execPath, [main, "--pending-polls", "0"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the fake Lambda did not start within 10 s")), 10_000);
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  return { endpoint: (JSON.parse(first) as { endpoint: string }).endpoint, child };
}

async function recorded(endpoint: string): Promise<InvocationEntry[]> {
  return (await (await fetch(`${endpoint}/_fake/invocations`)).json()) as InvocationEntry[];
}

/** The Debian package's CLI (/usr/bin/aws) first, as the issue asks; else whatever `aws` is on PATH. */
function findCli(): { bin: string; version: string } | null {
  for (const bin of ["/usr/bin/aws", "aws"]) {
    if (bin.startsWith("/") && !existsSync(bin)) continue;
    const out = spawnSync(bin, ["--version"], { encoding: "utf8", env: fakeAwsEnv(), timeout: 30_000 });
    if (out.status === 0) return { bin, version: `${out.stdout}${out.stderr}`.trim() };
  }
  return null;
}

/**
 * One CLI process, timed from spawn to exit. Its stdout is a file: FaaSET's run.sh has the CLI write
 * the payload to /dev/stdout, which the CLI cannot open on the socket Node would give it.
 */
function runCli(
  bin: string,
  args: string[],
  outFile: string,
): Promise<{ ms: number; ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const out = openSync(outFile, "w");
    const t0 = performance.now();
    const child = spawn(bin, args, {
      env: { ...fakeAwsEnv(), AWS_PAGER: "" },
      stdio: ["ignore", out, "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      closeSync(out);
      const output = readFileSync(outFile, "utf8") + stderr;
      resolve({ ms, ok: code === 0 && /"StatusCode": 200/.test(output), output });
    });
  });
}

async function main(): Promise<void> {
  const restoreEnv = useFakeAwsEnv();
  const workspace = tempDir("bench-aws");
  const { endpoint, child } = await startFakeProcess();
  try {
    configure({ workspace });
    const fn = cloudFunction(FUNCTION, async () => ({ ok: true }), {
      platform: "aws",
      config: { endpoint, role: "arn:aws:iam::123456789012:role/faaslab-bench" },
    });
    await fn.deploy();
    for (let i = 0; i < WARMUP; i++) await fn.invoke({});

    const samples: { id: string | null; total: number; roundTrip: number }[] = [];
    for (let i = 0; i < SDK_CALLS; i++) {
      const t0 = performance.now();
      const record = await fn.invoke({});
      samples.push({ id: record.requestId, total: performance.now() - t0, roundTrip: record.roundTripMs });
    }
    const server = new Map((await recorded(endpoint)).map((e) => [e.requestId, e.handlingMs ?? NaN]));
    const handling = samples.map((s) => server.get(s.id ?? "") ?? NaN);
    const overhead = samples.map((s, i) => s.total - handling[i]);
    const inRecord = samples.map((s, i) => s.roundTrip - handling[i]);
    const ours = describe(overhead);
    console.log(
      `faaslab aws adapter (fn.invoke, ${SDK_CALLS} sequential, warm): client overhead p50 ${us(ours.p50)}, ` +
        `p99 ${us(ours.p99)} (round trip p50 ${us(median(samples.map((s) => s.total)))}, fake's handling p50 ` +
        `${us(median(handling))}; overhead inside record.roundTripMs p50 ${us(median(inRecord))})`,
    );

    const cli = findCli();
    if (!cli) {
      console.log("aws CLI not found (Debian package awscli): skipping FaaSET's method");
      return;
    }
    const v2 = /aws-cli\/2\./.test(cli.version);
    const args = [
      // FaaSET's run.sh, pointed at the fake with --endpoint-url.
      "lambda",
      "invoke",
      "--endpoint-url",
      endpoint,
      "--invocation-type",
      "RequestResponse",
      ...(v2 ? ["--cli-binary-format", "raw-in-base64-out"] : []),
      "--region",
      "us-east-1",
      "--cli-read-timeout",
      "900",
      "--function-name",
      FUNCTION,
      "--payload",
      "{}",
      "/dev/stdout",
    ];
    const outFile = path.join(workspace, "cli-stdout.txt");
    for (let i = 0; i < CLI_WARMUP; i++) await runCli(cli.bin, args, outFile);
    const before = (await recorded(endpoint)).length;
    const cliTimes: number[] = [];
    for (let i = 0; i < CLI_CALLS; i++) {
      const run = await runCli(cli.bin, args, outFile);
      if (!run.ok) throw new Error(`aws lambda invoke failed:\n${run.output}`);
      cliTimes.push(run.ms);
    }
    // Sequential calls: the fake's entries after `before` are these calls, in order.
    const cliHandling = (await recorded(endpoint)).slice(before).map((e) => e.handlingMs ?? NaN);
    const cliOverhead = describe(cliTimes.map((ms, i) => ms - cliHandling[i]));
    console.log(
      `FaaSET's method (one \`${cli.bin} lambda invoke\` process per call, ${cli.version.split(" ")[0]}, ` +
        `${CLI_CALLS} sequential): client overhead p50 ${cliOverhead.p50.toFixed(1)} ms, p99 ` +
        `${cliOverhead.p99.toFixed(1)} ms`,
    );
    console.log(
      `ratio: faaslab's per-invocation overhead is ${(cliOverhead.p50 / ours.p50).toFixed(0)}× lower (p50)  ` +
        `[target ≥ 100×]`,
    );
    await fn.remove();
  } finally {
    await shutdown();
    child.stdin?.end();
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(child.kill("SIGKILL")), 5000);
        child.once("exit", () => resolve(clearTimeout(timer)));
      });
    }
    removeDir(workspace);
    restoreEnv();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
