import * as fs from "node:fs";

const scanned = new Map<string, { size: number; mtimeMs: number; ids: string[] }>();

/** The distinct instanceIds in one runs.jsonl (cached per path, size and mtime). */
export function journalInstanceIds(file: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return [];
  }
  const cached = scanned.get(file);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.ids;
  const ids = new Set<string>();
  try {
    forEachChunkOfLines(file, (chunk) => scanInstanceIds(chunk, ids));
  } catch {
    return [];
  }
  const list = [...ids];
  scanned.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ids: list });
  return list;
}

/**
 * Calls `visit` with successive buffers of whole lines (the last may be a truncated line at the end
 * of the file). One reused 1 MiB buffer: a large journal does not allocate its size in memory.
 */
function forEachChunkOfLines(file: string, visit: (chunk: Buffer) => void): void {
  const fd = fs.openSync(file, "r");
  try {
    let buffer = Buffer.allocUnsafe(1 << 20);
    let kept = 0; // bytes of an unfinished line carried over from the previous read
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const read = fs.readSync(fd, buffer, kept, buffer.length - kept, null);
      const filled = kept + read;
      if (read === 0) {
        if (filled > 0) visit(buffer.subarray(0, filled));
        return;
      }
      const lastNewline = buffer.lastIndexOf(0x0a, filled - 1);
      if (lastNewline < 0) {
        kept = filled;
        continue;
      }
      visit(buffer.subarray(0, lastNewline + 1));
      buffer.copy(buffer, 0, lastNewline + 1, filled);
      kept = filled - lastNewline - 1;
    }
  } finally {
    fs.closeSync(fd);
  }
}

// In a line written by JSON.stringify, `"instanceId":` can only be that column's key: a quote inside
// a string value is escaped (\") and a prefixed key ("attr.instanceId") has no quote before the name.
const KEY = Buffer.from('"instanceId":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Adds the string values of the instanceId key in JSON-lines bytes to `ids` (a cut-off value is skipped). */
export function scanInstanceIds(data: Buffer, ids: Set<string>): void {
  for (let at = data.indexOf(KEY); at >= 0; at = data.indexOf(KEY, at)) {
    const start = at + KEY.length;
    let end = start;
    let escaped = false;
    while (end < data.length && data[end] !== QUOTE) {
      if (data[end] === BACKSLASH) {
        escaped = true;
        end += 1;
      }
      end += 1;
    }
    if (end >= data.length) break; // truncated last line
    if (!escaped) ids.add(data.toString("utf8", start, end));
    else {
      try {
        ids.add(JSON.parse(data.toString("utf8", start - 1, end + 1)) as string);
      } catch {
        // not a valid string: skip
      }
    }
    at = end + 1;
  }
}
