// A function's output reaches instances.log whole and never counts against its memory; an instance
// the platform stops is written down in instances.log, also when no request was there to report it.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cloudFunction } from "../../lib";
import { runNode, waitFor } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { compiledLib } from "../helpers/workspace";

const { workspace, ledger } = localSuite("output");
const env = { ...process.env, FAASLAB_WORKSPACE: workspace };
const instancesLog = (name: string) => path.join(workspace, "functions", name, "logs", "instances.log");

/** Writes `mb` lines of 1 MB ("x" × 1 MB - 1, newline) to stdout in one burst. Self-contained. */
const loud = async (payload: { mb: number }): Promise<{ pid: number }> => {
  const line = "x".repeat(1024 * 1024 - 1) + "\n";
  for (let i = 0; i < payload.mb; i++) process.stdout.write(line);
  return { pid: process.pid };
};

test("400 MB of stdout in 100 MB bursts at memory 128: every request succeeds on one instance, all of it is logged", async () => {
  const script = `
    const faaslab = require(${JSON.stringify(compiledLib())});
    const fn = faaslab.cloudFunction("loud", ${loud.toString()}, { config: { memory: 128 } });
    (async () => {
      const records = [];
      for (let i = 0; i < 4; i++) records.push(await fn.invoke({ mb: 100 }));
      await faaslab.shutdown();
      console.log(JSON.stringify(records.map((r) => ({ failed: r.failed, errorType: r.errorType, result: r.result }))));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = await runNode(script, { cwd: workspace, env, timeoutMs: 60000 });
  assert.equal(run.code, 0, run.stderr);
  const line = run.stdout.split("\n").find((l) => l.startsWith("["));
  assert.ok(line, `the script printed its records after shutdown() (stdout: ${run.stdout.slice(0, 500)})`);
  const records = JSON.parse(line) as {
    failed: boolean;
    errorType: string | null;
    result: { pid: number };
  }[];
  assert.deepEqual(
    records.map((r) => r.errorType),
    [null, null, null, null],
  );
  assert.equal(new Set(records.map((r) => r.result.pid)).size, 1, "one instance served them all");
  const text = fs.readFileSync(instancesLog("loud"), "utf8");
  const outputLines = text.split("\n").filter((l) => l.length === 1024 * 1024 - 1).length;
  assert.equal(outputLines, 400, "every 1 MB line the function wrote is in instances.log");
  assert.doesNotMatch(text, /over its memory limit/, "no instance was stopped for memory");
});

/** Keeps `mb` MB of Buffers alive after it returns (an idle instance over its limit). Self-contained. */
const hoard = async (payload: { mb: number }): Promise<{ pid: number }> => {
  const keep = globalThis as unknown as { hoard?: Buffer[] };
  keep.hoard = [];
  for (let i = 0; i < payload.mb; i += 8) keep.hoard.push(Buffer.alloc(8 * 1024 * 1024, 1));
  return { pid: process.pid };
};

test("an idle instance the RSS watchdog stops is written down in instances.log", async () => {
  const fn = cloudFunction("hoarder", hoard, { config: { memory: 128 } });
  const record = await fn.invoke({ mb: 40 });
  assert.equal(record.failed, false, record.errorMessage ?? "");
  const pid = (record.result as { pid: number }).pid;
  ledger.add(pid);
  // Grow it past the limit only now, idle: the next request answers before the watchdog looks.
  const grown = await fn.invoke({ mb: 200 });
  const logged = () => {
    try {
      return /\[faaslab\] .* stopped: over its memory limit of 128 MB \(resident \d+ MB\); (it was idle|1 request)/.test(
        fs.readFileSync(instancesLog("hoarder"), "utf8"),
      );
    } catch {
      return false;
    }
  };
  assert.ok(await waitFor(logged, 5000), `no OutOfMemory line in instances.log (${grown.errorType})`);
});
