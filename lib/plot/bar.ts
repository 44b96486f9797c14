/** Bars of one summary statistic per group, from result.by(column[, metric]). */
import type { Data, ErrorBar } from "plotly.js-dist-min";
import type { Summary } from "../stats/summary";
import { capitalise } from "./distribution";
import { axis, baseLayout, colorAt, finish, type Figure, type PlotOptions } from "./figure";
import { axisTitle, keyLabel, nameOf, unitOf } from "./labels";

/** The numeric fields of a Summary that a bar can show. */
export const SUMMARY_STATS = [
  "n",
  "mean",
  "sd",
  "cv",
  "min",
  "p50",
  "p90",
  "p95",
  "p99",
  "max",
  "trimmedMean",
] as const;
export type SummaryStat = (typeof SUMMARY_STATS)[number];

/** result.by(column, metric) gives Summary groups; result.by(column) one Summary per default metric. */
export type SummaryGroups =
  | readonly { key: unknown; summary: Summary }[]
  | readonly { key: unknown; summary: Readonly<Record<string, Summary>> }[];

export interface BarOptions extends PlotOptions {
  /** The metric summarised, for the axis title and unit (by(column, metric) does not record it). */
  metric?: string;
  /** The column the groups come from, for the axis title. */
  by?: string;
}

export function bar(groups: SummaryGroups, stat: SummaryStat = "p50", options: BarOptions = {}): Figure {
  if (!Array.isArray(groups))
    throw new TypeError("plot.bar: expected the array result.by(column[, metric]) returns");
  if (!(SUMMARY_STATS as readonly string[]).includes(stat)) {
    throw new RangeError(`plot.bar: unknown stat "${String(stat)}"; one of ${SUMMARY_STATS.join(", ")}`);
  }
  const labels = groups.map((g) => keyLabel(g.key));
  // by(column) without a metric: one trace per metric (roundTripMs, runtimeMs, latencyMs), grouped
  const perMetric = groups.length > 0 && !isSummary(groups[0].summary);
  const metrics = perMetric ? Object.keys(groups[0].summary) : [options.metric ?? ""];
  let measured = 0;
  const data: Data[] = metrics.map((metric, i) => {
    const summaries = groups.map((g): Summary | undefined =>
      perMetric ? (g.summary as Record<string, Summary>)[metric] : (g.summary as Summary),
    );
    measured += summaries.reduce((sum, s) => sum + (s?.n ?? 0), 0);
    return {
      type: "bar",
      name: metric === "" ? stat : nameOf(metric),
      x: labels,
      y: summaries.map((s) => s?.[stat] ?? null),
      marker: { color: colorAt(i) },
      error_y: stat === "mean" ? meanErrors(summaries) : undefined,
      customdata: summaries.map((s) => s?.n ?? 0),
      hovertemplate: `%{x}: %{y}<br>n = %{customdata}<extra>${metric === "" ? "" : nameOf(metric)}</extra>`,
    };
  });
  const what = metrics[0] === "" ? "" : ` of ${metrics.map(nameOf).join(", ")}`;
  const layout = baseLayout(
    `${capitalise(statLabel(stat))}${what} by ${options.by ?? "group"}`,
    options.by ?? "group",
    yTitle(stat, metrics),
    options,
  );
  layout.xaxis = axis(options.by ?? "group", { type: "category", showgrid: false });
  layout.barmode = "group";
  layout.showlegend = perMetric;
  return finish(data, layout, measured === 0, options);
}

function isSummary(value: unknown): value is Summary {
  return typeof value === "object" && value !== null && typeof (value as Summary).n === "number";
}

/** Asymmetric bars to the ends of the confidence interval of the mean (none where n < 2). */
function meanErrors(summaries: readonly (Summary | undefined)[]): ErrorBar {
  const upper = (s: Summary | undefined): number | null =>
    s?.ciMean && s.mean !== null ? s.ciMean[1] - s.mean : null;
  const lower = (s: Summary | undefined): number | null =>
    s?.ciMean && s.mean !== null ? s.mean - s.ciMean[0] : null;
  return {
    type: "data",
    symmetric: false,
    array: summaries.map(upper),
    arrayminus: summaries.map(lower),
    color: "#444444",
  };
}

function statLabel(stat: SummaryStat): string {
  return stat === "p50" ? "median" : stat === "trimmedMean" ? "trimmed mean" : stat === "sd" ? "SD" : stat;
}

function yTitle(stat: SummaryStat, metrics: string[]): string {
  if (stat === "n") return "invocations";
  if (stat === "cv") return "coefficient of variation";
  if (metrics.length > 1) {
    const units = new Set(metrics.map(unitOf));
    return units.size === 1 && !units.has(null) ? `${statLabel(stat)} (${[...units][0]})` : statLabel(stat);
  }
  return metrics[0] === "" ? statLabel(stat) : `${statLabel(stat)} ${axisTitle(metrics[0])}`;
}
