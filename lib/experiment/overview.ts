import * as path from "node:path";
import type { Row } from "./row";
import type { ExperimentOverview } from "./meta";
import { functionPaths } from "../function/workspace";
import { journalInstanceIds } from "./store/instance-scan";
import { listExperimentNames, listRuns } from "./store/names";
import { TimeColumns } from "./overlap";

/**
 * Per-experiment figures. Every figure except `warmups` counts the measured rows only (warmup rows
 * excluded). Each row is a completed invocation, failed or not, so `throughputPerS` is completed
 * invocations (failures included) per second from the first start to the last end; `errorRate` is
 * failed / invocations (0 without invocations). `instanceReuse` is the share of this experiment's
 * distinct instanceIds found in `earlierInstanceIds`, null when no set is given or no row names an
 * instance.
 */
export function computeOverview(
  rows: Iterable<Row>,
  earlierInstanceIds?: ReadonlySet<string>,
): ExperimentOverview {
  const counter = new OverviewCounter();
  for (const row of rows) counter.add(row);
  return counter.overview(earlierInstanceIds);
}

/** computeOverview, one row at a time: what a run or a journal scan keeps instead of its rows. */
export class OverviewCounter {
  private invocations = 0;
  private warmups = 0;
  private failed = 0;
  private coldStarts = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly instances = new Set<string>();

  add(row: Row): void {
    if (row.warmup === true) {
      this.warmups += 1;
      return;
    }
    this.invocations += 1;
    if (row.failed === true) this.failed += 1;
    if (row.coldStart === true) this.coldStarts += 1;
    if (typeof row.instanceId === "string") this.instances.add(row.instanceId);
    if (typeof row.startedAt === "number" && row.startedAt < this.first) this.first = row.startedAt;
    if (typeof row.endedAt === "number" && row.endedAt > this.last) this.last = row.endedAt;
  }

  /** Adds what `other` counted (the overview of two row sets together). */
  merge(other: OverviewCounter): void {
    this.invocations += other.invocations;
    this.warmups += other.warmups;
    this.failed += other.failed;
    this.coldStarts += other.coldStarts;
    this.first = Math.min(this.first, other.first);
    this.last = Math.max(this.last, other.last);
    for (const id of other.instances) this.instances.add(id);
  }

  overview(earlierInstanceIds?: ReadonlySet<string>): ExperimentOverview {
    const { invocations, warmups, failed, coldStarts, first, last, instances } = this;
    const durationMs = Number.isFinite(first) && Number.isFinite(last) && last >= first ? last - first : null;
    let instanceReuse: number | null = null;
    if (earlierInstanceIds && instances.size > 0) {
      let seen = 0;
      for (const id of instances) if (earlierInstanceIds.has(id)) seen += 1;
      instanceReuse = seen / instances.size;
    }
    return {
      invocations,
      warmups,
      failed,
      errorRate: invocations === 0 ? 0 : failed / invocations,
      coldStarts,
      distinctInstances: instances.size,
      throughputPerS: durationMs !== null && durationMs > 0 ? invocations / (durationMs / 1000) : null,
      durationMs,
      instanceReuse,
    };
  }
}

/**
 * Every instanceId recorded by the function's experiment runs in `workspace`, except the run stored
 * in `exceptDir` (the run being finished). Scans each runs.jsonl for the key instead of parsing it,
 * and remembers the answer per journal (path, size, mtime) for the rest of the session.
 */
export function instanceIdsOf(workspace: string, functionName: string, exceptDir?: string): Set<string> {
  const ids = new Set<string>();
  const root = functionPaths(functionName, workspace).experiments;
  const except = exceptDir === undefined ? null : path.resolve(exceptDir);
  for (const name of listExperimentNames(root)) {
    for (const run of listRuns(path.join(root, name))) {
      if (except !== null && path.resolve(run.dir) === except) continue;
      for (const id of journalInstanceIds(run.journal)) ids.add(id);
    }
  }
  return ids;
}

/**
 * FaaS Runner's runtimeOverlap of each row, aligned with `rows` (overlap.ts has the definition and the
 * algorithm): null for a row without both times.
 */
export function runtimeOverlap(rows: readonly Row[]): (number | null)[] {
  const times = new TimeColumns();
  for (const row of rows) times.add(row.startedAt, row.endedAt);
  return Array.from(times.overlap(), (value) => (Number.isNaN(value) ? null : value));
}

/** Fills runtimeOverlap in place on every row where it is null (rows written before the run ended). */
export function fillRuntimeOverlap(rows: readonly Row[]): void {
  if (!rows.some((row) => row.runtimeOverlap === null || row.runtimeOverlap === undefined)) return;
  const values = runtimeOverlap(rows);
  rows.forEach((row, i) => {
    if (row.runtimeOverlap === null || row.runtimeOverlap === undefined) row.runtimeOverlap = values[i];
  });
}
