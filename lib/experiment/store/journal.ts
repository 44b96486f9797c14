import * as fs from "node:fs";
import { fileSystemError } from "../../fs-errors";
import type { Row } from "../row";

/**
 * Rows are buffered for at most this long before they reach the file (one write(2) per batch instead
 * of one per row). Data written is in the kernel once write(2) returns, so a killed process
 * (`kill -9`, Ctrl-C, a crash) loses at most the rows appended during the last FLUSH_INTERVAL_MS.
 */
export const FLUSH_INTERVAL_MS = 20;
/** A batch this large is written at once, whatever its age. */
const FLUSH_BYTES = 64 * 1024;

const open = new Set<JournalWriter>();
let exitHookInstalled = false;

/** Whether a JournalWriter of this process still has `file` open (its run is really running). */
export function isJournalOpen(file: string): boolean {
  for (const journal of open) if (journal.file === file) return true;
  return false;
}

/** Flushes every open journal when the process exits normally or by an uncaught exception. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const journal of open) journal.flushQuietly();
  });
}

/** Appends one JSON line per row to runs.jsonl, durable within FLUSH_INTERVAL_MS. */
export class JournalWriter {
  private fd: number | null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private lastFlush = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  private count = 0;
  /** Rows whose line is complete in the file. */
  private saved = 0;
  /** Bytes in the file (it is only appended to, by this writer). */
  private size = 0;

  constructor(readonly file: string) {
    try {
      this.fd = fs.openSync(file, "a");
      this.size = fs.fstatSync(this.fd).size;
    } catch (error) {
      throw fileSystemError(error, file, "write", "invoke");
    }
    open.add(this);
    installExitHook();
  }

  /** Rows appended. */
  get rows(): number {
    return this.count;
  }

  /** Rows whose line reached the file (fewer than `rows` after a failed write, e.g. a full disk). */
  get savedRows(): number {
    return this.saved;
  }

  /** Buffers the row's line; returns its length (characters). */
  append(row: Row): number {
    if (this.failure) throw this.failure;
    if (this.fd === null) throw new Error(`journal ${this.file} is closed`);
    const line = JSON.stringify(row) + "\n";
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.count += 1;
    const age = performance.now() - this.lastFlush;
    if (age >= FLUSH_INTERVAL_MS || this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flushQuietly(), FLUSH_INTERVAL_MS - age);
      this.timer.unref();
    }
    return line.length;
  }

  /** Writes the buffered rows now (synchronously). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.fd === null || this.pending.length === 0) return;
    if (this.failure) throw this.failure;
    const data = Buffer.from(this.pending.join(""), "utf8");
    const lines = this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
    let offset = 0;
    try {
      while (offset < data.length) offset += fs.writeSync(this.fd, data, offset, data.length - offset);
    } catch (error) {
      this.keepWholeLines(data, offset);
      // Nothing more is written after a failure: the file stays a prefix of the run, never a gap.
      this.failure ??= fileSystemError(error, this.file, "write", "invoke");
      throw this.failure;
    }
    this.size += data.length;
    this.saved += lines;
    this.lastFlush = performance.now();
  }

  /**
   * After a write that stopped part-way (ENOSPC): cut the file back to its last complete line, so it
   * holds whole rows only (shrinking needs no space). The rows not written are lost; `savedRows` says so.
   */
  private keepWholeLines(data: Buffer, written: number): void {
    const whole = written > 0 ? data.lastIndexOf(0x0a, written - 1) + 1 : 0;
    for (let at = 0; at < whole; at = data.indexOf(0x0a, at) + 1) this.saved += 1;
    this.size += whole;
    if (whole === written || this.fd === null) return;
    try {
      fs.ftruncateSync(this.fd, this.size);
    } catch {
      // load() drops a truncated last line anyway
    }
  }

  /** flush() for timers and the exit hook: a failure is kept and rethrown by the next append/close. */
  flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      this.failure ??= error;
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
      this.fd = null;
      open.delete(this);
    }
    if (this.failure) throw this.failure;
  }
}

export interface JournalContents {
  rows: Row[];
  /** A last line without its newline that is not valid JSON: the process died while writing it. */
  truncatedTail: boolean;
  /** 1-based numbers of complete lines that are not a JSON object (skipped). */
  corruptLines: number[];
}

/** Reads runs.jsonl; a missing file reads as no rows. Tolerates a truncated last line. */
export function readJournal(file: string): JournalContents {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { rows: [], truncatedTail: false, corruptLines: [] };
    throw fileSystemError(error, file, "read", "load");
  }
  const end = text.lastIndexOf("\n");
  const tail = text.slice(end + 1);
  const lines = end < 0 ? [] : text.slice(0, end).split("\n");
  const corruptLines: number[] = [];
  const rows = fastParse(lines) ?? slowParse(lines, corruptLines);
  let truncatedTail = false;
  if (tail.trim() !== "") {
    const row = parseRow(tail);
    if (row) rows.push(row);
    else truncatedTail = true;
  }
  return { rows, truncatedTail, corruptLines };
}

/** One JSON.parse for the whole file (faster than one per line); null when any line is not a row. */
export function fastParse(lines: string[]): Row[] | null {
  if (lines.length === 0) return [];
  let values: unknown;
  try {
    values = JSON.parse(`[${lines.join(",")}]`);
  } catch {
    return null;
  }
  const rows = values as unknown[];
  if (rows.length !== lines.length) return null;
  for (const row of rows) if (typeof row !== "object" || row === null || Array.isArray(row)) return null;
  return rows as Row[];
}

function slowParse(lines: string[], corrupt: number[]): Row[] {
  const rows: Row[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const row = parseRow(line);
    if (row) rows.push(row);
    else corrupt.push(index + 1);
  });
  return rows;
}

function parseRow(line: string): Row | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Row) : null;
  } catch {
    return null;
  }
}
