import * as fs from "node:fs";
import { FaasLabError } from "../../errors";
import { OverviewCounter } from "../overview";
import { TimeColumns } from "../overlap";
import type { RowPart } from "../paged-rows";
import type { Row } from "../row";
import { rowBudget } from "./budget";
import { ColumnSet } from "./columns";
import { scanJournalFd, type ScanReport } from "./journal-scan";

/** What is added to every row read (load's `experimentRun`), after runtimeOverlap is filled. */
export type RowExtra = Record<string, Row[string]>;

/**
 * The rows of one runs.jsonl, read a page at a time: where each page starts, which rows are warmups,
 * the runtimeOverlap to fill in, the columns and overview of the rows — everything but the rows.
 * It holds the file open, so an experiment overwritten or deleted later still reads (Linux keeps the
 * data of an open file); the descriptor is closed when the segment is garbage-collected.
 */
export class JournalSegment implements RowPart {
  private readonly cache = new Map<number, Row[]>();

  constructor(
    private readonly fd: number,
    readonly file: string,
    readonly count: number,
    readonly warmups: Uint32Array,
    readonly columns: string[],
    readonly counter: OverviewCounter,
    private readonly layout: { pageStarts: Float64Array; pageRows: number; end: number },
    private readonly fill: { overlap: Float64Array | null; extra: RowExtra | null },
  ) {
    closeWhenCollected.register(this, fd);
  }

  rowAt(index: number): Row {
    const { pageRows } = this.layout;
    return this.page(Math.floor(index / pageRows))[index % pageRows];
  }

  *rows(): Generator<Row, void, undefined> {
    const pages = this.layout.pageStarts.length;
    for (let p = 0; p < pages; p++) yield* this.page(p);
  }

  /** Page p (cached, least recently used dropped first). Its rows are frozen: they are read again later. */
  private page(p: number): Row[] {
    const cached = this.cache.get(p);
    if (cached) {
      this.cache.delete(p);
      this.cache.set(p, cached);
      return cached;
    }
    const { pageStarts, pageRows, end } = this.layout;
    const { overlap, extra } = this.fill;
    const first = p * pageRows;
    const rows: Row[] = [];
    scanJournalFd(
      this.fd,
      (row) => {
        const value = overlap?.[first + rows.length];
        if (value !== undefined && (row.runtimeOverlap === null || row.runtimeOverlap === undefined))
          row.runtimeOverlap = Number.isNaN(value) ? null : value;
        if (extra) Object.assign(row, extra);
        rows.push(Object.freeze(row));
      },
      pageStarts[p],
      p + 1 < pageStarts.length ? pageStarts[p + 1] : end,
    );
    const expected = Math.min(pageRows, this.count - first);
    if (rows.length !== expected) {
      throw new FaasLabError(`${this.file} changed after it was read (page ${p}: ${rows.length} rows)`, {
        code: "JOURNAL_CHANGED",
        phase: "load",
        hint: "load() the experiment again",
      });
    }
    this.cache.set(p, rows);
    if (this.cache.size > rowBudget.cachedPages) this.cache.delete(this.cache.keys().next().value as number);
    return rows;
  }
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => fs.close(fd, () => undefined));

export interface ScannedSegment {
  segment: JournalSegment;
  report: ScanReport;
  /** The first row and the first row with a numeric startedAt (what a rebuilt meta needs). */
  sample: Row[];
}

/**
 * Opens `file` and reads it once, keeping only what JournalSegment needs. `overlap` is the
 * runtimeOverlap of every row when the caller knows it (the writer), else it is computed from the
 * rows read. `onRow` sees every row (overlap filled where it was null, before `extra`).
 */
export function scanSegment(
  file: string,
  options: { overlap?: Float64Array; extra?: RowExtra | null; onRow?: (row: Row) => void } = {},
): ScannedSegment {
  const fd = fs.openSync(file, "r");
  try {
    const pageRows = rowBudget.pageRows;
    const pageStarts: number[] = [];
    const warmups = new U32List();
    const times = options.overlap ? null : new TimeColumns();
    const columns = new ColumnSet();
    const counter = new OverviewCounter();
    const sample: Row[] = [];
    let count = 0;
    let needsOverlap = false;
    const report = scanJournalFd(fd, (row, byte) => {
      if (count % pageRows === 0) pageStarts.push(byte);
      if (row.warmup === true) warmups.push(count);
      if (row.runtimeOverlap === null || row.runtimeOverlap === undefined) {
        needsOverlap = true;
        const known = options.overlap?.[count];
        if (known !== undefined) row.runtimeOverlap = Number.isNaN(known) ? null : known;
      }
      times?.add(row.startedAt, row.endedAt);
      if (sample.length === 0) sample.push(row);
      else if (
        sample.length === 1 &&
        typeof sample[0].startedAt !== "number" &&
        typeof row.startedAt === "number"
      )
        sample.push(row);
      options.onRow?.(row);
      if (options.extra) Object.assign(row, options.extra);
      if (row.warmup !== true) columns.add(row);
      counter.add(row);
      count += 1;
    });
    const overlap = options.overlap ?? (needsOverlap && times ? times.overlap() : null);
    const segment = new JournalSegment(
      fd,
      file,
      count,
      warmups.toArray(),
      columns.columns,
      counter,
      { pageStarts: Float64Array.from(pageStarts), pageRows, end: report.end },
      { overlap: needsOverlap ? overlap : null, extra: options.extra ?? null },
    );
    return { segment, report, sample };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** A growable list of row numbers (4 bytes each). */
class U32List {
  private values = new Uint32Array(256);
  private length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Uint32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }

  toArray(): Uint32Array {
    return this.values.slice(0, this.length);
  }
}
