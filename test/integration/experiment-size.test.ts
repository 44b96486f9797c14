// Item 3 of the reliability issue: an experiment too large to run is refused up front (nothing is
// deployed or written, the process survives), and the open loop never blocks the event loop for a
// whole burst of due arrivals, so an abort lands in the middle of one.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, experiment, type ExperimentProgress } from "../../lib";
import { runNode } from "../helpers/processes";
import { localSuite } from "../helpers/suite";
import { removeDir, tempDir } from "../helpers/workspace";

const { ledger } = localSuite("experiment-size");
const libPath = path.resolve(__dirname, "..", "..", "lib");

/**
 * experiment(fn, options) in a child process with a small heap (today's code died there with
 * "JavaScript heap out of memory" instead of answering): what it threw, and what it left on disk.
 */
async function refusedInChild(options: string): Promise<{ error: Record<string, unknown>; files: string[] }> {
  const workspace = tempDir("experiment-size-child");
  try {
    const script = `
      const { cloudFunction, configure, experiment } = require(${JSON.stringify(libPath)});
      configure({ workspace: ${JSON.stringify(workspace)}, platform: "local" });
      const huge = cloudFunction("huge", () => null);
      experiment(huge, ${options}).then(
        () => console.log(JSON.stringify({ accepted: true })),
        (e) => console.log(JSON.stringify({ name: e.name, code: e.code, problems: e.problems, hint: e.hint })),
      );`;
    const run = await runNode(script, {
      cwd: workspace,
      env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=256" },
      timeoutMs: 60_000,
    });
    const fatal = /FATAL ERROR[^\n]*/.exec(run.stderr)?.[0] ?? run.stderr.slice(-600);
    assert.equal(run.code, 0, `the child died (signal ${run.signal}): ${fatal}`);
    const error = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>;
    return { error, files: fs.readdirSync(workspace) };
  } finally {
    removeDir(workspace);
  }
}

test("threads: 1e9 is refused with the numbers before anything is deployed or written", async () => {
  const { error, files } = await refusedInChild("{ threads: 1e9 }");
  assert.equal(error.name, "ConfigError", JSON.stringify(error));
  assert.match(String(error.problems), /"threads" is 1,000,000,000: at most 10,000 requests/);
  assert.match(String(error.hint), /split/);
  assert.deepEqual(files, [], "no build, no state.json, no experiment folder");
});

test("rps 1e9 for an hour is refused with the numbers before anything is deployed or written", async () => {
  const { error, files } = await refusedInChild("{ rps: 1e9, durationS: 3600 }");
  assert.equal(error.name, "ConfigError", JSON.stringify(error));
  assert.match(String(error.problems), /1,000,000,000 × 3,600 = 3,600,000,000,000 expected arrivals/);
  assert.deepEqual(files, []);
});

const noop = cloudFunction("size_noop", () => ({ pid: process.pid }), { config: { maxInstances: 4 } });

test("an abort lands in the middle of a long burst of due arrivals", async () => {
  // 50,000 arrivals within half a millisecond: all due at the loop's first tick, one burst. The abort
  // is queued (setImmediate) when the run starts; it can only act if the burst lets the loop turn.
  const controller = new AbortController();
  let total = 0;
  const r = await experiment(noop, {
    rps: 1e8,
    durationS: 0.0005,
    arrival: "uniform",
    name: "burst",
    signal: controller.signal,
    onProgress: (p: ExperimentProgress) => {
      if (total === 0) setImmediate(() => controller.abort());
      total = Math.max(total, p.total);
    },
  });
  r.allRows.forEach((row) => ledger.add(row.pid));
  assert.equal(total, 50_000, "the progress total counts every arrival");
  assert.equal(r.meta.status, "aborted");
  assert.ok(
    r.allRows.length < total / 10,
    `${r.allRows.length} of ${total} arrivals were issued before the abort`,
  );
});

test("an open loop keeps no promise per request and records every arrival (sent or saturated)", async () => {
  const r = await experiment(noop, { rps: 20_000, durationS: 0.5, maxInFlight: 8, name: "steady" });
  r.rows.forEach((row) => ledger.add(row.pid));
  const saturated = r.rows.filter((row) => row.errorType === "ClientSaturated").length;
  const sent = r.rows.length - saturated;
  assert.equal(r.complete, true);
  assert.equal(r.rows.length, r.overview().invocations);
  assert.ok(sent > 0 && saturated > 0, `${sent} sent, ${saturated} saturated`);
  assert.deepEqual(
    [...new Set(r.rows.map((row) => row.run))].length,
    r.rows.length,
    "each arrival is one row, numbered once",
  );
});
