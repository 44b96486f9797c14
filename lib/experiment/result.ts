import * as fs from "node:fs";
import { inspect } from "node:util";
import type { DataFrame } from "danfojs";
import { ConfigError, FaasLabError } from "../errors";
import { summary, type Summary, type SummaryOptions } from "../stats/summary";
import type { ScalarValue } from "../runtime/envelope";
import type { ExperimentMeta, ExperimentOverview } from "./meta";
import { computeOverview } from "./overview";
import type { Row } from "./row";
import { tableColumns } from "./store/columns";
import { rowsToCSV } from "./store/csv";
import { columnFrame } from "./frame";
import { NumericCollector, numericColumns } from "./numeric";
import { measuredRows, pagedFacts, rowsOf } from "./paged-rows";
import type { TimelineSample } from "./instance-timeline";

/** The columns of `instancesDf`, in order (`experimentRun` only when several runs were loaded). */
export const TIMELINE_COLUMNS = ["at", "starting", "ready", "busy", "inFlight", "queued", "desired", "panic"];

/** The metrics summary() and by() report when none is named. */
export const DEFAULT_METRICS = ["roundTripMs", "runtimeMs", "latencyMs"] as const;
export type DefaultSummaries = Record<(typeof DEFAULT_METRICS)[number], Summary>;

export interface ColumnOptions {
  /** Include failed invocations (default false: their timings are not measurements of the function). */
  includeFailed?: boolean;
}

export interface Group<S> {
  key: ScalarValue;
  summary: S;
}

/**
 * The rows of one or more experiment runs. `rows` (and `df`, `toCSV()`) hold every measured
 * invocation, failed ones included, warmups excluded; `allRows` has the warmups too. The statistics
 * helpers — column(), summary(), by() — use successful invocations only unless `includeFailed`.
 * A run larger than the in-memory budget (store/budget.ts) gives read-only arrays that page from its
 * runs.jsonl: the helpers stream through them, only the pages in use are in memory.
 */
export class ExperimentResult {
  readonly allRows: Row[];
  readonly rows: Row[];
  readonly metas: ExperimentMeta[];
  /** Notes from loading (a dropped truncated line, skipped unreadable lines). */
  readonly warnings: string[];
  /**
   * The instance timeline recorded beside the rows (instances.jsonl): one InstanceSample per change
   * of the platform's instances, oldest first. Empty when the platform does not report instances.
   */
  readonly instances: TimelineSample[];
  private frame: DataFrame | null = null;
  private timelineFrame: DataFrame | null = null;
  private columnList: string[] | null = null;
  private columnSet: Set<string> | null = null;

  constructor(
    rows: Row[],
    metas: ExperimentMeta[],
    extra: { warnings?: string[]; instances?: TimelineSample[] } = {},
  ) {
    if (metas.length === 0) {
      throw new FaasLabError("an ExperimentResult needs the meta of at least one run", {
        code: "NO_META",
        phase: "config",
      });
    }
    this.allRows = rows;
    this.rows = measuredRows(rows);
    this.metas = metas;
    this.warnings = extra.warnings ?? [];
    this.instances = extra.instances ?? [];
  }

  /** The meta of the latest run (the last one given). */
  get meta(): ExperimentMeta {
    return this.metas[this.metas.length - 1];
  }

  /** True when every run finished normally; false for a run that is running, aborted, failed or died. */
  get complete(): boolean {
    return this.metas.every((meta) => meta.status === "complete");
  }

  /** A danfojs DataFrame of `rows`, one row per invocation (built once, danfo loaded on first use). */
  get df(): DataFrame {
    this.frame ??= columnFrame(this.rows, this.columns);
    return this.frame;
  }

  /** `instances` as a danfojs DataFrame (TIMELINE_COLUMNS; no rows when there is no timeline). */
  get instancesDf(): DataFrame {
    const several = this.instances.some((sample) => sample.experimentRun !== undefined);
    const columns = several ? [...TIMELINE_COLUMNS, "experimentRun"] : TIMELINE_COLUMNS;
    this.timelineFrame ??= columnFrame(this.instances as unknown as Row[], columns);
    return this.timelineFrame;
  }

  /** The columns of the table: RECORD_COLUMNS, then tags, attributes and result fields. */
  get columns(): string[] {
    this.columnList ??= pagedFacts(this.rows)?.columns ?? tableColumns(this.rows);
    return [...this.columnList];
  }

  /**
   * The numeric values of a column, in row order, for stats: numbers as they are, booleans as 1/0
   * (so the mean of column("coldStart") is the cold-start share), nulls dropped. Successful
   * invocations only unless `includeFailed`. Throws for an unknown column or one holding text.
   */
  column(name: string, options: ColumnOptions = {}): number[] {
    this.checkColumn(name);
    return numericColumns(this.measured(options), [name])[0];
  }

