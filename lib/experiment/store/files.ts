import * as fs from "node:fs";
import * as path from "node:path";
import { fileSystemError } from "../../fs-errors";

/** Writes `file` atomically: a temp file in the same folder, then rename. A crash leaves the old file. */
export function writeFileAtomic(file: string, data: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // its folder is gone or is not one: nothing was left behind
    }
    throw fileSystemError(error, file, "write", "invoke");
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Overwrites `file` in place with `text`, padded with spaces (valid at the end of JSON) to the file's
 * size, so no new disk blocks are needed: the way to update meta.json on a full disk, where the temp
 * file of writeFileAtomic cannot be written. Not atomic. False (file untouched) when `text` is larger.
 */
export function overwriteInPlace(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "r+");
  } catch (error) {
    throw fileSystemError(error, file, "write", "invoke");
  }
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.byteLength(text);
    if (bytes > size) return false;
    const data = Buffer.alloc(size, " ");
    data.write(text, 0, "utf8");
    let offset = 0;
    while (offset < size) offset += fs.writeSync(fd, data, offset, size - offset, offset);
    return true;
  } catch (error) {
    throw fileSystemError(error, file, "write", "invoke");
  } finally {
    fs.closeSync(fd);
  }
}

/** The parsed JSON object in `file`, or null when it is missing, empty or not a JSON object. */
export function readJsonObject(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Whether a process with this pid is alive on this host (EPERM means alive but not ours). A zombie
 * (exited, not yet reaped by its parent) counts as gone where /proc tells.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (macOS, Windows): kill(0) said it exists
  }
}
