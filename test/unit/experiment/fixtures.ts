import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TestContext } from "node:test";
import { RECORD_COLUMNS, type Row } from "../../../lib/experiment/row";
import type { ExperimentMetaInput } from "../../../lib/experiment/store";

/** A fresh workspace directory, removed when the test ends. */
export function workspace(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-store-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A complete row (every RECORD_COLUMN, null where unknown) with `values` on top. */
export function row(values: Partial<Row> & Record<string, Row[string]> = {}): Row {
  const base: Row = {};
  for (const column of RECORD_COLUMNS) base[column] = null;
  Object.assign(base, {
    experiment: "exp",
    functionName: "fn",
    platform: "local",
    memoryMb: 512,
    thread: 0,
    run: 0,
    seq: 0,
    payloadIndex: 0,
    warmup: false,
    startedAt: 1_000,
    endedAt: 1_010,
    roundTripMs: 10,
    runtimeMs: 8,
    latencyMs: 2,
    coldStart: false,
    instanceId: "i-1",
    failed: false,
    timedOut: false,
    attempts: 1,
  });
  return Object.assign(base, values);
}

export function metaInput(name = "exp", functionName = "fn"): ExperimentMetaInput {
  return {
    name,
    functionName,
    platform: "local",
    options: { threads: 1 },
    config: { memory: 512 },
    tags: {},
    versions: { faaslab: "0.0.0-test", node: process.version },
    host: {
      hostname: os.hostname(),
      platform: process.platform,
      arch: process.arch,
      cpus: 1,
      cpuModel: null,
    },
    startedAt: new Date().toISOString(),
  };
}

/** A minimal RFC 4180 reader (for checking what the writer produced, independently of it). */
export function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 1;
    } else field += ch;
  }
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
