/** Getting plottable numbers out of ExperimentResults (nulls skipped, failed rows left out by default). */
import { ConfigError } from "../errors";
import type { ExperimentResult } from "../experiment/result";
import type { Row } from "../experiment/row";
import { keyLabel } from "./labels";

/** One result, several (named by their experiment), or several under names of your choosing. */
export type Results =
  | ExperimentResult
  | readonly ExperimentResult[]
  | Readonly<Record<string, ExperimentResult>>;

export interface SelectOptions {
  /** Plot failed invocations too (default false: their timings don't measure the function). */
  includeFailed?: boolean;
  /** Split each result by the values of this column (e.g. "coldStart", "memoryMb"). */
  by?: string;
}

export interface Series {
  name: string;
  values: number[];
  /** The value of `by` this series holds, as a label (only when splitting). */
  group?: string;
}

// Duck-typed rather than instanceof: a result may come from another copy of the package.
function isResult(value: unknown): value is ExperimentResult {
  const r = value as ExperimentResult | null;
  return typeof r === "object" && r !== null && Array.isArray(r.rows) && typeof r.column === "function";
}

/** The results with their display names; repeated names get " #2", " #3" so traces stay apart. */
export function namedResults(input: Results): { name: string; result: ExperimentResult }[] {
  const pairs = isResult(input)
    ? [{ name: experimentName(input), result: input }]
    : Array.isArray(input)
      ? input.map((result: ExperimentResult) => ({ name: experimentName(result), result }))
      : Object.entries(input as Record<string, ExperimentResult>).map(([name, result]) => ({ name, result }));
  const seen = new Map<string, number>();
  for (const pair of pairs) {
    if (!isResult(pair.result)) {
      throw new TypeError(`plot: "${pair.name}" is not an ExperimentResult (got ${typeof pair.result})`);
    }
    const count = (seen.get(pair.name) ?? 0) + 1;
    seen.set(pair.name, count);
    if (count > 1) pair.name = `${pair.name} #${count}`;
  }
  return pairs;
}

/** A sweep holds several experiments ("x-128MB", "x-256MB"): name it by the first and a count. */
export function experimentName(r: ExperimentResult): string {
  const names = [...new Set(r.metas.map((meta) => meta.name))];
  return names.length <= 1 ? (names[0] ?? "experiment") : `${names[0]} +${names.length - 1}`;
}

export function measuredRows(r: ExperimentResult, includeFailed = false): Row[] {
  return includeFailed ? r.rows : r.rows.filter((row) => row.failed !== true);
}

/** The metric's numbers; an empty result gives [] (not the unknown-column error column() raises). */
export function metricValues(r: ExperimentResult, metric: string, includeFailed = false): number[] {
  if (r.rows.length === 0) return [];
  return r.column(metric, { includeFailed });
}

/** One series per result, or per (result, value of `by`) when splitting. */
export function series(input: Results, metric: string, options: SelectOptions = {}): Series[] {
  const named = namedResults(input);
  const out: Series[] = [];
  for (const { name, result } of named) {
    const values = metricValues(result, metric, options.includeFailed); // also checks the metric
    if (options.by === undefined) {
      out.push({ name, values });
      continue;
    }
    for (const [key, group] of splitBy(result, options.by, options.includeFailed)) {
      const label = `${options.by} = ${keyLabel(key)}`;
      out.push({
        name: named.length > 1 ? `${name} · ${label}` : label,
        values: numbers(group, metric),
        group: named.length > 1 ? `${name} · ${keyLabel(key)}` : keyLabel(key),
      });
    }
  }
  return out;
}

/** Rows grouped by a column's value, keys in the order result.by() uses (null last). */
export function splitBy(r: ExperimentResult, column: string, includeFailed = false): [unknown, Row[]][] {
  if (r.rows.length > 0 && !r.columns.includes(column)) {
    throw new ConfigError(
      [`no column "${column}" to split by`],
      undefined,
      `columns: ${r.columns.join(", ")}`,
    );
  }
  const groups = new Map<unknown, Row[]>();
  for (const row of measuredRows(r, includeFailed)) {
    const key = row[column] ?? null;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.entries()].sort(([a], [b]) => compareKeys(a, b));
}

/** Finite numbers as they are, booleans as 1/0 (as result.column() does), everything else skipped. */
export function numbers(rows: readonly Row[], metric: string): number[] {
  const out: number[] = [];
  for (const row of rows) {
    const value = row[metric];
    if (typeof value === "number" && Number.isFinite(value)) out.push(value);
    else if (typeof value === "boolean") out.push(value ? 1 : 0);
  }
  return out;
}

const TYPE_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2 };

function compareKeys(a: unknown, b: unknown): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a !== typeof b) return (TYPE_ORDER[typeof a] ?? 3) - (TYPE_ORDER[typeof b] ?? 3);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** A finite number or null: row values as plotly should see them. */
export function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
