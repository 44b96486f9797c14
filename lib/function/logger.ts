import { appendFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { fileSystemError } from "../fs-errors";
import type { Logger } from "../platform";

/** A log written line by line to functions/<name>/logs/<file>, so a failed deploy names its cause. */
export function fileLogger(logsDir: string, file: string, echo?: Logger): Logger {
  try {
    mkdirSync(logsDir, { recursive: true });
  } catch (error) {
    throw fileSystemError(error, logsDir, "create the folder", "deploy");
  }
  const target = path.join(logsDir, file);
  return (line: string) => {
    try {
      appendFileSync(target, `${new Date().toISOString()} ${line}\n`);
    } catch (error) {
      throw fileSystemError(error, target, "write", "deploy");
    }
    echo?.(line);
  };
}
