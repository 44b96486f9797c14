/**
 * HTML for danfojs DataFrames and Series: the first rows and the shape. Frames derived by danfo
 * (describe(), groupby().agg()) are danfojs-base instances whose .toJSON() METHOD throws, so the
 * rows are read with the dfd.toJSON FUNCTION (danfojs 1.1.2 behaviour, covered by render.test.ts).
 */
import { danfoModule } from "../../lib/experiment/frame";
import { escapeHtml, note, table, type Cell } from "./html";

export const DATAFRAME_ROWS = 20;

/** The structural part of a danfo DataFrame used here. */
export interface FrameLike {
  shape: number[];
  columns: string[];
  index: unknown[];
  head(rows: number): FrameLike;
}

export interface SeriesLike {
  shape: number[];
  columns?: string[];
  index: unknown[];
  values: unknown[];
}

function hasShape(value: unknown): value is { shape: number[]; index: unknown[] } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { shape?: unknown; index?: unknown };
  return Array.isArray(v.shape) && Array.isArray(v.index);
}

function className(value: object): string | undefined {
  return (value as { constructor?: { name?: string } }).constructor?.name;
}

/** A danfo DataFrame (danfojs's class or the base class of derived frames). */
export function isDataFrame(value: unknown): value is FrameLike {
  return (
    hasShape(value) &&
    className(value) === "DataFrame" &&
    Array.isArray((value as FrameLike).columns) &&
    typeof (value as FrameLike).head === "function"
  );
}

export function isSeries(value: unknown): value is SeriesLike {
  return hasShape(value) && className(value) === "Series" && Array.isArray((value as SeriesLike).values);
}

type ToJSON = (frame: unknown) => unknown;

/** danfojs's toJSON function; danfo is already loaded when a frame exists, so this is cheap. */
function danfoToJSON(): ToJSON {
  return danfoModule().toJSON as ToJSON;
}

function shapeText(shape: number[]): string {
  const [rows, cols] = shape;
  return cols === undefined ? `${rows} rows` : `${rows} rows × ${cols} columns`;
}

function moreRows(total: number, shown: number): string {
  return total > shown ? note(`first ${shown} of ${total} rows`) : "";
}

/** `toJSON` is injectable for tests; by default danfojs's function. */
export function renderDataFrame(df: FrameLike, toJSON: ToJSON = danfoToJSON()): string {
  const head = df.shape[0] > DATAFRAME_ROWS ? df.head(DATAFRAME_ROWS) : df;
  const records = toJSON(head) as Record<string, unknown>[];
  const columns = df.columns;
  const rows: Cell[][] = records.map((record, i) => [head.index[i] ?? i, ...columns.map((c) => record[c])]);
  return (
    `<div class="faaslab faaslab-dataframe" style="margin:4px 0">` +
    `<div style="color:#666;font-size:12px">DataFrame · ${escapeHtml(shapeText(df.shape))}</div>` +
    `<div style="overflow-x:auto;max-width:100%">${table(["", ...columns], rows, { rowHeaders: true })}</div>` +
    moreRows(df.shape[0], records.length) +
    `</div>`
  );
}

export function renderSeries(s: SeriesLike): string {
  const name = s.columns?.[0] ?? "value";
  const shown = s.values.slice(0, DATAFRAME_ROWS);
  const rows: Cell[][] = shown.map((value, i) => [s.index[i] ?? i, value]);
  return (
    `<div class="faaslab faaslab-series" style="margin:4px 0">` +
    `<div style="color:#666;font-size:12px">Series · ${escapeHtml(shapeText([s.values.length]))}</div>` +
    table(["", name], rows, { rowHeaders: true }) +
    moreRows(s.values.length, shown.length) +
    `</div>`
  );
}

export function dataFrameText(df: FrameLike): string {
  return `DataFrame (${shapeText(df.shape)}) columns: ${df.columns.join(", ")}`;
}
