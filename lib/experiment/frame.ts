import type { DataFrame } from "danfojs-node";
import type { Row } from "./row";

type Danfo = typeof import("danfojs-node");
let danfo: Danfo | null = null;

/** danfojs-node, loaded on first use (it takes ~0.6 s; most code paths never need it). */
export function danfoModule(): Danfo {
  danfo ??= require("danfojs-node") as Danfo;
  return danfo;
}

/**
 * A DataFrame with exactly `columns`, in that order, one row per element of `rows`; a value a row
 * lacks is null. Passed to danfo as row arrays (its cheapest input: one transposition inside).
 */
export function columnFrame(rows: readonly Row[], columns: string[]): DataFrame {
  const dfd = danfoModule();
  if (rows.length === 0) return new dfd.DataFrame([], { columns });
  const width = columns.length;
  const data = new Array<unknown[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const values = new Array<unknown>(width);
    for (let c = 0; c < width; c++) values[c] = row[columns[c]] ?? null;
    data[r] = values;
  }
  return new dfd.DataFrame(data, { columns });
}
