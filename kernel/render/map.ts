/** HTML for map() and pipeline() results: the report as tables, failed chunks listed. */
import { MapResult } from "../../lib/map/result";
import { PipelineResult } from "../../lib/map/pipeline-result";
import type { ChunkFailure } from "../../lib/map/map-error";
import type { StepReport } from "../../lib/map/report";
import { escapeHtml, formatDuration, note, table } from "./html";

/** instanceof, or the same class from another copy of faaslab loaded in the kernel. */
export function isMapResult(value: unknown): value is MapResult {
  if (value instanceof MapResult) return true;
  const v = value as MapResult | null;
  return (
    typeof value === "object" &&
    v?.constructor?.name === "MapResult" &&
    Array.isArray(v.results) &&
    typeof v.report === "object"
  );
}

export function isPipelineResult(value: unknown): value is PipelineResult {
  if (value instanceof PipelineResult) return true;
  const v = value as PipelineResult | null;
  return (
    typeof value === "object" &&
    v?.constructor?.name === "PipelineResult" &&
    Array.isArray(v.results) &&
    Array.isArray(v.report?.steps)
  );
}

const title = (text: string, rest: string) =>
  `<div style="font-weight:600;margin:2px 0">${escapeHtml(text)} <span style="font-weight:normal">${rest}</span></div>`;

function stepRows(steps: readonly StepReport[]): (string | number | null)[][] {
  return steps.map((s) => [
    s.step,
    s.name,
    s.kind,
    s.workers,
    s.elements,
    s.elementsOut,
    formatDuration(s.durationMs),
    s.kind === "parallel" ? s.chunks : null,
    s.kind === "parallel" ? s.invocations : null,
    s.kind === "parallel" ? s.coldStarts : null,
    s.kind === "parallel" ? s.retried : null,
    s.kind === "parallel" ? s.failedChunks : null,
  ]);
}

const STEP_HEADERS = [
  "step",
  "name",
  "kind",
  "workers",
  "elements in",
  "out",
  "duration",
  "chunks",
  "invocations",
  "cold starts",
  "retried",
  "failed",
];

function failureTable(failures: readonly ChunkFailure[]): string {
  if (failures.length === 0) return "";
  const shown = failures
    .slice(0, 20)
    .map((f) => [f.chunk, `${f.start}–${f.end - 1}`, f.errorType, f.errorMessage, f.invocations]);
  const more =
    failures.length > shown.length
      ? note(`and ${failures.length - shown.length} more in result.failures`)
      : "";
  return `<div style="margin-top:6px">${table(["chunk", "elements", "error", "message", "invocations"], shown)}${more}</div>`;
}

export function renderMapResult(m: MapResult): string {
  const r = m.report;
  const status = r.aborted
    ? `<span style="color:#b35900">aborted</span>`
    : r.failedChunks > 0
      ? `<span style="color:#b35900">${r.failedChunks} chunk(s) failed, skipped</span>`
      : `<span style="color:#1a7f37">complete</span>`;
  const head = title(
    `Map ${r.experiment}`,
    `· ${escapeHtml(r.functionName)} on ${escapeHtml(r.platform)} · ${status}`,
  );
  const figures = table(
    ["", "value"],
    [
      ["elements", r.elements],
      ["chunks", `${r.chunks} (up to ${r.chunkSize} elements)`],
      ["workers", r.workers],
      ["duration", formatDuration(r.durationMs)],
      ["invocations", r.invocations],
      ["cold starts", r.coldStarts],
      ["instances", r.instances],
      ["chunks retried", r.retried],
      ["chunks failed", r.failedChunks],
      ["elements without a result", r.missingElements],
    ],
    { rowHeaders: true },
  );
  const rows = note(
    `${m.experiment.allRows.length} invocations in m.rows / m.df; load(fn, "${r.experiment}") reads them back`,
  );
  return `<div class="faaslab faaslab-map" style="margin:4px 0">${head}${figures}${rows}${failureTable(m.failures)}</div>`;
}

export function renderPipelineResult(p: PipelineResult): string {
  const r = p.report;
  const overview: (string | number | null)[][] = [["elements", r.elements]];
  if (r.baseline)
    overview.push(["regular duration (1 worker per step)", formatDuration(r.baseline.durationMs)]);
  overview.push(["parallel duration", formatDuration(r.durationMs)]);
  if (r.speedup !== null) overview.push(["speedup", `${r.speedup.toFixed(1)}×`]);
  overview.push(["elements out", r.elementsOut]);
  const head = title(`Pipeline ${r.name}`, `· ${r.steps.length} steps`);
  const steps = table(STEP_HEADERS, stepRows(r.steps));
  return `<div class="faaslab faaslab-pipeline" style="margin:4px 0">${head}${table(["", "value"], overview, { rowHeaders: true })}<div style="margin-top:6px">${steps}</div></div>`;
}
