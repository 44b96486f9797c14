/** HTML for an ExperimentResult: what ran, how it ended, the overview figures and the timing summary. */
import { ExperimentResult } from "../../lib/experiment/result";
import type { ExperimentOverview } from "../../lib/experiment/meta";
import { escapeHtml, formatDuration, formatNumber, formatPercent, note, table, warningList } from "./html";
import { renderSummaryRecord } from "./summary";

/** instanceof, or the same class from another copy of faaslab loaded in the kernel. */
export function isExperimentResult(value: unknown): value is ExperimentResult {
  if (value instanceof ExperimentResult) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    value.constructor?.name === "ExperimentResult" &&
    Array.isArray((value as ExperimentResult).metas) &&
    typeof (value as ExperimentResult).summary === "function"
  );
}

function names(r: ExperimentResult): string {
  return [...new Set(r.metas.map((m) => m.name))].join(", ");
}

function statusHtml(r: ExperimentResult): string {
  if (r.complete) return `<span style="color:#1a7f37">complete</span>`;
  const meta = r.meta;
  const reason = meta.reason ? `: ${meta.reason}` : "";
  return `<span style="color:#b35900">${escapeHtml(meta.status + reason)}</span>`;
}

function overviewTable(o: ExperimentOverview): string {
  const rows = [
    ["invocations", o.invocations],
    ["failed", o.failed === 0 ? 0 : `${o.failed} (${formatPercent(o.errorRate)})`],
    ["cold starts", o.coldStarts],
    ["instances", o.distinctInstances],
    ["throughput", o.throughputPerS === null ? null : `${formatNumber(o.throughputPerS)} /s`],
    ["duration", o.durationMs === null ? null : formatDuration(o.durationMs)],
    ["instance reuse", o.instanceReuse === null ? null : formatPercent(o.instanceReuse)],
  ];
  if (o.warmups > 0) rows.splice(1, 0, ["warmups (excluded)", o.warmups]);
  return table(["", "value"], rows, { rowHeaders: true });
}

/** The whole result. Never throws for a result with no successful row (its summary is all —). */
export function renderExperimentResult(r: ExperimentResult): string {
  const meta = r.meta;
  const runs = r.metas.map((m) => m.run).join(", ");
  const title =
    `<div style="font-weight:600;margin:2px 0">Experiment ${escapeHtml(names(r))} ` +
    `<span style="font-weight:normal">· ${escapeHtml(meta.functionName)} on ${escapeHtml(meta.platform)} · ` +
    `run ${escapeHtml(runs)} · ${statusHtml(r)}</span></div>`;
  let summaryHtml: string;
  try {
    summaryHtml = renderSummaryRecord(r.summary());
  } catch (error) {
    summaryHtml = note(`no summary: ${error instanceof Error ? error.message : String(error)}`);
  }
  const layout =
    `<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start">` +
    `<div>${overviewTable(r.overview())}</div><div>${summaryHtml}` +
    note(`successful invocations only; ${r.rows.length} rows in r.df / r.rows`) +
    `</div></div>`;
  return `<div class="faaslab faaslab-result" style="margin:4px 0">${title}${layout}${warningList(r.warnings)}</div>`;
}

/** One line for text/plain. */
export function experimentResultText(r: ExperimentResult): string {
  const status = r.complete ? "complete" : r.meta.status;
  return `ExperimentResult "${names(r)}" (${r.meta.functionName}, ${r.rows.length} rows, ${status})`;
}
