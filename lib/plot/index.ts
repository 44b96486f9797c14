/** lib/plot: pure builders of plotly figure specs from experiment results (rendering lives in kernel/). */
import { bar } from "./bar";
import { concurrency } from "./concurrency";
import { box, cdf, histogram } from "./distribution";
import { save } from "./html";
import { sweep } from "./sweep";
import { timeline } from "./timeline";
import { instances } from "./instances-live";

export const plot = { histogram, box, cdf, timeline, concurrency, sweep, bar, save, instances };

export { histogram, box, cdf, timeline, concurrency, sweep, bar, save, instances };
export { setFigureDisplay, showFigure, setLiveFigureDisplay, openLiveFigure } from "./display-hook";
export type { FigureDisplay, LiveFigure, LiveFigureDisplay } from "./display-hook";
export type { InstancesPlotOptions, InstancesSource } from "./instances";
export { figureHTML, figureJSON, plotlyBundle } from "./html";
export type { SaveOptions } from "./html";
export type { Figure, PlotOptions } from "./figure";
export type { HistogramOptions, DistributionOptions } from "./distribution";
export type { Results, SelectOptions } from "./values";
export type { TimedOptions } from "./timeline";
export type { SweepPlotOptions, SweepPoint } from "./sweep";
export type { BarOptions, SummaryGroups, SummaryStat } from "./bar";
