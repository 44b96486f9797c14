import * as fs from "node:fs";
import * as path from "node:path";
import { FaasLabError } from "../../errors";
import { fileSystemError } from "../../fs-errors";
import { listRuns, runFiles, type RunFiles } from "./names";
import { runningWriter } from "./run-meta";

/**
 * Claims the next free run of an experiment folder with its meta.json already complete, so another
 * process never sees a claimed run without its status: run 1 by hard-linking a finished temp file to
 * <name>/meta.json (fails if it exists), run N ≥ 2 by renaming a finished temp folder to <name>/run-N/
 * (fails if it exists). Two processes never get the same run. `metaText(run)` is the meta.json text.
 */
export function claimRun(experimentDir: string, metaText: (run: number) => string): RunFiles {
  for (;;) {
    const runs = listRuns(experimentDir);
    const next = runs.length === 0 ? 1 : runs[runs.length - 1].run + 1;
    const files = runFiles(experimentDir, next);
    try {
      fs.mkdirSync(experimentDir, { recursive: true });
    } catch (error) {
      throw fileSystemError(error, experimentDir, "create the folder", "invoke");
    }
    let claimed: boolean;
    try {
      claimed =
        next === 1
          ? claimFile(files.meta, metaText(next))
          : claimFolder(files, metaText(next), experimentDir);
    } catch (error) {
      throw fileSystemError(error, files.meta, "write", "invoke");
    }
    if (claimed) return files;
  }
}

function claimFile(meta: string, text: string): boolean {
  const temp = path.join(path.dirname(meta), `.meta.json.${process.pid}.${Date.now()}.claim`);
  fs.writeFileSync(temp, text, { flag: "wx" });
  try {
    fs.linkSync(temp, meta);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    // A file system without hard links: create exclusively, then write (briefly empty).
    return createExclusive(meta, text);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function claimFolder(files: RunFiles, text: string, experimentDir: string): boolean {
  const temp = fs.mkdtempSync(path.join(experimentDir, `.claim-${process.pid}-`));
  try {
    fs.writeFileSync(path.join(temp, path.basename(files.meta)), text);
    fs.renameSync(temp, files.dir);
    return true;
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTEMPTY") return false;
    throw error;
  }
}

/**
 * `overwrite: true`: deletes experiments/<name>/ — unless one of its runs is still being written,
 * here or by another live process (meta.json says "running" and its pid is alive, or it was started
 * on another host): replacing it would leave that run writing into the new one's folder.
 */
export function replaceExperiment(experimentDir: string, name: string, functionName: string): void {
  const running = listRuns(experimentDir)
    .map((files) => ({ run: files.run, writer: runningWriter(files) }))
    .filter((run) => run.writer !== null);
  if (running.length > 0) {
    const which = running.map((run) => `run ${run.run} by ${run.writer}`).join(", ");
    throw new FaasLabError(
      `experiment "${name}" of "${functionName}" is still running (${which}); overwrite: true would mix its rows with the new run's`,
      {
        code: "EXPERIMENT_RUNNING",
        phase: "invoke",
        hint: `wait until it ends or stop it (its AbortSignal, or interrupt the notebook), use another name, or leave out overwrite to store this run as the next run-N/ of "${name}"`,
      },
    );
  }
  removeExperiment(experimentDir);
}

/** Moves the folder aside (one rename, so no half-deleted experiment is ever visible), then deletes it. */
function removeExperiment(experimentDir: string): void {
  const aside = path.join(
    path.dirname(experimentDir),
    `.removing-${path.basename(experimentDir)}-${process.pid}-${Date.now()}`,
  );
  try {
    fs.renameSync(experimentDir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw fileSystemError(error, experimentDir, "remove", "invoke");
  }
  try {
    fs.rmSync(aside, { recursive: true, force: true });
  } catch (error) {
    throw fileSystemError(error, aside, "remove", "invoke");
  }
}
