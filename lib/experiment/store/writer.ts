import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FaasLabError } from "../../errors";
import { functionPaths } from "../../function/workspace";
import type { ExperimentMeta, ExperimentOverview, ExperimentStatus } from "../meta";
import type { Row } from "../row";
import { ColumnSet } from "./columns";
import { MemorySettings } from "../config-drift";
import { fileSystemError } from "../../fs-errors";
import { overwriteInPlace, writeFileAtomic } from "./files";
import { JournalWriter } from "./journal";
import { claimRun, replaceExperiment } from "./claim";
import { validateExperimentName, type RunFiles } from "./names";
import { RowKeeper } from "./row-keeper";
import { forgetEnd, rememberEnd } from "./run-meta";

/** Bytes of spaces after meta.json's JSON at open: room for status, reason and overview on a full disk. */
const END_RESERVE_BYTES = 8192;

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
   *
   * When rows could not all be stored (runs.jsonl or results.csv failed, e.g. a full disk) the run
   * ends "failed", meta.json's reason says why and how many rows runs.jsonl holds, and finish throws
   * that error. meta.json is rewritten in place when the disk has no room for its temp file. A run
   * whose folder was removed or replaced meanwhile writes nothing and throws EXPERIMENT_REPLACED.
   */
  finish(status: ExperimentStatus, overview: ExperimentOverview | null, reason?: string | null): Row[];
  /** Warnings about the rows appended: one run whose rows report more than one memory setting. */
  readonly warnings: string[];
}

/**
 * Starts a new run of experiment `name` of `functionName` and writes its meta.json (status
 * "running") and an empty runs.jsonl. A name already used gets the next run (run-2/, run-3/ …);
 * `overwrite: true` deletes the whole experiments/<name>/ first — the only way data is deleted.
 */
export function openExperiment(opts: OpenExperimentOptions): ExperimentWriter {
  validateExperimentName(opts.name);
  const experimentDir = path.join(functionPaths(opts.functionName, opts.workspace).experiments, opts.name);
  if (opts.overwrite) replaceExperiment(experimentDir, opts.name, opts.functionName);
  const metaOf = (run: number): StoredMeta => ({
    ...opts.meta,
    name: opts.name,
    functionName: opts.functionName,
    run,
    status: "running",
    endedAt: null,
    reason: null,
    overview: null,
    pid: process.pid,
  });
  // The spaces reserve room to record the run's end in place should the disk be full by then.
  const text = (run: number) => JSON.stringify(metaOf(run), null, 2) + "\n" + " ".repeat(END_RESERVE_BYTES);
  const files = claimRun(experimentDir, text);
  forgetEnd(files);
  return new RunWriter(files, metaOf(files.run));
}

class RunWriter implements ExperimentWriter {
  private readonly journal: JournalWriter;
  private readonly rows = new RowKeeper();
  private readonly columns = new ColumnSet();
  private readonly memory = new MemorySettings();
  private finished = false;
  /** The journal file this writer created: finish() writes nowhere else if the path now names another. */
  private readonly journalIdentity: string;

  constructor(
    readonly files: RunFiles,
    private readonly meta: StoredMeta,
  ) {
    this.journal = new JournalWriter(files.journal);
    this.journalIdentity = fileIdentity(files.journal) ?? "";
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
    this.memory.add(row);
  }

  get warnings(): string[] {
    const drift = this.memory.drift(this.run);
    return drift ? [drift] : [];
  }

  finish(status: ExperimentStatus, overview: ExperimentOverview | null, reason: string | null = null): Row[] {
    if (this.finished) throw misuse(`experiment "${this.meta.name}" run ${this.run} is already finished`);
    this.finished = true;
    const notes: string[] = [];
    let failure: unknown = null;
    try {
      this.journal.close();
    } catch (error) {
      // Still write results.csv (from the rows kept, or those journaled) and meta.json.
      failure = error;
      const saved = `runs.jsonl holds ${this.journal.savedRows} of ${this.rows.count} rows`;
      notes.push(reason?.includes(messageOf(error)) ? saved : `${saved}: ${messageOf(error)}`);
    }
    if (fileIdentity(this.files.journal) !== this.journalIdentity) {
      throw replacedError(this.meta, this.files, this.rows.count);
    }
    let rows: Row[] = [];
    try {
      rows = this.rows.finish(this.files, this.columns.columns);
    } catch (error) {
      const csvFailure = fileSystemError(error, this.files.csv, "write", "invoke");
      failure ??= csvFailure;
      notes.push(`results.csv could not be written: ${messageOf(csvFailure)}`);
    }
    // A run whose rows could not all be stored did not complete, whatever its loop did.
    const end = {
      status: failure ? "failed" : status,
      endedAt: new Date().toISOString(),
      reason: [reason, ...notes].filter(Boolean).join("; ") || null,
    } as const;
    const metaFailure = this.writeEnd({ ...this.meta, ...end, overview });
    if (failure || metaFailure) throw failure ?? metaFailure;
    return rows;
  }

  /**
   * Rewrites meta.json with the run's end: atomically, else (a full disk: no room for the temp file)
   * in place, in the room reserved at open. Failing both, this process remembers the end for load().
   */
  private writeEnd(meta: StoredMeta): unknown {
    const text = JSON.stringify(meta, null, 2) + "\n";
    try {
      writeFileAtomic(this.files.meta, text);
      return null;
    } catch (error) {
      try {
        if (overwriteInPlace(this.files.meta, text)) return null;
      } catch {
        // reported below as the atomic write's failure
      }
      const { status, endedAt, reason } = meta;
      rememberEnd(this.files, meta.startedAt, { status, endedAt, reason });
      return error;
    }
  }
}

/** The message of a failure for meta.json's reason (a FaasLabError's hint is said once, by the error). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const hint = error instanceof FaasLabError && error.hint ? ` Hint: ${error.hint}` : "";
  return hint && error.message.endsWith(hint) ? error.message.slice(0, -hint.length) : error.message;
}

/**
 * The folder was deleted or replaced while the run was writing (another process's `overwrite: true`
 * slipped in between its check and this run's start): writing results.csv and meta.json now would
 * put this run's files into the other run's folder, so nothing is written.
 */
function replacedError(meta: StoredMeta, files: RunFiles, rows: number): FaasLabError {
  return new FaasLabError(
    `experiment "${meta.name}" run ${files.run} was removed or replaced while it ran (${files.dir} no longer holds its runs.jsonl); its ${rows} rows were not stored`,
    {
      code: "EXPERIMENT_REPLACED",
      phase: "invoke",
      hint: "another process deleted or replaced its folder (an overwrite: true that started at the same moment, or from another host): run it again, under another name",
    },
  );
}

/** "dev:ino" of a file, or null when the path does not exist. */
function fileIdentity(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
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
