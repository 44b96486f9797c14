import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, FaasLabError } from "../errors";
import { functionPaths, functionsRoot } from "../function/workspace";
import { workspaceDir } from "../settings";
import type { ExperimentMeta } from "./meta";
import { MemorySettings } from "./config-drift";
import { fillRuntimeOverlap } from "./overview";
import { ExperimentResult } from "./result";
import type { Row } from "./row";
import { readJournal } from "./store/journal";
import { rowBudget } from "./store/budget";
import { scanSegment } from "./store/segment";
import { concatRows, pagedRows } from "./paged-rows";
import { experimentNameProblem, listExperimentNames, listRuns, type RunFiles } from "./store/names";
import { readRunMeta } from "./store/run-meta";
import { readTimeline, type TimelineSample } from "./instance-timeline";

export type FunctionRef = { functionName: string } | string;

export interface LoadOptions {
  /** Which run of a re-used name: a run number, "latest" (default) or "all" (concatenated). */
  run?: number | "all" | "latest";
  /** Workspace holding functions/ (default: the session's, see configure()). */
  workspace?: string;
}

export interface StoredRun {
  run: number;
  /** "running", "complete", "aborted" (also: its process died) or "failed". */
  status: string;
  /** Rows in runs.jsonl (warmups included). */
  rows: number;
  startedAt: string;
  endedAt: string | null;
  reason: string | null;
  dir: string;
}

export interface StoredExperiment {
  name: string;
  runs: StoredRun[];
}

/**
 * Reads an experiment back from functions/<fn>/experiments/<experiment>/. runs.jsonl is the
 * authoritative data (a truncated last line from a killed process is dropped); meta.json gives the
 * status. With `run: "all"` the rows of every run are concatenated with an extra `experimentRun`
 * column. `runtimeOverlap` is computed (per run) where the journal has none. A journal larger than
 * the in-memory budget (store/budget.ts) is read once for its index and then paged: the result's rows
 * are read-only arrays reading runs.jsonl a page at a time.
 */
export function load(fn: FunctionRef, experiment: string, options: LoadOptions = {}): ExperimentResult {
  const functionName = functionNameOf(fn);
  const workspace = options.workspace ?? workspaceDir();
  const experimentsDir = functionPaths(functionName, workspace).experiments;
  const runs = experimentNameProblem(experiment) ? [] : listRuns(path.join(experimentsDir, experiment));
  if (runs.length === 0) throw notFound(functionName, experiment, workspace);
  const selected = selectRuns(runs, options.run ?? "latest", functionName, experiment);
  const parts: Row[][] = [];
  const metas: ExperimentMeta[] = [];
  const warnings: string[] = [];
  const instances: TimelineSample[] = [];
  for (const files of selected) {
    const extra = options.run === "all" ? { experimentRun: files.run } : null;
    const memory = new MemorySettings();
    let journal: { truncatedTail: boolean; corruptLines: number[] };
    if (fileSize(files.journal) <= rowBudget.inMemoryChars) {
      const contents = readJournal(files.journal);
      fillRuntimeOverlap(contents.rows);
      for (const row of contents.rows) memory.add(row);
      if (extra) for (const row of contents.rows) Object.assign(row, extra);
      parts.push(contents.rows);
      metas.push(readRunMeta(files, experiment, functionName, contents.rows));
      journal = contents;
    } else {
      const onRow = (row: Row) => memory.add(row);
      const { segment, report, sample } = scanSegment(files.journal, { extra, onRow });
      parts.push(pagedRows([segment]));
      metas.push(readRunMeta(files, experiment, functionName, sample));
      journal = report;
    }
    const timeline = readTimeline(files.instances);
    for (const sample of timeline.samples) instances.push(extra ? { ...sample, ...extra } : sample);
    if (timeline.truncatedTail)
      warnings.push(`run ${files.run} (${files.instances}): dropped a truncated last instance sample`);
    const drift = memory.drift(files.run);
    if (drift) warnings.push(drift);
    const where = `run ${files.run} (${files.journal})`;
    if (journal.truncatedTail)
      warnings.push(`${where}: dropped a truncated last line (the process died while writing it)`);
    if (journal.corruptLines.length) {
      warnings.push(
        `${where}: skipped ${journal.corruptLines.length} unreadable line(s): ${journal.corruptLines.slice(0, 5).join(", ")}`,
      );
    }
  }
  return new ExperimentResult(concatRows(parts), metas, { warnings, instances });
}

