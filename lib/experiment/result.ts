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
 */
export class ExperimentResult {
  readonly allRows: Row[];
  readonly rows: Row[];
  readonly metas: ExperimentMeta[];
  /** Notes from loading (a dropped truncated line, skipped unreadable lines). */
  readonly warnings: string[];
  private frame: DataFrame | null = null;
  private columnList: string[] | null = null;
  private columnSet: Set<string> | null = null;

  constructor(rows: Row[], metas: ExperimentMeta[], extra: { warnings?: string[] } = {}) {
    if (metas.length === 0) {
      throw new FaasLabError("an ExperimentResult needs the meta of at least one run", {
        code: "NO_META",
        phase: "config",
      });
    }
    this.allRows = rows;
    this.rows = rows.filter((row) => row.warmup !== true);
    this.metas = metas;
    this.warnings = extra.warnings ?? [];
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

  /** The columns of the table: RECORD_COLUMNS, then tags, attributes and result fields. */
  get columns(): string[] {
    this.columnList ??= tableColumns(this.rows);
    return [...this.columnList];
  }

  /**
   * The numeric values of a column, in row order, for stats: numbers as they are, booleans as 1/0
   * (so the mean of column("coldStart") is the cold-start share), nulls dropped. Successful
   * invocations only unless `includeFailed`. Throws for an unknown column or one holding text.
   */
  column(name: string, options: ColumnOptions = {}): number[] {
    this.checkColumn(name);
    return numericValues(this.measured(options), name);
  }

  /** Statistics of one metric, or of roundTripMs, runtimeMs and latencyMs when none is named. */
  summary(): DefaultSummaries;
  summary(metric: string, options?: SummaryOptions & ColumnOptions): Summary;
  summary(metric?: string, options?: SummaryOptions & ColumnOptions): Summary | DefaultSummaries {
    const rows = this.measured(options ?? {});
    if (metric === undefined) return summaries(rows, statsOptions(options));
    this.checkColumn(metric);
    return summary(numericValues(rows, metric), statsOptions(options));
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
    const groups = new Map<ScalarValue, Row[]>();
    for (const row of this.measured(options ?? {})) {
      const key = row[column] ?? null;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const forStats = statsOptions(options);
    return [...groups.keys()].sort(compareKeys).map((key) => {
      const rows = groups.get(key) as Row[];
      return {
        key,
        summary:
          metric === undefined ? summaries(rows, forStats) : summary(numericValues(rows, metric), forStats),
      };
    });
  }

  /** Invocations, failures, cold starts, instances, throughput … recomputed from the rows. */
  overview(): ExperimentOverview {
    const reuse = this.metas.length === 1 ? (this.meta.overview?.instanceReuse ?? null) : null;
    return { ...computeOverview(this.allRows), instanceReuse: reuse };
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

  private measured(options: ColumnOptions): Row[] {
    return options.includeFailed ? this.rows : this.rows.filter((row) => row.failed !== true);
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

/**
 * Numbers of one column for statistics: finite numbers as they are, booleans as 1/0, nulls and
 * non-finite numbers dropped. Text is an error (it has no mean).
 */
function numericValues(rows: readonly Row[], name: string): number[] {
  const out: number[] = [];
  let text = 0;
  for (const row of rows) {
    const value = row[name];
    if (typeof value === "number") {
      if (Number.isFinite(value)) out.push(value);
    } else if (typeof value === "boolean") out.push(value ? 1 : 0);
    else if (typeof value === "string") text += 1;
  }
  if (text > 0) {
    throw new ConfigError(
      [`column "${name}" holds text in ${text} row(s); only numbers and booleans can be summarised`],
      undefined,
      `read it from result.rows, e.g. result.rows.map((row) => row["${name}"])`,
    );
  }
  return out;
}

function summaries(rows: readonly Row[], options: SummaryOptions | undefined): DefaultSummaries {
  const out = {} as DefaultSummaries;
  for (const metric of DEFAULT_METRICS) out[metric] = summary(numericValues(rows, metric), options);
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
