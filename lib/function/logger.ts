import { appendFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import type { Logger } from "../platform";

/** A log written line by line to functions/<name>/logs/<file>, so a failed deploy names its cause. */
export function fileLogger(logsDir: string, file: string, echo?: Logger): Logger {
  mkdirSync(logsDir, { recursive: true });
  const target = path.join(logsDir, file);
  return (line: string) => {
    appendFileSync(target, `${new Date().toISOString()} ${line}\n`);
    echo?.(line);
  };
}
