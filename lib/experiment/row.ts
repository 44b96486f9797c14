import type { ScalarValue } from "../runtime/envelope";
import type { InvocationRecord } from "./record";

/** One flat row of an experiment table: every value a scalar, null when unknown. */
export type Row = Record<string, ScalarValue>;

/** The fixed columns, in table order; tags, custom attributes and result fields follow. */
export const RECORD_COLUMNS = [
  "experiment",
  "functionName",
  "platform",
  "memoryMb",
  "thread",
  "run",
  "seq",
  "payloadIndex",
  "warmup",
  "requestId",
  "startedAt",
  "endedAt",
  "roundTripMs",
  "runtimeMs",
  "latencyMs",
  "concurrencyAtStart",
  "runtimeOverlap",
  "coldStart",
  "instanceId",
  "instanceInvocations",
  "cpuType",
  "cpuModel",
  "cpuCores",
  "architecture",
  "hostBootTime",
  "region",
  "billedMs",
  "initMs",
  "maxMemoryUsedMb",
  "costUsd",
  "failed",
  "timedOut",
  "errorType",
  "errorMessage",
  "attempts",
  "statusCode",
  "payloadBytes",
  "responseBytes",
] as const;

const FIXED = new Set<string>(RECORD_COLUMNS);

/** Where a record sits in an experiment, plus what the runner derives for it. */
export interface RowPlacement {
  experiment: string;
  thread: number;
  run: number;
  seq: number;
  payloadIndex: number;
  warmup: boolean;
  concurrencyAtStart: number;
  tags: Record<string, ScalarValue>;
}

/**
 * Flattens a record into a row: the fixed columns, then tags, the function's custom attributes and
 * the scalar fields of its result. A name that would shadow a fixed column gets a prefix
 * (`tag.`, `attr.`, `result.`) instead of overwriting it.
 */
export function toRow(record: InvocationRecord, placement: RowPlacement): Row {
  // Column by column from the two sources (no merged copy: this runs once per invocation).
  const row: Row = {};
  const fromRecord = record as unknown as Record<string, unknown>;
  const fromPlacement = placement as unknown as Record<string, unknown>;
  for (const column of RECORD_COLUMNS) {
    const value = column in fromPlacement ? fromPlacement[column] : fromRecord[column];
    row[column] = (value ?? null) as ScalarValue;
  }
  row.runtimeOverlap = null;
  addColumns(row, placement.tags, "tag.");
  addColumns(row, record.attributes, "attr.");
  if (isPlainObject(record.result)) addColumns(row, scalarFields(record.result), "result.");
  else if (record.result !== undefined) addColumns(row, scalarFields({ result: record.result }), "result.");
  return row;
}

function addColumns(row: Row, values: Record<string, ScalarValue>, prefix: string): void {
  for (const [key, value] of Object.entries(values)) {
    row[FIXED.has(key) || key in row ? `${prefix}${key}` : key] = value;
  }
}

function scalarFields(value: Record<string, unknown>): Record<string, ScalarValue> {
  const out: Record<string, ScalarValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || typeof v === "string" || typeof v === "boolean") out[key] = v;
    else if (typeof v === "number") out[key] = Number.isFinite(v) ? v : null;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
