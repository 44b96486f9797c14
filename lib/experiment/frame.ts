import type { DataFrame } from "danfojs";
import type { Row } from "./row";

type Danfo = typeof import("danfojs");
let danfo: Danfo | null = null;

/**
 * danfojs, loaded on first use (it takes ~1 s; most code paths never need it). The pure-JS build, not
 * danfojs-node: that one pulls @tensorflow/tfjs-node, whose install downloads a native TensorFlow.
 */
export function danfoModule(): Danfo {
  danfo ??= require("danfojs") as Danfo;
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
