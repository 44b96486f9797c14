import { inspect } from "node:util";
import { FaasLabError } from "../errors";
import { OverviewCounter } from "./overview";
import type { Row } from "./row";
import { tableColumns } from "./store/columns";

/** Rows the paged view reads: an array in memory, or a journal read page by page (store/segment.ts). */
export interface RowPart {
  readonly count: number;
  /** Positions of the warmup rows, ascending. */
  readonly warmups: Uint32Array;
  /** The table columns of the measured (non-warmup) rows. */
  readonly columns: string[];
  /** The overview figures of all its rows. */
  readonly counter: OverviewCounter;
  rowAt(index: number): Row;
  rows(): Iterable<Row>;
}

/**
 * A read-only array of rows that lives elsewhere: `Array.isArray` holds, indexing, `length`,
 * iteration and every non-mutating array method work, and only the pages in use are in memory (a row
 * read again may be a new object; rows are frozen). Writing to it throws.
 */
class RowView {
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(
    readonly parts: RowPart[],
    readonly measuredOnly: boolean,
  ) {
    let total = 0;
    for (const part of parts) {
      this.starts.push(total);
      total += measuredOnly ? part.count - part.warmups.length : part.count;
    }
    this.length = total;
  }

  at(index: number): Row {
    let p = this.parts.length - 1;
    while (this.starts[p] > index) p -= 1; // few parts (one per run): a linear search is enough
    const part = this.parts[p];
    const local = index - this.starts[p];
    return part.rowAt(this.measuredOnly ? local + warmupsBefore(part.warmups, local) : local);
  }

  *iterate(): Generator<Row, void, undefined> {
    for (const part of this.parts) {
      if (!this.measuredOnly) yield* part.rows();
      else for (const row of part.rows()) if (row.warmup !== true) yield row;
    }
  }

  columns(): string[] {
    return [...new Set(this.parts.flatMap((part) => part.columns))];
  }

  counter(): OverviewCounter {
    const all = new OverviewCounter();
    for (const part of this.parts) all.merge(part.counter);
    return all;
  }
}

/** How many warmups come before the m-th measured row: #{j : warmups[j] − j ≤ m}. */
function warmupsBefore(warmups: Uint32Array, m: number): number {
  let low = 0;
  let high = warmups.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (warmups[mid] - mid <= m) low = mid + 1;
    else high = mid;
  }
  return low;
}

const views = new WeakMap<object, RowView>();

function arrayOf(view: RowView): Row[] {
  const target: Row[] = [];
  // util.inspect shows a proxy's target: make that a short preview, not `[ <n empty items> ]`.
  Object.defineProperty(target, inspect.custom, {
    configurable: true,
    value: (_depth: number, options: object, nodeInspect: typeof inspect = inspect) => {
      const head = Array.from({ length: Math.min(view.length, 3) }, (_, i) => view.at(i));
      const more = view.length > head.length ? ` … ${view.length - head.length} more` : "";
      return `rows(${view.length}, paged from runs.jsonl) ${nodeInspect(head, options)}${more}`;
    },
  });
  const proxy = new Proxy(target, {
    get(object, key, receiver) {
      if (typeof key === "string") {
        const index = arrayIndex(key);
        if (index >= 0) return index < view.length ? view.at(index) : undefined;
        if (key === "length") return view.length;
      }
      return Reflect.get(object, key, receiver) as unknown;
    },
    has(object, key) {
      const index = typeof key === "string" ? arrayIndex(key) : -1;
      return index >= 0 ? index < view.length : Reflect.has(object, key);
    },
    ownKeys(object) {
      return [...Array.from({ length: view.length }, (_, i) => String(i)), ...Reflect.ownKeys(object)];
    },
    getOwnPropertyDescriptor(object, key) {
      const index = typeof key === "string" ? arrayIndex(key) : -1;
      if (index >= 0) {
        if (index >= view.length) return undefined;
        return { value: view.at(index), writable: false, enumerable: true, configurable: true };
      }
      if (key === "length")
        return { value: view.length, writable: true, enumerable: false, configurable: false };
      return Reflect.getOwnPropertyDescriptor(object, key);
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
    preventExtensions: readOnly,
  });
  views.set(proxy, view);
  return proxy;
}

function readOnly(): never {
  throw new FaasLabError("the rows of a large experiment are read-only: they are paged from runs.jsonl", {
    code: "ROWS_READ_ONLY",
    phase: "load",
    hint: "copy what you change, e.g. r.rows.map((row) => ({ ...row, x: 1 })) or [...r.rows].sort(…)",
  });
}

/** The number a property key names as an array index, or −1. */
function arrayIndex(key: string): number {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return -1;
  const n = Number(key);
  return Number.isInteger(n) && String(n) === key ? n : -1;
}

/** An array part of a concatenation (computed once). */
class ArrayPart implements RowPart {
  readonly warmups: Uint32Array;
  readonly columns: string[];
  readonly counter = new OverviewCounter();

  constructor(private readonly list: readonly Row[]) {
    const warmups: number[] = [];
    list.forEach((row, i) => {
      if (row.warmup === true) warmups.push(i);
      this.counter.add(row);
    });
    this.warmups = Uint32Array.from(warmups);
    this.columns = tableColumns(list.filter((row) => row.warmup !== true));
  }

  get count(): number {
    return this.list.length;
  }

  rowAt(index: number): Row {
    return this.list[index];
  }

  rows(): Iterable<Row> {
    return this.list;
  }
}

/** All rows of these parts, in order, as a paged array. */
export function pagedRows(parts: RowPart[]): Row[] {
  return arrayOf(new RowView(parts, false));
}

/** The view behind a paged array, or null for an ordinary array. */
function viewOf(rows: readonly Row[]): RowView | null {
  return views.get(rows) ?? null;
}

/** `rows` without warmups: a paged array stays paged (nothing is read), an ordinary one is filtered. */
export function measuredRows(rows: Row[]): Row[] {
  const view = viewOf(rows);
  if (view === null) return rows.filter((row) => row.warmup !== true);
  if (view.measuredOnly) return rows;
  return arrayOf(new RowView(view.parts, true));
}

/** The rows of several results one after another: an ordinary array unless one of them is paged. */
export function concatRows(lists: Row[][]): Row[] {
  const listViews = lists.map(viewOf);
  if (listViews.every((view) => view === null)) return lists.flat();
  const parts = lists.flatMap((list, i) => {
    const view = listViews[i];
    return view !== null && !view.measuredOnly ? view.parts : [new ArrayPart(list)];
  });
  return pagedRows(parts);
}

/** What to loop over: a paged array's rows page by page (no proxy per row), or the array itself. */
export function rowsOf(rows: readonly Row[]): Iterable<Row> {
  const view = viewOf(rows);
  return view === null ? rows : view.iterate();
}

/** The columns and overview counter a paged array knows without reading its rows; null otherwise. */
export function pagedFacts(rows: readonly Row[]): { columns: string[]; counter: OverviewCounter } | null {
  const view = viewOf(rows);
  return view === null ? null : { columns: view.columns(), counter: view.counter() };
}