  /** Statistics of one metric, or of roundTripMs, runtimeMs and latencyMs when none is named. */
  summary(): DefaultSummaries;
  summary(metric: string, options?: SummaryOptions & ColumnOptions): Summary;
  summary(metric?: string, options?: SummaryOptions & ColumnOptions): Summary | DefaultSummaries {
    const rows = this.measured(options ?? {});
    if (metric === undefined) return summaries(numericColumns(rows, DEFAULT_METRICS), statsOptions(options));
    this.checkColumn(metric);
    return summary(numericColumns(rows, [metric])[0], statsOptions(options));
  }

  /**
   * Summaries per distinct value of `column` (e.g. "memoryMb", "coldStart", a tag), sorted by key
   * (false before true, numbers ascending, text in code-point order, null last).
   */
  by(column: string): Group<DefaultSummaries>[];
  by(column: string, metric: string, options?: SummaryOptions & ColumnOptions): Group<Summary>[];
  by(
    column: string,
    metric?: string,
    options?: SummaryOptions & ColumnOptions,
  ): Group<Summary | DefaultSummaries>[] {
    this.checkColumn(column);
    if (metric !== undefined) this.checkColumn(metric);
    const metrics = metric === undefined ? DEFAULT_METRICS : [metric];
    const groups = new Map<ScalarValue, NumericCollector>();
    for (const row of this.measured(options ?? {})) {
      const key = row[column] ?? null;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new NumericCollector(metrics)));
      group.add(row);
    }
    const forStats = statsOptions(options);
    return [...groups.keys()].sort(compareKeys).map((key) => {
      const values = (groups.get(key) as NumericCollector).result();
      return {
        key,
        summary: metric === undefined ? summaries(values, forStats) : summary(values[0], forStats),
      };
    });
  }

  /** Invocations, failures, cold starts, instances, throughput … recomputed from the rows. */
  overview(): ExperimentOverview {
    const reuse = this.metas.length === 1 ? (this.meta.overview?.instanceReuse ?? null) : null;
    const counted = pagedFacts(this.allRows)?.counter.overview() ?? computeOverview(this.allRows);
    return { ...counted, instanceReuse: reuse };
  }

  /** `rows` as RFC 4180 CSV (the columns of `columns`); also written to `path` when given. */
  toCSV(path?: string): string {
    const text = rowsToCSV(this.rows, this.columns);
    if (path !== undefined) fs.writeFileSync(path, text);
    return text;
  }

  toJSON(): { metas: ExperimentMeta[]; complete: boolean; overview: ExperimentOverview; rows: Row[] } {
    return { metas: this.metas, complete: this.complete, overview: this.overview(), rows: this.allRows };
  }

  [inspect.custom](depth: number, options: object, nodeInspect: typeof inspect = inspect): string {
    const names = [...new Set(this.metas.map((meta) => meta.name))];
    const shown = {
      name: names.length === 1 ? names[0] : names,
      function: this.meta.functionName,
      runs: this.metas.map((meta) => meta.run),
      rows: this.rows.length,
      complete: this.complete,
      ...(this.complete ? {} : { status: this.meta.status, reason: this.meta.reason }),
      overview: this.overview(),
      ...(this.warnings.length ? { warnings: this.warnings } : {}),
    };
    return `ExperimentResult ${nodeInspect(shown, { ...options, depth: Math.max(depth, 2) })}`;
  }

  /** The measured rows to summarise (streamed when paged). */
  private *measured(options: ColumnOptions): Generator<Row, void, undefined> {
    for (const row of rowsOf(this.rows)) if (options.includeFailed || row.failed !== true) yield row;
  }

  private checkColumn(name: string): void {
    const columns = this.columns;
    if (this.columnSet === null) this.columnSet = new Set(columns);
    if (this.columnSet.has(name)) return;
    throw new ConfigError(
      [`no column "${name}" in experiment "${this.meta.name}"`],
      undefined,
      `columns: ${columns.join(", ")}`,
    );
  }
}

/** The default metrics' summaries from their numbers (in DEFAULT_METRICS order). */
function summaries(values: number[][], options: SummaryOptions | undefined): DefaultSummaries {
  const out = {} as DefaultSummaries;
  DEFAULT_METRICS.forEach((metric, i) => (out[metric] = summary(values[i], options)));
  return out;
}

/** The options meant for stats.summary (without the row selection). */
function statsOptions(options: (SummaryOptions & ColumnOptions) | undefined): SummaryOptions | undefined {
  if (!options) return undefined;
  const { includeFailed: _includeFailed, ...rest } = options;
  return rest;
}

const TYPE_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2 };

function compareKeys(a: ScalarValue, b: ScalarValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a !== typeof b) return TYPE_ORDER[typeof a] - TYPE_ORDER[typeof b];
  return a < b ? -1 : a > b ? 1 : 0;
}
