/** A memory sweep: median metric (left axis) and mean cost per invocation (right axis) per setting. */
import type { Data } from "plotly.js-dist-min";
import type { ExperimentResult } from "../experiment/result";
import { percentile } from "../stats/percentile";
import { capitalise } from "./distribution";
import { axis, baseLayout, COLORS, finish, type Figure, type PlotOptions } from "./figure";
import { axisTitle, nameOf } from "./labels";
import { experimentName, numbers, splitBy } from "./values";

export interface SweepPlotOptions extends PlotOptions {
  includeFailed?: boolean;
}

/** What the figure shows for one memory setting. */
export interface SweepPoint {
  memoryMb: number;
  n: number;
  p25: number | null;
  median: number | null;
  p75: number | null;
  /** Mean costUsd over the rows that have one; null when none has. */
  meanCostUsd: number | null;
}

export function sweepPoints(s: ExperimentResult, metric: string, includeFailed = false): SweepPoint[] {
  if (s.rows.length > 0) s.column(metric); // an unknown or text metric fails here, with the column list
  return splitBy(s, "memoryMb", includeFailed)
    .filter((entry): entry is [number, (typeof entry)[1]] => typeof entry[0] === "number")
    .map(([memoryMb, rows]) => {
      const values = numbers(rows, metric);
      const costs = numbers(rows, "costUsd");
      return {
        memoryMb,
        n: values.length,
        p25: percentile(values, 25),
        median: percentile(values, 50),
        p75: percentile(values, 75),
        meanCostUsd: costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : null,
      };
    });
}

/** The setting to pick: lowest mean cost when costs are known, else lowest median; ties → less memory. */
export function bestSetting(
  points: readonly SweepPoint[],
): { point: SweepPoint; by: "cost" | "median" } | null {
  const pick = (get: (p: SweepPoint) => number | null): SweepPoint | null => {
    let best: SweepPoint | null = null;
    for (const p of points) {
      const v = get(p);
      if (v !== null && (best === null || v < (get(best) as number))) best = p;
    }
    return best;
  };
  const cheapest = pick((p) => p.meanCostUsd);
  if (cheapest) return { point: cheapest, by: "cost" };
  const fastest = pick((p) => p.median);
  return fastest ? { point: fastest, by: "median" } : null;
}

export function sweep(s: ExperimentResult, metric = "runtimeMs", options: SweepPlotOptions = {}): Figure {
  const points = sweepPoints(s, metric, options.includeFailed);
  const hasCost = points.some((p) => p.meanCostUsd !== null);
  const x = points.map((p) => p.memoryMb);
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: `median ${nameOf(metric)} (bars: p25–p75)`,
      x,
      y: points.map((p) => p.median),
      error_y: {
        type: "data",
        symmetric: false,
        array: points.map((p) => (p.median === null || p.p75 === null ? null : p.p75 - p.median)),
        arrayminus: points.map((p) => (p.median === null || p.p25 === null ? null : p.median - p.p25)),
        color: COLORS.warm,
      },
      line: { color: COLORS.warm, width: 2 },
      marker: { color: COLORS.warm, size: 8 },
      customdata: points.map((p) => p.n),
      hovertemplate: "%{x} MB: median %{y}<br>n = %{customdata}<extra></extra>",
    },
  ];
  if (hasCost) {
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: "mean cost per invocation",
      x,
      y: points.map((p) => p.meanCostUsd),
      yaxis: "y2",
      line: { color: COLORS.cold, width: 2, dash: "dash" },
      marker: { color: COLORS.cold, size: 8, symbol: "square" },
      hovertemplate: "%{x} MB: %{y:.3e} USD<extra></extra>",
    });
  }
  const best = bestSetting(points);
  if (best) {
    const onCost = best.by === "cost";
    data.push({
      type: "scatter",
      mode: "markers",
      name: `best: ${best.point.memoryMb} MB (lowest ${onCost ? "cost" : `median ${nameOf(metric)}`})`,
      x: [best.point.memoryMb],
      y: [onCost ? best.point.meanCostUsd : best.point.median],
      yaxis: onCost ? "y2" : "y",
      marker: { color: "#000000", size: 18, symbol: "star-open", line: { width: 2 } },
      hoverinfo: "name",
    });
  }
  const title =
    `${capitalise(nameOf(metric))}${hasCost ? " and cost" : ""} by memory — ${experimentName(s)}` +
    (hasCost || points.length === 0 ? "" : " (no cost data: costUsd is empty)");
  const layout = baseLayout(title, "memory (MB)", `median ${axisTitle(metric)}`, options);
  // log₂-spaced settings (128, 256, 512 …) read best on a log axis, ticked at the settings themselves
  const logScale = x.length > 2 && x.every((m) => m > 0);
  layout.xaxis = axis("memory (MB)", { type: logScale ? "log" : "linear", tickmode: "array", tickvals: x });
  layout.yaxis = axis(`median ${axisTitle(metric)}`, { rangemode: "tozero" });
  if (hasCost) {
    layout.yaxis2 = axis("mean cost per invocation (USD)", {
      overlaying: "y",
      side: "right",
      showgrid: false,
      rangemode: "tozero",
      exponentformat: "e",
    });
    layout.margin = { ...layout.margin, r: 90 };
  }
  layout.legend = { ...layout.legend, orientation: "h", y: -0.22 };
  return finish(data, layout, points.length === 0, options);
}
