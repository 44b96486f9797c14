/**
 * Figures for experiment persistence (issue 3): 100,000 rows written (journal + results.csv) and
 * loaded back into a DataFrame. Prints, does not assert: timing is never a test.
 *   node dist/bench/experiment-store.js [rows]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { load } from "../lib/experiment/load";
import { instanceIdsOf, runtimeOverlap } from "../lib/experiment/overview";
import { danfoModule } from "../lib/experiment/frame";
import { RECORD_COLUMNS, type Row } from "../lib/experiment/row";
import { hostInfo, openExperiment } from "../lib/experiment/store";

const ROWS = Number(process.argv[2] ?? 100_000);

/** Rows shaped like a 32-thread local experiment: every record column, a tag, an attribute, a result field. */
function makeRows(n: number): Row[] {
  const t0 = Date.now();
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const row: Row = {};
    for (const column of RECORD_COLUMNS) row[column] = null;
    const startedAt = t0 + i * 0.37;
    Object.assign(row, {
      experiment: "bench",
      functionName: "hello_world",
      platform: "local",
      memoryMb: 512,
      thread: i % 32,
      run: Math.floor(i / 32),
      seq: i,
      payloadIndex: i % 2,
      warmup: false,
      requestId: `req-${i.toString(16).padStart(8, "0")}`,
      startedAt,
      endedAt: startedAt + 3.123,
      roundTripMs: 3.123,
      runtimeMs: 1.234567,
      latencyMs: 1.888433,
      concurrencyAtStart: 32,
      coldStart: i < 32,
      instanceId: `inst-${i % 40}`,
      instanceInvocations: Math.floor(i / 40) + 1,
      cpuType: "GenuineIntel",
      cpuModel: "Intel(R) Xeon(R) CPU @ 2.20GHz",
      cpuCores: 8,
      architecture: "x64",
      hostBootTime: 1_700_000_000_000,
      maxMemoryUsedMb: 45.2,
      failed: false,
      timedOut: false,
      attempts: 1,
      statusCode: 200,
      payloadBytes: 16,
      responseBytes: 40,
      variant: "a",
      heapUsedMb: 12.5,
      message: `Hello, "Bob" ${i}!`,
    });
    rows.push(row);
  }
  return rows;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

function main(): void {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-bench-store-"));
  try {
    const rows = makeRows(ROWS);
    const meta = {
      name: "bench",
      functionName: "hello_world",
      platform: "local",
      options: {},
      config: {},
      tags: {},
      versions: { faaslab: "bench", node: process.version },
      host: hostInfo(),
      startedAt: new Date().toISOString(),
    };

    let t = performance.now();
    const writer = openExperiment({ workspace, functionName: "hello_world", name: "bench", meta });
    for (const row of rows) writer.append(row);
    const appendMs = performance.now() - t;
    t = performance.now();
    writer.finish("complete", null);
    const finishMs = performance.now() - t;
    const writeMs = appendMs + finishMs;
    const size = (file: string) => (fs.statSync(path.join(writer.dir, file)).size / 1e6).toFixed(1);
    console.log(
      `write ${ROWS} rows: ${seconds(writeMs)} (journal appends ${seconds(appendMs)}, ` +
        `finish: runtimeOverlap + results.csv + meta ${seconds(finishMs)}; runs.jsonl ${size("runs.jsonl")} MB, ` +
        `results.csv ${size("results.csv")} MB)  [${((appendMs * 1000) / ROWS).toFixed(2)} µs per append]`,
    );

    t = performance.now();
    const result = load("hello_world", "bench", { workspace });
    const loadMs = performance.now() - t;
    t = performance.now();
    danfoModule();
    const requireMs = performance.now() - t;
    t = performance.now();
    const df = result.df;
    const frameMs = performance.now() - t;
    console.log(
      `load() ${result.rows.length} rows: ${seconds(loadMs)}; require danfojs ${seconds(requireMs)}; ` +
        `DataFrame ${df.shape.join("×")} ${seconds(frameMs)}`,
    );
    const total = writeMs + loadMs + requireMs + frameMs;
    console.log(
      `total write + load + DataFrame: ${seconds(total)} (${seconds(total - requireMs)} without loading danfo)  [target ≤ 3 s]`,
    );

    t = performance.now();
    runtimeOverlap(rows);
    const overlapMs = performance.now() - t;
    t = performance.now();
    const ids = instanceIdsOf(workspace, "hello_world");
    const idsMs = performance.now() - t;
    t = performance.now();
    result.summary();
    const summaryMs = performance.now() - t;
    console.log(
      `runtimeOverlap of ${ROWS} rows ${seconds(overlapMs)}; instanceIdsOf (one ${ROWS}-row journal, ` +
        `${ids.size} ids) ${seconds(idsMs)}; summary() ${seconds(summaryMs)}`,
    );
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main();
