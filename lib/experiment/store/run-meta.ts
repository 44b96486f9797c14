import * as fs from "node:fs";
import * as os from "node:os";
import type { ExperimentMeta } from "../meta";
import type { Row } from "../row";
import { processAlive, readJsonObject } from "./files";
import { isJournalOpen } from "./journal";
import type { RunFiles } from "./names";

/**
 * The meta of a stored run as load() reports it. A run whose meta.json still says "running" but whose
 * writing process is gone (same host, pid not alive; or this process without the run's writer open)
 * is reported "aborted" with a reason. A missing or unreadable meta.json is rebuilt from the rows.
 */
export function readRunMeta(
  files: RunFiles,
  name: string,
  functionName: string,
  rows: readonly Row[],
): ExperimentMeta {
  const stored = readJsonObject(files.meta);
  if (!stored || typeof stored.status !== "string") return rebuiltMeta(files, name, functionName, rows);
  const meta = { ...stored, run: files.run } as unknown as ExperimentMeta & { pid?: number };
  if (meta.status === "running" && meta.pid === process.pid) {
    const end = unrecordedEnds.get(files.meta);
    if (end && end.startedAt === meta.startedAt) return { ...meta, ...end.end };
  }
  if (meta.status === "running") {
    const gone = deadWriter(meta, files);
    if (gone) return { ...meta, status: "aborted", reason: gone };
  }
  return meta;
}

type RunEnd = Pick<ExperimentMeta, "status" | "endedAt" | "reason">;

/** Runs of this process whose end could not be written to meta.json (e.g. a full disk), by meta path. */
const unrecordedEnds = new Map<string, { startedAt: string; end: RunEnd }>();

/**
 * Keeps how a run of this process ended when its meta.json could not say so, so that load() in this
 * process reports that end (e.g. "failed: no space left") rather than a writer that stopped.
 */
export function rememberEnd(files: RunFiles, startedAt: string, end: RunEnd): void {
  unrecordedEnds.set(files.meta, { startedAt, end });
}

/** A new run claimed these files: an end remembered for an earlier run there no longer applies. */
export function forgetEnd(files: RunFiles): void {
  unrecordedEnds.delete(files.meta);
}

/**
 * Who is still writing a run whose meta.json says "running": "this process", "pid 123 on this host",
 * or a process on another host (which cannot be checked from here, so it counts as running). Null when
 * nobody is: the run ended, or its writer is gone (the cases readRunMeta reports as "aborted").
 */
export function runningWriter(files: RunFiles): string | null {
  const stored = readJsonObject(files.meta);
  if (!stored || stored.status !== "running") return null;
  const meta = stored as unknown as ExperimentMeta & { pid?: number };
  if (deadWriter(meta, files)) return null;
  if (typeof meta.pid !== "number") return "a process that did not record its pid";
  if (meta.pid === process.pid) return "this process";
  const host = meta.host?.hostname;
  return host === os.hostname() ? `pid ${meta.pid} on this host` : `pid ${meta.pid} on host ${String(host)}`;
}

function deadWriter(meta: ExperimentMeta & { pid?: number }, files: RunFiles): string | null {
  const pid = meta.pid;
  if (typeof pid !== "number") return null;
  if (pid === process.pid) {
    return isJournalOpen(files.journal)
      ? null
      : "its writer in this process stopped before finishing the experiment";
  }
  if (meta.host?.hostname !== os.hostname()) return null; // another machine: cannot tell
  return processAlive(pid)
    ? null
    : `the process that ran it (pid ${pid}) ended before the experiment finished`;
}

function rebuiltMeta(
  files: RunFiles,
  name: string,
  functionName: string,
  rows: readonly Row[],
): ExperimentMeta {
  const first = rows.find((row) => typeof row.startedAt === "number");
  let startedAt: string;
  if (first) startedAt = new Date(first.startedAt as number).toISOString();
  else {
    try {
      startedAt = fs.statSync(files.journal).mtime.toISOString();
    } catch {
      startedAt = new Date(0).toISOString();
    }
  }
  return {
    name,
    functionName,
    platform: typeof rows[0]?.platform === "string" ? rows[0].platform : "unknown",
    run: files.run,
    status: "aborted",
    options: {},
    config: {},
    tags: {},
    versions: { faaslab: "unknown", node: "unknown" },
    host: { hostname: "unknown", platform: "unknown", arch: "unknown", cpus: 0, cpuModel: null },
    startedAt,
    endedAt: null,
    reason: "meta.json is missing or unreadable (the process died while starting the run?)",
    overview: null,
  };
}
