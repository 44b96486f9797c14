import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../errors";
import { windowsReservedProblem } from "../../reserved-names";

/** Files of one experiment run (run 1 in `<name>/`, run N ≥ 2 in `<name>/run-N/`). */
export interface RunFiles {
  run: number;
  dir: string;
  meta: string;
  journal: string;
  csv: string;
  /** The instance timeline (one InstanceSample per line), when the platform reports one. */
  instances: string;
}

const RUN_DIR = /^run-([1-9][0-9]*)$/;
// Characters that are not portable in a directory name (Windows, macOS) or not visible.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]/;

/** Why `name` cannot be an experiment name, or null when it can. */
export function experimentNameProblem(name: unknown): string | null {
  if (typeof name !== "string" || name.trim() === "") {
    return `experiment name must be a non-empty string; got ${JSON.stringify(name)}`;
  }
  const shown = JSON.stringify(name);
  if (name === "." || name === "..") return `experiment name ${shown} is not a directory name`;
  if (UNSAFE.test(name)) {
    return `experiment name ${shown} contains a path separator or a character that is not portable in a directory name (\\ / : * ? " < > | or a control character)`;
  }
  const reserved = windowsReservedProblem(name);
  if (reserved) return `experiment name ${shown} ${reserved}`;
  if (name.startsWith("."))
    return `experiment name ${shown} must not start with "." (reserved for temporary files)`;
  if (name.startsWith("run-")) {
    return `experiment name ${shown} must not start with "run-" (reserved for the run-2/, run-3/ … folders of a re-used name)`;
  }
  if (name.length > 200) return `experiment name is ${name.length} characters long; the limit is 200`;
  return null;
}

/** Throws a ConfigError when `name` cannot be used as an experiment (folder) name. */
export function validateExperimentName(name: unknown): asserts name is string {
  const problem = experimentNameProblem(name);
  if (problem)
    throw new ConfigError([problem], undefined, `use letters, digits, "-" and "_", e.g. "memory_sweep_1"`);
}

export function runFiles(experimentDir: string, run: number): RunFiles {
  const dir = run === 1 ? experimentDir : path.join(experimentDir, `run-${run}`);
  return {
    run,
    dir,
    meta: path.join(dir, "meta.json"),
    journal: path.join(dir, "runs.jsonl"),
    csv: path.join(dir, "results.csv"),
    instances: path.join(dir, "instances.jsonl"),
  };
}

/**
 * The runs stored under one experiment folder, by run number. Run 1 exists when the folder holds a
 * meta.json or runs.jsonl; run N ≥ 2 exists as soon as its run-N/ folder does (it is claimed by mkdir).
 */
export function listRuns(experimentDir: string): RunFiles[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(experimentDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const runs: RunFiles[] = [];
  const names = new Set(entries.map((e) => e.name));
  if (names.has("meta.json") || names.has("runs.jsonl")) runs.push(runFiles(experimentDir, 1));
  for (const entry of entries) {
    const match = entry.isDirectory() ? RUN_DIR.exec(entry.name) : null;
    if (match && Number(match[1]) >= 2) runs.push(runFiles(experimentDir, Number(match[1])));
  }
  return runs.sort((a, b) => a.run - b.run);
}

/** Experiment folder names under functions/<fn>/experiments/ (hidden and invalid names skipped), sorted. */
export function listExperimentNames(experimentsDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(experimentsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && experimentNameProblem(e.name) === null)
    .map((e) => e.name)
    .filter((name) => listRuns(path.join(experimentsDir, name)).length > 0)
    .sort();
}
