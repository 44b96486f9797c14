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
  "cpuAllocated",
  "billedMs",
  "initMs",
  "maxMemoryUsedMb",
  "costUsd",
  "failed",
  "timedOut",
  "errorType",
  "errorMessage",
  "attempts",
  "retryDelayMs",
  "statusCode",
  "payloadBytes",
  "responseBytes",
  "scheduledAt",
  "sendDelayMs",
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
  /** Open loop: when the request was due (epoch ms); absent (null) in a closed loop. */
  scheduledAt?: number | null;
  /** Open loop: how late it left against that schedule, ms (coordinated omission shows here). */
  sendDelayMs?: number | null;
}

/**
 * Flattens a record into a row: the fixed columns, then tags, the function's custom attributes and
 * the scalar fields of its result. A name that would shadow a fixed column gets a prefix
 * (`tag.`, `attr.`, `result.`) instead of overwriting it.
 */
export function toRow(record: InvocationRecord, placement: RowPlacement): Row {
  // One object literal in RECORD_COLUMNS order (a unit test holds the two together): V8 gives every
  // row the same fast shape, which makes building and serialising a row several times cheaper.
  const r = record;
  const p = placement;
  const row: Row = {
    experiment: p.experiment,
    functionName: r.functionName,
    platform: r.platform,
    memoryMb: r.memoryMb,
    thread: p.thread,
    run: p.run,
    seq: p.seq,
    payloadIndex: p.payloadIndex,
    warmup: p.warmup,
    requestId: r.requestId,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    roundTripMs: r.roundTripMs,
    runtimeMs: r.runtimeMs,
    latencyMs: r.latencyMs,
    concurrencyAtStart: p.concurrencyAtStart,
    runtimeOverlap: null,
    coldStart: r.coldStart,
    instanceId: r.instanceId,
    instanceInvocations: r.instanceInvocations,
    cpuType: r.cpuType,
    cpuModel: r.cpuModel,
    cpuCores: r.cpuCores,
    architecture: r.architecture,
    hostBootTime: r.hostBootTime,
    region: r.region,
    cpuAllocated: r.cpuAllocated,
    billedMs: r.billedMs,
    initMs: r.initMs,
    maxMemoryUsedMb: r.maxMemoryUsedMb,
    costUsd: r.costUsd,
    failed: r.failed,
    timedOut: r.timedOut,
    errorType: r.errorType,
    errorMessage: r.errorMessage,
    attempts: r.attempts,
    retryDelayMs: r.retryDelayMs,
    statusCode: r.statusCode,
    payloadBytes: r.payloadBytes,
    responseBytes: r.responseBytes,
    scheduledAt: p.scheduledAt ?? null,
    sendDelayMs: p.sendDelayMs ?? null,
  };
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
