/**
 * Persistence of experiment runs (issue 3, "nothing lost"):
 *
 *   functions/<fn>/experiments/<name>/            run 1
 *     meta.json     written complete when the run is claimed (status "running", pid, room reserved),
 *                   rewritten at finish (temp + rename; in place when the disk is full)
 *     runs.jsonl    one JSON object per completed invocation, appended as it completes
 *     results.csv   written at finish: RECORD_COLUMNS then extra columns, RFC 4180, CRLF
 *     instances.jsonl  one InstanceSample per line as the platform reports it (platforms with
 *                   watchInstances only; ../instance-timeline.ts), journaled like runs.jsonl
 *     run-2/ run-3/ …  later runs of the same name, same three files
 *
 * A killed process loses at most the rows appended in the last FLUSH_INTERVAL_MS (20 ms); load()
 * reads runs.jsonl (authoritative) and reports such a run as aborted / incomplete. Data is deleted
 * only by `overwrite: true`, which replaces the whole <name>/ folder — refused while one of its runs
 * is still written (claim.ts); a run whose folder was replaced anyway writes nothing into the new one.
 */
export { openExperiment, hostInfo } from "./writer";
export type { ExperimentWriter, OpenExperimentOptions, ExperimentMetaInput, StoredMeta } from "./writer";
export { FLUSH_INTERVAL_MS, readJournal } from "./journal";
export type { JournalContents } from "./journal";
export {
  validateExperimentName,
  experimentNameProblem,
  listRuns,
  listExperimentNames,
  runFiles,
} from "./names";
export type { RunFiles } from "./names";
export { rowsToCSV, csvField } from "./csv";
export { tableColumns } from "./columns";