/** Bytes in `file` (0 when it is missing). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Every experiment of a function with its runs, by name. */
export function listExperiments(fn: FunctionRef, options: { workspace?: string } = {}): StoredExperiment[] {
  const functionName = functionNameOf(fn);
  const experimentsDir = functionPaths(functionName, options.workspace ?? workspaceDir()).experiments;
  return listExperimentNames(experimentsDir).map((name) => ({
    name,
    runs: listRuns(path.join(experimentsDir, name)).map((files) => storedRun(files, name, functionName)),
  }));
}

function storedRun(files: RunFiles, name: string, functionName: string): StoredRun {
  const rows = countRows(files.journal);
  const meta = readRunMeta(files, name, functionName, []);
  return {
    run: files.run,
    status: meta.status,
    rows,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    reason: meta.reason,
    dir: files.dir,
  };
}

/**
 * Complete lines of a journal (a truncated last line is not a row), without parsing them; read 1 MiB
 * at a time, so listing a run of millions of rows does not load its journal.
 */
function countRows(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return 0;
  }
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let count = 0;
    let position = 0;
    let lineStart = 0;
    for (let read = fs.readSync(fd, buffer, 0, buffer.length, 0); read > 0; ) {
      const chunk = buffer.subarray(0, read);
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, nl + 1)) {
        if (position + nl > lineStart) count += 1;
        lineStart = position + nl + 1;
      }
      position += read;
      read = fs.readSync(fd, buffer, 0, buffer.length, position);
    }
    if (position > lineStart) {
      const tail = Buffer.alloc(position - lineStart);
      fs.readSync(fd, tail, 0, tail.length, lineStart);
      try {
        JSON.parse(tail.toString("utf8"));
        count += 1;
      } catch {
        // truncated
      }
    }
    return count;
  } finally {
    fs.closeSync(fd);
  }
}

function selectRuns(
  runs: RunFiles[],
  which: number | "all" | "latest",
  functionName: string,
  experiment: string,
): RunFiles[] {
  if (which === "all") return runs;
  if (which === "latest") return [runs[runs.length - 1]];
  const found = runs.find((files) => files.run === which);
  if (found) return [found];
  throw new ConfigError(
    [`experiment "${experiment}" of "${functionName}" has no run ${JSON.stringify(which)}`],
    undefined,
    `its runs are ${runs.map((files) => files.run).join(", ")}; or use run: "latest" | "all"`,
  );
}

function functionNameOf(fn: FunctionRef): string {
  const name = typeof fn === "string" ? fn : (fn as { functionName?: unknown } | null)?.functionName;
  if (typeof name !== "string" || name === "" || /[\\/]/.test(name) || name === "." || name === "..") {
    throw new ConfigError([`expected a cloud function or a function name; got ${describe(fn)}`]);
  }
  return name;
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function without functionName";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function notFound(functionName: string, experiment: string, workspace: string): FaasLabError {
  const existing = listExperimentNames(functionPaths(functionName, workspace).experiments);
  let hint: string;
  if (existing.length) hint = `experiments of "${functionName}": ${existing.join(", ")}`;
  else {
    const others = functionsWithExperiments(workspace);
    hint = others.length
      ? `"${functionName}" has no experiments; functions with experiments here: ${others.join(", ")}`
      : `no function in ${workspace} has experiments yet; run experiment(fn, { name: "${experiment}" }) first`;
  }
  return new FaasLabError(`no experiment "${experiment}" for function "${functionName}"`, {
    code: "EXPERIMENT_NOT_FOUND",
    phase: "load",
    hint,
  });
}

function functionsWithExperiments(workspace: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(functionsRoot(workspace));
  } catch {
    return [];
  }
  return names
    .filter((name) => listExperimentNames(functionPaths(name, workspace).experiments).length > 0)
    .sort();
}
