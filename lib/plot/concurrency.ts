/** In-flight requests and live instances over time, as step lines. */
import type { Data } from "plotly.js-dist-min";
import type { ExperimentResult } from "../experiment/result";
import { baseLayout, COLORS, finish, type Figure } from "./figure";
import { timedRows, type TimedOptions } from "./timeline";
import { experimentName } from "./values";

export interface Steps {
  /** Times at which the count changes (ms since the first start). */
  x: number[];
  /** The count from that time until the next one. */
  y: number[];
}

/**
 * The number of intervals open at each change point. Intervals are half-open [start, end): at a
 * time where one ends and another starts, the end counts first, so back-to-back calls on one
 * instance don't show as two in flight.
 */
export function steps(intervals: readonly [start: number, end: number][], t0 = 0): Steps {
  const events: [time: number, delta: number][] = [];
  for (const [start, end] of intervals) {
    if (end <= start) continue; // zero-length: never in flight
    events.push([start, 1], [end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const x: number[] = [];
  const y: number[] = [];
  let level = 0;
  for (let i = 0; i < events.length; i++) {
    level += events[i][1];
    if (i + 1 < events.length && events[i + 1][0] === events[i][0]) continue; // settle all events at one time
    x.push(events[i][0] - t0);
    y.push(level);
  }
  return { x, y };
}

export function concurrency(r: ExperimentResult, options: TimedOptions = {}): Figure {
  const { timed, untimed } = timedRows(r, options.includeWarmups);
  const t0 = timed.reduce((min, t) => Math.min(min, t.start), Infinity);
  const requests = steps(
    timed.map((t) => [t.start, t.end]),
    t0,
  );
  // An instance counts as live from the start of its first invocation to the end of its last.
  const life = new Map<string, [number, number]>();
  for (const { row, start, end } of timed) {
    if (typeof row.instanceId !== "string" || row.instanceId === "") continue;
    const span = life.get(row.instanceId);
    if (span) life.set(row.instanceId, [Math.min(span[0], start), Math.max(span[1], end)]);
    else life.set(row.instanceId, [start, end]);
  }
  const instances = steps([...life.values()], t0);
  const data: Data[] = [
    line(`in-flight requests (peak ${peak(requests)})`, requests, COLORS.warm, "solid"),
    line(`live instances (peak ${peak(instances)})`, instances, COLORS.cold, "dash"),
  ];
  const note = untimed > 0 ? ` — ${untimed} without timestamps not counted` : "";
  const layout = baseLayout(
    `Concurrency — ${experimentName(r)}${note}`,
    "time since first invocation (ms)",
    "count",
    options,
  );
  layout.yaxis = { ...layout.yaxis, rangemode: "tozero" };
  if (Math.max(peak(requests), peak(instances)) <= 10) layout.yaxis.dtick = 1; // counts: no 0.5 ticks
  return finish(data, layout, timed.length === 0, options);
}

function line(name: string, s: Steps, color: string, dash: "solid" | "dash"): Data {
  return {
    type: "scatter",
    mode: "lines",
    name,
    x: s.x,
    y: s.y,
    line: { shape: "hv", color, width: 2, dash },
    hovertemplate: `%{x:.1f} ms: %{y}<extra>${name.replace(/ \(peak.*$/, "")}</extra>`,
  };
}

function peak(s: Steps): number {
  return s.y.reduce((max, v) => Math.max(max, v), 0);
}
