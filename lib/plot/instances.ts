/** Instances over time: replicas starting / ready / busy and the queue as step lines, panic shaded. */
import type { Data, Shape } from "plotly.js-dist-min";
import type { ExperimentResult } from "../experiment/result";
import type { InstanceSample } from "../platform";
import { baseLayout, COLORS, finish, type Figure, type PlotOptions } from "./figure";
import { experimentName, finite } from "./values";

export interface InstancesPlotOptions extends PlotOptions {
  /** Mark each request's arrival (experiment results only; default false). */
  arrivals?: boolean;
  /** Draw the policy's wanted count (`desired`) where the platform reports it (default true). */
  desired?: boolean;
}

/** What plot.instances draws from: an experiment result, a watchInstances() watch, or samples. */
export type InstancesSource =
  | ExperimentResult
  | {
      readonly functionName: string;
      readonly samples: readonly InstanceSample[];
      readonly running: boolean;
      readonly stoppedAt?: number | null;
      /** A running watch's subscriptions: a figure of it in a notebook is redrawn live. */
      onSample?(fn: () => void): () => void;
      onStop?(fn: () => void): () => void;
    }
  | readonly InstanceSample[];

const PANIC_FILL = "rgba(213, 94, 0, 0.13)";
const SERIES = [
  { key: "ready", name: "ready", color: COLORS.warm, dash: "solid", width: 2.5 },
  { key: "starting", name: "starting (cold starts)", color: COLORS.cold, dash: "solid", width: 2 },
  { key: "busy", name: "busy", color: "#009E73", dash: "dot", width: 2 },
  { key: "queued", name: "queued requests", color: "#CC79A7", dash: "dash", width: 2 },
] as const;

interface Prepared {
  samples: readonly InstanceSample[];
  title: string;
  /** Where the last step ends (epoch ms): now for a running watch, when watching ended, else the last sample. */
  until: number;
  /** Requests' start and end times (epoch ms), for experiment results. */
  requests: { start: number; end: number }[];
}

/**
 * Replicas and queue over time (the seed's animation as one picture): one sample holds until the next
 * (step lines), panic periods are shaded, the last request's end is marked when the timeline goes on
 * past it (observeAfterS). Time is seconds since the timeline's first sample.
 */
export function instancesFigure(source: InstancesSource, options: InstancesPlotOptions = {}): Figure {
  const { samples, title, until, requests } = prepare(source);
  const t0 = samples.length ? samples[0].at : 0;
  const sec = (at: number) => Math.round(at - t0) / 1000;
  const data: Data[] = [];
  for (const series of SERIES) {
    const values = samples.map((s) => s[series.key]);
    if (series.key === "queued" && values.every((v) => v === 0)) continue;
    data.push(stepTrace(series.name, samples, values, until, sec, series));
  }
  if (options.desired !== false && samples.some((s) => typeof s.desired === "number")) {
    const values = samples.map((s) => s.desired);
    data.push(
      stepTrace("desired (policy)", samples, values, until, sec, {
        color: "#555555",
        dash: "dashdot",
        width: 1.5,
      }),
    );
  }
  const panics = panicPeriods(samples, until);
  const shapes: Partial<Shape>[] = panics.map(([from, to]) => ({
    type: "rect",
    xref: "x",
    yref: "paper",
    x0: sec(from),
    x1: sec(to),
    y0: 0,
    y1: 1,
    fillcolor: PANIC_FILL,
    line: { width: 0 },
    layer: "below",
  }));
  if (panics.length) data.push(panicLegend());
  const layout = baseLayout(title, "time (s)", "instances", options);
  const lastEnd = requests.reduce((max, r) => Math.max(max, r.end), -Infinity);
  if (samples.length && Number.isFinite(lastEnd) && until - lastEnd > 1000) {
    shapes.push({
      type: "line",
      xref: "x",
      yref: "paper",
      x0: sec(lastEnd),
      x1: sec(lastEnd),
      y0: 0,
      y1: 1,
      line: { color: COLORS.muted, width: 1, dash: "dot" },
    });
    layout.annotations = [
      {
        x: sec(lastEnd),
        xref: "x",
        y: 1,
        yref: "paper",
        text: "last request",
        showarrow: false,
        yanchor: "bottom",
      },
    ];
  }
  if (options.arrivals && requests.length && samples.length) data.push(arrivalTrace(requests, sec));
  layout.shapes = shapes;
  const top = samples.reduce((max, s) => Math.max(max, s.starting + s.ready, s.queued, s.desired ?? 0), 0);
  layout.yaxis = { ...layout.yaxis, rangemode: "tozero", ...(top <= 10 ? { dtick: 1 } : {}) };
  layout.xaxis = { ...layout.xaxis, rangemode: "tozero" };
  return finish(data, layout, samples.length === 0, options);
}

