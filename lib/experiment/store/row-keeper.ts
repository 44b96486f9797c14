import * as fs from "node:fs";
import * as path from "node:path";
import { TimeColumns } from "../overlap";
import { pagedRows } from "../paged-rows";
import type { Row } from "../row";
import { rowBudget } from "./budget";
import { csvField, rowsToCSV } from "./csv";
import { writeFileAtomic } from "./files";
import type { RunFiles } from "./names";
import { scanSegment } from "./segment";

/** CSV text written at a time while streaming results.csv. */
const CSV_BATCH_CHARS = 1 << 20;

/**
 * What a run keeps of its rows while they are journaled: every row's start and end (for
 * runtimeOverlap) and, while their JSON text is within rowBudget.inMemoryChars, the rows themselves.
 * Past the budget the rows are dropped, so a run of any length holds 16 bytes per row, not the row.
 */
export class RowKeeper {
  private retained: Row[] | null = [];
  private retainedChars = 0;
  private readonly times = new TimeColumns();
  private added = 0;

  /** Rows added so far. */
  get count(): number {
    return this.added;
  }

  /** `chars`: the length of the row's journal line. */
  add(row: Row, chars: number): void {
    this.added += 1;
    this.times.add(row.startedAt, row.endedAt);
    if (this.retained === null) return;
    this.retainedChars += chars;
    if (this.retainedChars > rowBudget.inMemoryChars) this.retained = null;
    else this.retained.push(row);
  }

  /**
   * Fills runtimeOverlap where a row has none and writes results.csv with `columns`. Returns the rows:
   * the retained array (filled in place), or — past the budget — a read-only array paging from the
   * journal (closed by now), whose lines results.csv is then streamed from.
   */
  finish(files: RunFiles, columns: string[]): Row[] {
    const overlap = this.times.overlap();
    if (this.retained !== null) {
      const rows = this.retained;
      rows.forEach((row, i) => {
        if (row.runtimeOverlap === null || row.runtimeOverlap === undefined)
          row.runtimeOverlap = Number.isNaN(overlap[i]) ? null : overlap[i];
      });
      writeFileAtomic(files.csv, rowsToCSV(rows, columns));
      return rows;
    }
    let rows: Row[] = [];
    writeStreamAtomic(files.csv, (write) => {
      write(columns.map(csvField).join(","));
      const fields = new Array<string>(columns.length);
      const { segment } = scanSegment(files.journal, {
        overlap,
        onRow: (row) => {
          for (let c = 0; c < columns.length; c++) fields[c] = csvField(row[columns[c]]);
          write(fields.join(","));
        },
      });
      rows = pagedRows([segment]);
    });
    return rows;
  }
}

/**
 * Writes `file` atomically (a temp file in the same folder, then rename), line by line: `produce`
 * calls `write(line)`; lines end in CRLF and reach the file in batches.
 */
function writeStreamAtomic(file: string, produce: (write: (line: string) => void) => void): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, "w");
  try {
    let batch: string[] = [];
    let chars = 0;
    const flush = () => {
      const data = Buffer.from(batch.join(""), "utf8");
      batch = [];
      chars = 0;
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
    };
    produce((line) => {
      batch.push(line, "\r\n");
      chars += line.length + 2;
      if (chars >= CSV_BATCH_CHARS) flush();
    });
    flush();
    fs.closeSync(fd);
    fs.renameSync(temp, file);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
