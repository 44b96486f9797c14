/** Timeline: one lane per instance, one bar per invocation — instance reuse and overlap at a glance. */
import type { Data } from "plotly.js-dist-min";
import type { ExperimentResult } from "../experiment/result";
import type { Row } from "../experiment/row";
import { axis, baseLayout, COLORS, finish, type Figure, type PlotOptions } from "./figure";
import { escapeExtra } from "./distribution";
import { experimentName, finite } from "./values";

export interface TimedOptions extends PlotOptions {
  /** Show the warm-up invocations too (default false, like result.rows). */
  includeWarmups?: boolean;
}

/** A row with both timestamps known. */
export interface TimedRow {
  row: Row;
  start: number;
  end: number;
}

/** Rows that can be placed in time, plus how many could not (reported in the title). */
export function timedRows(
  r: ExperimentResult,
  includeWarmups = false,
): { timed: TimedRow[]; untimed: number } {
  const rows = includeWarmups ? r.allRows : r.rows;
  const timed: TimedRow[] = [];
  for (const row of rows) {
    const start = finite(row.startedAt);
    const end = finite(row.endedAt);
    if (start !== null && end !== null && end >= start) timed.push({ row, start, end });
  }
  return { timed, untimed: rows.length - timed.length };
}

const UNKNOWN = "(unknown)";

type Category = "warm" | "cold start" | "failed";
const CATEGORY_COLORS: Record<Category, string> = {
  warm: COLORS.warm,
  "cold start": COLORS.cold,
  failed: COLORS.failed,
};

/** A map's or a pipeline's result: its invocations as an ExperimentResult. */
export interface HasExperiment {
  readonly experiment: ExperimentResult;
}

export function timeline(input: ExperimentResult | HasExperiment, options: TimedOptions = {}): Figure {
  // A map or pipeline result plots its chunk invocations (one bar per chunk, per instance).
  const r = "metas" in input ? input : input.experiment;
  const { timed, untimed } = timedRows(r, options.includeWarmups);
  const t0 = timed.reduce((min, t) => Math.min(min, t.start), Infinity);
  const lanes = laneOrder(timed);
  const chunks = timed.some((t) => typeof t.row.chunk === "number");
  const byCategory = new Map<Category, TimedRow[]>();
  for (const t of timed) {
    const category: Category =
      t.row.failed === true ? "failed" : t.row.coldStart === true ? "cold start" : "warm";
    const list = byCategory.get(category);
    if (list) list.push(t);
    else byCategory.set(category, [t]);
  }
  const data: Data[] = (["warm", "cold start", "failed"] as const)
    .filter((c) => byCategory.has(c))
    .map((category) => {
      const rows = byCategory.get(category) as TimedRow[];
      return {
        type: "bar",
        orientation: "h",
        name: category,
        base: rows.map((t) => t.start - t0),
        x: rows.map((t) => t.end - t.start),
        y: rows.map((t) => lanes.index.get(instanceKey(t.row)) as number),
        width: 0.7,
        marker: { color: CATEGORY_COLORS[category] },
        customdata: rows.map((t) => [
          t.start - t0,
          instanceKey(t.row),
          finite(t.row.thread),
          finite(t.row.seq),
          finite(t.row.chunk),
        ]),
        hovertemplate:
          "start %{customdata[0]:.1f} ms, took %{x:.1f} ms<br>instance %{customdata[1]}<br>" +
          `thread %{customdata[2]}, seq %{customdata[3]}${chunks ? ", chunk %{customdata[4]}" : ""}` +
          `<extra>${escapeExtra(category)}</extra>`,
      };
    });
  const note = untimed > 0 ? ` — ${untimed} without timestamps not shown` : "";
  const layout = baseLayout(
    `Invocations per instance — ${experimentName(r)}${note}`,
    "time since first invocation (ms)",
    "instance (in order of first use)",
    { ...options, height: options.height ?? Math.min(1600, Math.max(320, 140 + lanes.labels.length * 24)) },
  );
  layout.barmode = "overlay"; // bars of different traces share a lane instead of being offset
  layout.yaxis = axis("instance (in order of first use)", {
    tickmode: "array",
    tickvals: lanes.labels.map((_, i) => i),
    ticktext: lanes.labels,
    autorange: "reversed",
    showgrid: false,
  });
  return finish(data, layout, timed.length === 0, options);
}

function instanceKey(row: Row): string {
  return typeof row.instanceId === "string" && row.instanceId !== "" ? row.instanceId : UNKNOWN;
}

/** Lane index per instance in order of first use; labels are the shortest unique id prefixes. */
export function laneOrder(timed: readonly TimedRow[]): { index: Map<string, number>; labels: string[] } {
  const first = new Map<string, number>();
  for (const t of timed) {
    const key = instanceKey(t.row);
    first.set(key, Math.min(first.get(key) ?? Infinity, t.start));
  }
  const ids = [...first.keys()].sort((a, b) => (first.get(a) as number) - (first.get(b) as number));
  return { index: new Map(ids.map((id, i) => [id, i])), labels: shortIds(ids) };
}

/**
 * Short labels for instance ids: the last path segment (AWS log streams look like
 * "2025/01/01/[$LATEST]9f3c…"), cut to 8 characters, longer only where that would collide.
 */
export function shortIds(ids: readonly string[]): string[] {
  const tails = ids.map((id) => (id === UNKNOWN ? id : (id.split(/[/\]]/).pop() ?? id) || id));
  for (const length of [8, 12, 16, 24]) {
    const cut = tails.map((tail) => (tail === UNKNOWN ? tail : tail.slice(0, length)));
    if (new Set(cut).size === cut.length) return cut;
  }
  return [...ids];
}
