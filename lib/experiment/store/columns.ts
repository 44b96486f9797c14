import { RECORD_COLUMNS, type Row } from "../row";

const FIXED = new Set<string>(RECORD_COLUMNS);

/** Collects the columns of a table: RECORD_COLUMNS, then every other column in first-seen order. */
export class ColumnSet {
  private readonly extra = new Set<string>();
  private lastKeys: string[] | null = null;

  add(row: Row): void {
    const keys = Object.keys(row);
    if (this.lastKeys && sameKeys(keys, this.lastKeys)) return; // the common case: every row alike
    this.lastKeys = keys;
    for (const key of keys) if (!FIXED.has(key)) this.extra.add(key);
  }

  get columns(): string[] {
    return [...RECORD_COLUMNS, ...this.extra];
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The columns of `rows`: RECORD_COLUMNS then the other columns in first-seen order. */
export function tableColumns(rows: readonly Row[]): string[] {
  const set = new ColumnSet();
  for (const row of rows) set.add(row);
  return set.columns;
}