/** One count as a step line ("hv"): each sample's value holds until the next, the last until `until`. */
function stepTrace(
  name: string,
  samples: readonly InstanceSample[],
  values: readonly (number | null)[],
  until: number,
  sec: (at: number) => number,
  look: { color: string; dash: string; width: number },
): Data {
  const x = samples.map((s) => sec(s.at));
  const y = [...values];
  if (samples.length && until > samples[samples.length - 1].at) {
    x.push(sec(until));
    y.push(values[values.length - 1]);
  }
  return {
    type: "scatter",
    mode: "lines",
    name,
    x,
    y,
    line: { shape: "hv", color: look.color, dash: look.dash as "solid", width: look.width },
    hovertemplate: `%{x:.1f} s: %{y}<extra>${name}</extra>`,
  };
}

/** [from, to] epoch ms of each run of samples with panic === true. */
export function panicPeriods(samples: readonly InstanceSample[], until: number): [number, number][] {
  const periods: [number, number][] = [];
  let from: number | null = null;
  for (const s of samples) {
    if (s.panic === true && from === null) from = s.at;
    else if (s.panic !== true && from !== null) {
      periods.push([from, s.at]);
      from = null;
    }
  }
  if (from !== null) periods.push([from, Math.max(until, from)]);
  return periods;
}

/** A legend entry for the shaded panic periods (shapes have none). */
function panicLegend(): Data {
  return {
    type: "scatter",
    mode: "markers",
    name: "panic mode",
    x: [null],
    y: [null],
    marker: { symbol: "square", size: 14, color: PANIC_FILL },
    hoverinfo: "skip",
  } as Data;
}

function arrivalTrace(requests: { start: number }[], sec: (at: number) => number): Data {
  return {
    type: "scatter",
    mode: "markers",
    name: `request arrivals (${requests.length})`,
    x: requests.map((r) => sec(r.start)),
    y: requests.map(() => 0),
    marker: { symbol: "line-ns-open", size: 10, color: COLORS.muted },
    hovertemplate: `%{x:.2f} s<extra>request</extra>`,
  };
}

function prepare(source: InstancesSource): Prepared {
  if (Array.isArray(source)) {
    const samples = source as readonly InstanceSample[];
    return { samples, title: "Instances", until: samples[samples.length - 1]?.at ?? 0, requests: [] };
  }
  if (isWatch(source)) {
    const samples = [...source.samples];
    const last = samples[samples.length - 1]?.at ?? 0;
    const until = Math.max(source.running ? Date.now() : (source.stoppedAt ?? last), last);
    return { samples, title: `Instances — ${source.functionName}`, until, requests: [] };
  }
  const r = source as ExperimentResult;
  let samples: readonly (InstanceSample & { experimentRun?: number })[] = r.instances;
  // Several runs loaded together: their clocks overlap nothing, so show the latest one.
  const runs = new Set(samples.map((s) => s.experimentRun));
  const latestRun = Math.max(...[...runs].map((run) => run ?? 0));
  if (runs.size > 1) samples = samples.filter((s) => s.experimentRun === latestRun);
  const requests: { start: number; end: number }[] = [];
  for (const row of r.rows) {
    if (runs.size > 1 && row.experimentRun !== latestRun) continue;
    const start = finite(row.startedAt);
    const end = finite(row.endedAt);
    if (start !== null && end !== null) requests.push({ start, end });
  }
  const note = samples.length ? "" : ` — no instance timeline (${r.meta.platform} reports none)`;
  const runNote = runs.size > 1 ? ` (run ${latestRun})` : "";
  // The run watched until it ended (observeAfterS included): the last counts held until then.
  const meta = r.metas.find((m) => m.run === latestRun) ?? r.meta;
  const ended = meta.endedAt === null ? NaN : Date.parse(meta.endedAt);
  const last = samples[samples.length - 1]?.at ?? 0;
  return {
    samples,
    title: `Instances — ${experimentName(r)}${runNote}${note}`,
    until: Number.isFinite(ended) ? Math.max(ended, last) : last,
    requests,
  };
}

export function isWatch(value: unknown): value is Extract<InstancesSource, { running: boolean }> {
  const w = value as { samples?: unknown; running?: unknown; stop?: unknown } | null;
  return typeof w === "object" && w !== null && Array.isArray(w.samples) && typeof w.running === "boolean";
}
