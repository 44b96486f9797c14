import * as fs from "node:fs";
import * as path from "node:path";
import { FaasLabError, type ErrorPhase } from "./errors";

/** What faaslab was doing with the path when the file system said no. */
export type FileAction = "read" | "write" | "create the folder" | "remove";

/**
 * A file system error on faaslab's own files (the workspace) as a FaasLabError (code FILESYSTEM_ERROR)
 * that names the path, says what is wrong in words, and hints at the fix; the raw error is its cause.
 * A FaasLabError is returned unchanged.
 */
export function fileSystemError(
  error: unknown,
  target: string,
  action: FileAction,
  phase: ErrorPhase,
  platform?: string,
): FaasLabError {
  if (error instanceof FaasLabError) return error;
  const code = diagnosed((error as NodeJS.ErrnoException | null)?.code ?? "", target, action);
  const { problem, hint } = explain(code, target, action, error);
  return new FaasLabError(`cannot ${action} ${target}: ${problem}${code ? ` (${code})` : ""}`, {
    code: "FILESYSTEM_ERROR",
    phase,
    platform,
    hint,
    cause: error,
  });
}

/** Whether `error` is the file system's "no space left" (or quota) error. */
export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") return true;
  return error instanceof FaasLabError && isNoSpace(error.cause);
}

const ELSEWHERE = "or use another workspace: configure({ workspace }) or FAASLAB_WORKSPACE";

function explain(
  code: string,
  target: string,
  action: FileAction,
  error: unknown,
): { problem: string; hint: string } {
  switch (code) {
    case "ENOSPC":
    case "EDQUOT": {
      const problem = code === "ENOSPC" ? "no space left on the device" : "the disk quota is exceeded";
      return { problem, hint: `free space on the disk that holds ${path.dirname(target)}, ${ELSEWHERE}` };
    }
    case "EROFS":
      return { problem: "the file system is read-only", hint: `mount it writable, ${ELSEWHERE}` };
    case "EACCES":
    case "EPERM":
      return {
        problem: "permission denied",
        hint: `let this user write ${path.dirname(target)}, ${ELSEWHERE}`,
      };
    case "EISDIR":
      return {
        problem: "it is a folder, where faaslab keeps a file",
        hint: `move or delete the folder ${target}; faaslab writes the file anew`,
      };
    case "ENOTDIR":
    case "EEXIST": {
      const blocker = fileInTheWay(action === "create the folder" ? target : path.dirname(target));
      if (blocker) {
        return {
          problem: `${blocker === path.resolve(target) ? "it" : blocker} is a file, where faaslab needs a folder`,
          hint: `move or delete the file ${blocker}; faaslab creates the folder anew`,
        };
      }
      break;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { problem: message, hint: `check ${target} and the folders above it` };
}

/**
 * Node's recursive mkdir reports ENOENT where a folder could not be made (a read-only file system,
 * no permission): ask the nearest existing folder above whether it can be written, for the real cause.
 */
function diagnosed(code: string, target: string, action: FileAction): string {
  if (code !== "ENOENT" || action !== "create the folder") return code;
  let at = path.resolve(target);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  try {
    fs.accessSync(at, fs.constants.W_OK);
    return code;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? code;
  }
}

/** The nearest path at or above `dir` that exists and is not a folder, or null. */
function fileInTheWay(dir: string): string | null {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      if (!fs.statSync(at).isDirectory()) return at;
    } catch {
      // missing (or unreadable): look further up
    }
    if (path.dirname(at) === at) return null;
  }
}
