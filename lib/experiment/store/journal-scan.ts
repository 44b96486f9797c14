import * as fs from "node:fs";
import type { Row } from "../row";
import { fastParse } from "./journal";

/** Bytes read at a time (a longer line grows the buffer). */
const CHUNK_BYTES = 1 << 20;

export interface ScanReport {
  /** A last line without its newline that is not valid JSON: the process died while writing it. */
  truncatedTail: boolean;
  /** 1-based numbers (counted from the start of the scan) of complete lines that are not a JSON object. */
  corruptLines: number[];
  /** The byte where the scan stopped (the end of the range, or of the file). */
  end: number;
}

/** Receives each row in order with the byte offset where its line starts. */
export type RowVisitor = (row: Row, byte: number) => void;

/**
 * Reads runs.jsonl lines from byte `start` to `end` (default: the end of the file) of an open file,
 * CHUNK_BYTES at a time, and calls `visit` for every line that holds a JSON object — the rows
 * readJournal() returns, with the same rules: blank lines are skipped, other lines that are not a JSON
 * object are corrupt, and a last line without a newline is a row when it parses (else truncatedTail).
 */
export function scanJournalFd(fd: number, visit: RowVisitor, start = 0, end = Infinity): ScanReport {
  const report: ScanReport = { truncatedTail: false, corruptLines: [], end: start };
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let kept = 0; // bytes of an unfinished line carried over from the previous read
  let bufferStart = start; // file offset of buffer[0]
  let lineNumber = 0;
  for (;;) {
    if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const want = Math.min(buffer.length - kept, end - (bufferStart + kept));
    const read = want > 0 ? fs.readSync(fd, buffer, kept, want, bufferStart + kept) : 0;
    const filled = kept + read;
    if (read === 0) {
      report.end = bufferStart + filled;
      const tail = buffer.toString("utf8", 0, filled);
      if (tail.trim() === "") return report;
      const row = parseRow(tail);
      if (row) visit(row, bufferStart);
      else report.truncatedTail = true;
      return report;
    }
    const lastNewline = buffer.lastIndexOf(0x0a, filled - 1);
    if (lastNewline < 0) {
      kept = filled;
      continue;
    }
    lineNumber = visitLines(buffer, lastNewline, bufferStart, lineNumber, visit, report.corruptLines);
    buffer.copy(buffer, 0, lastNewline + 1, filled);
    bufferStart += lastNewline + 1;
    kept = filled - lastNewline - 1;
  }
}

/** scanJournalFd on a file by name; a missing file reads as no rows. */
export function scanJournal(file: string, visit: RowVisitor): ScanReport {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { truncatedTail: false, corruptLines: [], end: 0 };
    throw error;
  }
  try {
    return scanJournalFd(fd, visit);
  } finally {
    fs.closeSync(fd);
  }
}

/** The complete lines in buffer[0 … lastNewline]: one JSON.parse for all of them when every line is a row. */
function visitLines(
  buffer: Buffer,
  lastNewline: number,
  bufferStart: number,
  lineNumber: number,
  visit: RowVisitor,
  corrupt: number[],
): number {
  const text = buffer.toString("utf8", 0, lastNewline);
  const lines = text.split("\n");
  const ascii = text.length === lastNewline; // then a line's byte offset is its character offset
  const rows = fastParse(lines);
  let byte = 0;
  for (let k = 0; k < lines.length; k++) {
    const at = bufferStart + byte;
    byte = ascii ? byte + lines[k].length + 1 : buffer.indexOf(0x0a, byte) + 1;
    lineNumber += 1;
    if (rows) {
      visit(rows[k], at);
      continue;
    }
    if (lines[k].trim() === "") continue;
    const row = parseRow(lines[k]);
    if (row) visit(row, at);
    else corrupt.push(lineNumber);
  }
  return lineNumber;
}

export function parseRow(line: string): Row | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Row) : null;
  } catch {
    return null;
  }
}
