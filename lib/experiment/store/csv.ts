import type { Row } from "../row";
import { tableColumns } from "./columns";

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field (RFC 4180): null, undefined and non-finite numbers → empty field; booleans → true/false;
 * a field holding a comma, quote, CR or LF is quoted with quotes doubled; the empty string is `""`
 * so that a careful reader can tell it from null.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === "") return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows as CSV text (RFC 4180, CRLF line ends, UTF-8): a header of `columns` (default:
 * RECORD_COLUMNS, then every other column in first-seen order) and one line per row.
 */
export function rowsToCSV(rows: readonly Row[], columns: string[] = tableColumns(rows)): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = columns.map(csvField).join(",");
  const width = columns.length;
  const fields = new Array<string>(width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) fields[c] = csvField(row[columns[c]]);
    lines[r + 1] = fields.join(",");
  }
  return lines.join("\r\n") + "\r\n";
}
