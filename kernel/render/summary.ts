/** HTML tables for stats.summary(), result.summary() (one Summary per metric) and result.by(). */
import type { Summary } from "../../lib/stats/summary";
import { MISSING, formatNumber, section, table, type Cell } from "./html";

export type SummaryRecord = Record<string, Summary>;
export interface SummaryGroup {
  key: unknown;
  summary: Summary | SummaryRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Duck-typed: the plain object stats.summary() returns. */
export function isSummary(value: unknown): value is Summary {
  return (
    isObject(value) &&
    typeof value.n === "number" &&
    "mean" in value &&
    "p50" in value &&
    "ciMean" in value &&
    typeof value.confidence === "number" &&
    typeof value.trim === "number"
  );
}

/** { roundTripMs: Summary, runtimeMs: Summary, … } as result.summary() returns. */
export function isSummaryRecord(value: unknown): value is SummaryRecord {
  if (!isObject(value) || Array.isArray(value)) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every(isSummary);
}

/** [{ key, summary }, …] as result.by(column[, metric]) returns. */
export function isSummaryGroups(value: unknown): value is SummaryGroup[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((g) => isObject(g) && "key" in g && (isSummary(g.summary) || isSummaryRecord(g.summary)))
  );
}

const STAT_HEADERS = ["n", "mean", "sd", "cv", "min", "p50", "p90", "p95", "p99", "max"];

function ciText(ci: [number, number] | null): string {
  return ci === null ? MISSING : `${formatNumber(ci[0])} – ${formatNumber(ci[1])}`;
}

function statCells(s: Summary): Cell[] {
  return [s.n, s.mean, s.sd, s.cv, s.min, s.p50, s.p90, s.p95, s.p99, s.max, ciText(s.ciMean)];
}

function statHeaders(s: Summary | undefined): string[] {
  const level = Math.round((s?.confidence ?? 0.95) * 100);
  return [...STAT_HEADERS, `${level}% CI of mean`];
}

/** One Summary as a one-row table. */
export function renderSummary(s: Summary, label = "value"): string {
  return table(["", ...statHeaders(s)], [[label, ...statCells(s)]], { rowHeaders: true });
}

/** One row per metric, e.g. result.summary(). */
export function renderSummaryRecord(record: SummaryRecord): string {
  const entries = Object.entries(record);
  const rows = entries.map(([metric, s]) => [metric, ...statCells(s)]);
  return table(["metric", ...statHeaders(entries[0]?.[1])], rows, { rowHeaders: true });
}

/** One row per group (and metric), e.g. result.by("memoryMb"). */
export function renderSummaryGroups(groups: SummaryGroup[], keyName = "key"): string {
  const rows: Cell[][] = [];
  let first: Summary | undefined;
  const perMetric = groups.some((g) => !isSummary(g.summary));
  for (const g of groups) {
    if (isSummary(g.summary)) {
      first ??= g.summary;
      rows.push([g.key, ...(perMetric ? [""] : []), ...statCells(g.summary)]);
      continue;
    }
    for (const [metric, s] of Object.entries(g.summary)) {
      first ??= s;
      rows.push([g.key, metric, ...statCells(s)]);
    }
  }
  const headers = [keyName, ...(perMetric ? ["metric"] : []), ...statHeaders(first)];
  return section(
    `${groups.length} group${groups.length === 1 ? "" : "s"}`,
    table(headers, rows, { rowHeaders: true }),
  );
}

/** Text for text/plain next to the HTML (what a plain-text viewer of the notebook shows). */
export function summaryText(s: Summary): string {
  return `Summary n=${s.n} mean=${formatNumber(s.mean)} p50=${formatNumber(s.p50)} p95=${formatNumber(s.p95)}`;
}
