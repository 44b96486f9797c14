import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FaasLabError } from "../../errors";
import { functionPaths } from "../../function/workspace";
import type { ExperimentMeta, ExperimentOverview, ExperimentStatus } from "../meta";
import type { Row } from "../row";
import { ColumnSet } from "./columns";
import { writeJsonAtomic } from "./files";
import { JournalWriter } from "./journal";
import { listRuns, runFiles, validateExperimentName, type RunFiles } from "./names";
import { RowKeeper } from "./row-keeper";

export type ExperimentMetaInput = Omit<ExperimentMeta, "run" | "status" | "endedAt" | "reason" | "overview">;

export interface OpenExperimentOptions {
  workspace: string;
  functionName: string;
  name: string;
  /** Replace the whole experiments/<name>/ folder (all earlier runs) instead of adding run-N/. */
  overwrite?: boolean;
  meta: ExperimentMetaInput;
}

/** What meta.json holds: ExperimentMeta plus the writing process, so load() can tell a dead run. */
export type StoredMeta = ExperimentMeta & { pid: number };

/** The writer of one experiment run. */
export interface ExperimentWriter {
  /** Folder of this run: experiments/<name>/ for run 1, experiments/<name>/run-N/ after. */
  readonly dir: string;
  readonly run: number;
  readonly files: RunFiles;
  /** Rows appended so far. */
  readonly rowCount: number;
  /**
   * Journals one completed invocation (runs.jsonl). Do not mutate the row afterwards: the writer
   * may keep it for results.csv. Durable against a killed process within FLUSH_INTERVAL_MS (20 ms).
   */
  append(row: Row): void;
  /**
   * Ends the run: flushes and closes the journal, fills `runtimeOverlap` where it is null, writes
   * results.csv, then rewrites meta.json (atomically) with the status, endedAt, reason and overview.
   * Returns every appended row: while they fit the in-memory budget (budget.ts) the appended objects
   * themselves, runtimeOverlap filled IN PLACE; past it a read-only array paging from runs.jsonl (and
   * results.csv is streamed from the journal). Synchronous; a second call throws.
   */
  finish(status: ExperimentStatus, overview: ExperimentOverview | null, reason?: string | null): Row[];
}

/**
 * Starts a new run of experiment `name` of `functionName` and writes its meta.json (status
 * "running") and an empty runs.jsonl. A name already used gets the next run (run-2/, run-3/ …);
 * `overwrite: true` deletes the whole experiments/<name>/ first — the only way data is deleted.
 */
export function openExperiment(opts: OpenExperimentOptions): ExperimentWriter {
  validateExperimentName(opts.name);
  const experimentDir = path.join(functionPaths(opts.functionName, opts.workspace).experiments, opts.name);
  if (opts.overwrite) removeExperiment(experimentDir);
  const files = claimRun(experimentDir);
  const meta: StoredMeta = {
    ...opts.meta,
    name: opts.name,
    functionName: opts.functionName,
    run: files.run,
    status: "running",
    endedAt: null,
    reason: null,
    overview: null,
    pid: process.pid,
  };
  writeJsonAtomic(files.meta, meta);
  return new RunWriter(files, meta);
}

class RunWriter implements ExperimentWriter {
  private readonly journal: JournalWriter;
  private readonly rows = new RowKeeper();
  private readonly columns = new ColumnSet();
  private finished = false;

  constructor(
    readonly files: RunFiles,
    private readonly meta: StoredMeta,
  ) {
    this.journal = new JournalWriter(files.journal);
  }

  get dir(): string {
    return this.files.dir;
  }

  get run(): number {
    return this.files.run;
  }

  get rowCount(): number {
    return this.rows.count;
  }

  append(row: Row): void {
    if (this.finished)
      throw misuse(`experiment "${this.meta.name}" run ${this.run} is finished; append() after finish()`);
    this.rows.add(row, this.journal.append(row));
    this.columns.add(row);
  }

  finish(status: ExperimentStatus, overview: ExperimentOverview | null, reason: string | null = null): Row[] {
    if (this.finished) throw misuse(`experiment "${this.meta.name}" run ${this.run} is already finished`);
    this.finished = true;
    let journalFailure: unknown = null;
    try {
      this.journal.close();
    } catch (error) {
      journalFailure = error; // still write results.csv (from the rows kept, or those journaled) and meta.json
    }
    const rows = this.rows.finish(this.files, this.columns.columns);
    const note = journalFailure ? `runs.jsonl could not be written: ${String(journalFailure)}` : null;
    writeJsonAtomic(this.files.meta, {
      ...this.meta,
      status,
      endedAt: new Date().toISOString(),
      reason: [reason, note].filter(Boolean).join("; ") || null,
      overview,
    } satisfies StoredMeta);
    if (journalFailure) throw journalFailure;
    return rows;
  }
}

/**
 * Claims the next free run: run 1 by creating <name>/meta.json exclusively, run N ≥ 2 by creating
 * <name>/run-N/ (mkdir fails if it exists), so two processes never get the same run.
 */
function claimRun(experimentDir: string): RunFiles {
  for (;;) {
    const runs = listRuns(experimentDir);
    const next = runs.length === 0 ? 1 : runs[runs.length - 1].run + 1;
    const files = runFiles(experimentDir, next);
    try {
      if (next === 1) {
        fs.mkdirSync(experimentDir, { recursive: true });
        fs.closeSync(fs.openSync(files.meta, "wx"));
      } else {
        fs.mkdirSync(files.dir);
      }
      return files;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
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
    throw error;
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

function misuse(message: string): FaasLabError {
  return new FaasLabError(message, { code: "EXPERIMENT_FINISHED", phase: "invoke" });
}

/** Host facts for ExperimentMeta.host. */
export function hostInfo(): ExperimentMeta["host"] {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: process.platform,
    arch: process.arch,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
  };
}
