/** Distributions of one metric: histogram, box plot, empirical CDF. */
import type { Data } from "plotly.js-dist-min";
import type { ExperimentResult } from "../experiment/result";
import { axis, baseLayout, colorAt, finish, type Figure, type PlotOptions } from "./figure";
import { axisTitle, nameOf } from "./labels";
import { experimentName, series, type Results, type SelectOptions } from "./values";

export interface HistogramOptions extends PlotOptions, SelectOptions {
  /** Maximum number of bins (plotly picks nice bin edges up to this many). */
  bins?: number;
}

export type DistributionOptions = PlotOptions & SelectOptions;

/** Histogram of one metric; with `by`, one overlaid histogram per group (e.g. by: "coldStart"). */
export function histogram(r: ExperimentResult, metric = "runtimeMs", options: HistogramOptions = {}): Figure {
  const groups = series(r, metric, options);
  const overlay = groups.length > 1;
  const data: Data[] = groups.map((s, i) => ({
    type: "histogram",
    name: s.name,
    x: s.values,
    nbinsx: options.bins,
    opacity: overlay ? 0.65 : 1,
    marker: { color: colorAt(i), line: { color: "#ffffff", width: 1 } },
    hovertemplate: `%{x}<br>%{y} invocations<extra>${escapeExtra(s.name)}</extra>`,
  }));
  const n = count(groups);
  const layout = baseLayout(
    `${capitalise(nameOf(metric))} — ${experimentName(r)} (n = ${n})`,
    axisTitle(metric),
    "invocations",
    options,
  );
  layout.barmode = "overlay";
  layout.showlegend = overlay;
  return finish(data, layout, n === 0, options);
}

/** One box per result (or group): compare functions or settings. Outliers drawn as points. */
export function box(rs: Results, metric = "runtimeMs", options: DistributionOptions = {}): Figure {
  const groups = series(rs, metric, options);
  const data: Data[] = groups.map((s, i) => ({
    type: "box",
    name: s.group ?? s.name, // the axis is titled with the column already
    y: s.values,
    boxpoints: "outliers",
    boxmean: true,
    marker: { color: colorAt(i), size: 4 },
    line: { color: colorAt(i) },
  }));
  const across = options.by ?? "experiment";
  const layout = baseLayout(`${capitalise(nameOf(metric))} by ${across}`, across, axisTitle(metric), options);
  layout.xaxis = axis(across, { type: "category", showgrid: false });
  layout.showlegend = false;
  return finish(data, layout, count(groups) === 0, options);
}

/** Empirical CDF, one step line per result (or group): F(x) = share of invocations ≤ x. */
export function cdf(rs: Results, metric = "runtimeMs", options: DistributionOptions = {}): Figure {
  const groups = series(rs, metric, options);
  const data: Data[] = groups.map((s, i) => {
    const { x, y } = ecdf(s.values);
    return {
      type: "scatter",
      mode: "lines",
      name: `${s.name} (n = ${s.values.length})`,
      x,
      y,
      line: { shape: "hv", color: colorAt(i), width: 2 },
      hovertemplate: `%{x}<br>F = %{y:.3f}<extra>${escapeExtra(s.name)}</extra>`,
    };
  });
  const layout = baseLayout(
    `CDF of ${nameOf(metric)}`,
    axisTitle(metric),
    "fraction of invocations ≤ x",
    options,
  );
  layout.yaxis = axis("fraction of invocations ≤ x", { range: [0, 1.02] });
  return finish(data, layout, count(groups) === 0, options);
}

/**
 * Points of the ECDF for a step line drawn with shape "hv": it starts at (min, 0) and rises by the
 * share of each value at that value (ties rise together).
 */
export function ecdf(values: readonly number[]): { x: number[]; y: number[] } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { x: [], y: [] };
  const x = [sorted[0]];
  const y = [0];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue; // the step happens after the last tie
    x.push(sorted[i]);
    y.push((i + 1) / n);
  }
  return { x, y };
}

function count(groups: readonly { values: readonly number[] }[]): number {
  return groups.reduce((sum, s) => sum + s.values.length, 0);
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Trace names go into hover templates, where %{…} and tags would be interpreted. */
export function escapeExtra(name: string): string {
  return name.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/%\{/g, "%&#123;");
}
