/** The figure spec every helper returns, plus the look they share (no plotly template involved). */
import { inspect } from "node:util";
import type { Annotation, Config, Data, Layout, LayoutAxis } from "plotly.js-dist-min";
import { showFigure } from "./display-hook";

/** A plotly figure: what Plotly.newPlot(div, data, layout, config) and the plotly MIME type take. */
export interface Figure {
  data: Data[];
  layout: Partial<Layout>;
  config?: Partial<Config>;
}

/** Options every helper takes. */
export interface PlotOptions {
  /** Replaces the generated title. */
  title?: string;
  /** Height in px (the width follows the page). */
  height?: number;
  /** false: only build the figure, don't display it in the notebook (default true). */
  show?: boolean;
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
];
export const COLORS = { warm: "#0072B2", cold: "#E69F00", failed: "#D55E00", muted: "#888888" } as const;

export function colorAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

const FONT = { family: "DejaVu Sans, Helvetica, Arial, sans-serif", size: 13, color: "#222222" };

/** An axis with explicit colours, so the figure looks the same in every front end. */
export function axis(title: string, extra: Partial<LayoutAxis> = {}): Partial<LayoutAxis> {
  return {
    title: { text: title },
    showgrid: true,
    gridcolor: "#e6e6e6",
    showline: true,
    linecolor: "#444444",
    zeroline: false,
    ticks: "outside",
    tickcolor: "#444444",
    automargin: true,
    ...extra,
  };
}

export function baseLayout(
  title: string,
  xTitle: string,
  yTitle: string,
  options: PlotOptions,
): Partial<Layout> {
  return {
    title: { text: options.title ?? title, x: 0.02, xanchor: "left" },
    font: FONT,
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    colorway: PALETTE,
    height: options.height ?? 420,
    margin: { l: 70, r: 30, t: 60, b: 60 },
    legend: { bgcolor: "rgba(255,255,255,0.8)" },
    hoverlabel: { font: { family: FONT.family } },
    xaxis: axis(xTitle),
    yaxis: axis(yTitle),
  };
}

/** The annotation an empty figure carries instead of an empty frame that looks like a bug. */
export function noDataAnnotation(): Annotation {
  return {
    text: "no data",
    xref: "paper",
    yref: "paper",
    x: 0.5,
    y: 0.5,
    showarrow: false,
    font: { size: 18, color: COLORS.muted },
  };
}

/** Config that needs nothing from the network and resizes with its container. */
export function baseConfig(): Partial<Config> {
  return { responsive: true, displaylogo: false, showSendToCloud: false };
}

/**
 * Completes a figure: config, the "no data" note when empty, a short console form (tslab prints a
 * cell's value with console.log, which would otherwise dump every data point), then displays it.
 */
export function finish(data: Data[], layout: Partial<Layout>, empty: boolean, options: PlotOptions): Figure {
  if (empty) layout.annotations = [...(layout.annotations ?? []), noDataAnnotation()];
  const fig: Figure = { data, layout, config: baseConfig() };
  Object.defineProperty(fig, inspect.custom, { value: describe, enumerable: false });
  if (options.show !== false) showFigure(fig);
  return fig;
}

function describe(this: Figure): string {
  const title = this.layout.title?.text ?? "untitled";
  return `Figure "${title}" (${this.data.length} trace${this.data.length === 1 ? "" : "s"})`;
}
