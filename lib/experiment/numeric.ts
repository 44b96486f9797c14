import { ConfigError } from "../errors";
import type { Row } from "./row";

/**
 * Numbers of some columns for statistics, collected one row at a time (so rows can stream past):
 * finite numbers as they are, booleans as 1/0, nulls and non-finite numbers dropped. Text is an
 * error (it has no mean), reported by result() for the first column holding any.
 */
export class NumericCollector {
  private readonly values: number[][];
  private readonly text: number[];

  constructor(private readonly names: readonly string[]) {
    this.values = names.map(() => []);
    this.text = names.map(() => 0);
  }

  add(row: Row): void {
    for (let c = 0; c < this.names.length; c++) {
      const value = row[this.names[c]];
      if (typeof value === "number") {
        if (Number.isFinite(value)) this.values[c].push(value);
      } else if (typeof value === "boolean") this.values[c].push(value ? 1 : 0);
      else if (typeof value === "string") this.text[c] += 1;
    }
  }

  /** The numbers of each column, in the order of `names`, in row order. */
  result(): number[][] {
    this.names.forEach((name, c) => {
      if (this.text[c] > 0) {
        throw new ConfigError(
          [
            `column "${name}" holds text in ${this.text[c]} row(s); only numbers and booleans can be summarised`,
          ],
          undefined,
          `read it from result.rows, e.g. result.rows.map((row) => row["${name}"])`,
        );
      }
    });
    return this.values;
  }
}

/** The numbers of `names` in one pass over `rows`. */
export function numericColumns(rows: Iterable<Row>, names: readonly string[]): number[][] {
  const collector = new NumericCollector(names);
  for (const row of rows) collector.add(row);
  return collector.result();
}
