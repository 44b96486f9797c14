// The journal survives a killed process: every row that reached runs.jsonl loads back, marked incomplete.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test, type TestContext } from "node:test";
import { listExperiments, load } from "../../lib/experiment/load";
import { FLUSH_INTERVAL_MS } from "../../lib/experiment/store";

const STORE = path.resolve(__dirname, "..", "..", "lib", "experiment", "store");

/**
 * Appends `burst` rows 1 ms apart, waits until they are surely flushed, says "flushed <burst>",
 * then keeps appending one row every `everyMs` ms, printing each seq, until it is killed.
 */
const CHILD = `
const { openExperiment } = require(process.env.STORE);
const os = require("node:os");
const writer = openExperiment({
  workspace: process.env.WS, functionName: "victim", name: "killed",
  meta: { name: "killed", functionName: "victim", platform: "local", options: {}, config: {}, tags: {},
          versions: { faaslab: "test", node: process.version },
          host: { hostname: os.hostname(), platform: process.platform, arch: process.arch, cpus: 1, cpuModel: null },
          startedAt: new Date().toISOString() } });
const burst = Number(process.env.BURST), everyMs = Number(process.env.EVERY_MS);
let seq = 0;
const row = () => ({ experiment: "killed", functionName: "victim", seq, warmup: false, startedAt: Date.now(),
                     endedAt: Date.now() + 1, failed: false, errorMessage: "a, \\"b\\"\\n" + seq });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (; seq < burst; seq++) { writer.append(row()); await sleep(1); }
  await sleep(200);
  process.stdout.write("flushed " + burst + "\\n");
  for (;; seq++) { writer.append(row()); process.stdout.write("appended " + seq + "\\n"); await sleep(everyMs); }
})();
`;

function workspace(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-killed-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs CHILD, SIGKILLs it `afterMs` after it said "flushed", returns the last seq it reported. */
async function runAndKill(ws: string, burst: number, everyMs: number, afterMs: number): Promise<number> {
  const child = spawn(process.execPath, ["-e", CHILD], {
    env: { ...process.env, STORE, WS: ws, BURST: String(burst), EVERY_MS: String(everyMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let lastSeq = burst - 1;
  let output = "";
  // "close", not "exit": stdout is read to its end, so the last rows the child reported are counted.
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("close", (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never flushed; output: ${output}`)), 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of output.matchAll(/appended (\d+)/g)) lastSeq = Math.max(lastSeq, Number(match[1]));
      if (output.includes(`flushed ${burst}`)) {
        clearTimeout(timer);
        setTimeout(resolve, afterMs);
      }
    });
    child.once("exit", () => reject(new Error(`child exited early; output: ${output}`)));
  });
  child.kill("SIGKILL");
  assert.equal(await exited, "SIGKILL");
  for (const match of output.matchAll(/appended (\d+)/g)) lastSeq = Math.max(lastSeq, Number(match[1]));
  return lastSeq;
}

test("a SIGKILLed experiment keeps its journaled rows and loads as incomplete", async (t) => {
  const ws = workspace(t);
  await runAndKill(ws, 30, 1, 30);
  const result = load("victim", "killed", { workspace: ws });
  assert.equal(result.complete, false);
  assert.equal(result.meta.status, "aborted");
  assert.match(result.meta.reason ?? "", /pid \d+\) ended before the experiment finished/);
  const seqs = result.rows.map((row) => row.seq);
  assert.ok(seqs.length >= 30, `the flushed burst is there (${seqs.length} rows)`);
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i),
    "rows are whole and in order, none skipped",
  );
  assert.equal(result.rows[7].errorMessage, 'a, "b"\n7');
  assert.equal(
    fs.existsSync(path.join(ws, "functions", "victim", "experiments", "killed", "results.csv")),
    false,
  );
  const [listed] = listExperiments("victim", { workspace: ws });
  assert.deepEqual(
    listed.runs.map((run) => [run.run, run.status, run.rows]),
    [[1, "aborted", seqs.length]],
  );
});

test(`a kill loses at most the rows of the last flush interval (${FLUSH_INTERVAL_MS} ms)`, async (t) => {
  const ws = workspace(t);
  const everyMs = 2;
  const lastReported = await runAndKill(ws, 5, everyMs, 150);
  const loaded = load("victim", "killed", { workspace: ws }).rows.length;
  // Rows appended more than FLUSH_INTERVAL_MS before the kill are on disk. At one row per ≥ 2 ms
  // that is all but ~10 rows; allow 4× for a loaded machine.
  const bound = Math.ceil((4 * FLUSH_INTERVAL_MS) / everyMs);
  t.diagnostic(`child reported ${lastReported + 1} rows appended, ${loaded} loaded`);
  assert.ok(
    loaded >= lastReported + 1 - bound,
    `loaded ${loaded} rows, the child reported appending #${lastReported}`,
  );
  assert.ok(
    loaded <= lastReported + 1 + bound,
    `no more rows than were appended (${loaded} vs ${lastReported + 1})`,
  );
});
