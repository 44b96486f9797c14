import type { Row } from "../experiment/row";
import type { Chunk } from "./chunks";

/** What happened to one chunk in the end. */
export type ChunkStatus = "ok" | "failed" | "aborted" | "not started";

export interface ChunkOutcome {
  chunk: Chunk;
  status: ChunkStatus;
  /** Invocations made for it (retries included); 0 when it never started. */
  invocations: number;
  errorType: string | null;
  errorMessage: string | null;
}

/** One step's figures: a map, or one step of a pipeline (sequential steps have no chunks). */
export interface StepReport {
  /** 1-based position in the pipeline (a map is step 1). */
  step: number;
  /** The cloud function's name, or the sequential function's. */
  name: string;
  kind: "parallel" | "sequential";
  /** Most invocations in flight allowed (1 for a sequential step). */
  workers: number;
  /** Elements that went in. */
  elements: number;
  /** Elements that came out (holes of failed chunks not counted). */
  elementsOut: number;
  durationMs: number;
  chunks: number;
  invocations: number;
  coldStarts: number;
  instances: number;
  /** Chunks that took more than one invocation. */
  retried: number;
  failedChunks: number;
  /** Input elements without a result (failed, aborted or never started chunks). */
  missingElements: number;
  aborted: boolean;
}

/** map()'s report: its one step plus where it was recorded. */
export interface MapReport extends StepReport {
  experiment: string;
  functionName: string;
  platform: string;
  /** Largest chunk, in elements. */
  chunkSize: number;
}

/** The figures of one parallel step from its chunks' outcomes and its journaled rows. */
export function stepFigures(
  outcomes: readonly ChunkOutcome[],
  rows: Iterable<Row>,
): Pick<
  StepReport,
  "chunks" | "invocations" | "coldStarts" | "instances" | "retried" | "failedChunks" | "missingElements"
> {
  let invocations = 0;
  let coldStarts = 0;
  const instances = new Set<string>();
  for (const row of rows) {
    invocations += 1;
    if (row.coldStart === true) coldStarts += 1;
    if (typeof row.instanceId === "string") instances.add(row.instanceId);
  }
  let retried = 0;
  let failedChunks = 0;
  let missingElements = 0;
  for (const o of outcomes) {
    if (o.invocations > 1) retried += 1;
    if (o.status === "failed") failedChunks += 1;
    if (o.status !== "ok") missingElements += o.chunk.end - o.chunk.start;
  }
  return {
    chunks: outcomes.length,
    invocations,
    coldStarts,
    instances: instances.size,
    retried,
    failedChunks,
    missingElements,
  };
}

/** Baseline time over parallel time; null when either is not a positive duration. */
export function speedup(baselineMs: number, parallelMs: number): number | null {
  return baselineMs > 0 && parallelMs > 0 ? baselineMs / parallelMs : null;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** `Step "geolocate" took 18.65s for 100 workers and 3000 elements` (the seed's line). */
export function stepLine(s: StepReport): string {
  const workers = `${s.workers} worker${s.workers === 1 ? "" : "s"}`;
  const notes: string[] = [];
  if (s.retried > 0) notes.push(`${s.retried} chunk${s.retried === 1 ? "" : "s"} retried`);
  if (s.failedChunks > 0) notes.push(`${s.failedChunks} failed`);
  if (s.aborted) notes.push("aborted");
  const extra = notes.length ? ` (${notes.join(", ")})` : "";
  return `Step "${s.name}" took ${seconds(s.durationMs)} for ${workers} and ${s.elements} elements${extra}`;
}

/** A map's report as the seed prints a pipeline's. */
export function mapReportText(r: MapReport): string {
  return [
    `Number of elements = ${r.elements}`,
    `Parallel duration = ${seconds(r.durationMs)}`,
    `${r.chunks} chunks of up to ${r.chunkSize} elements, ${r.invocations} invocations, ${r.coldStarts} cold starts, ${r.instances} instances`,
    `  1 - ${stepLine(r)}`,
  ].join("\n");
}
