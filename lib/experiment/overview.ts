import * as path from "node:path";
import type { Row } from "./row";
import type { ExperimentOverview } from "./meta";
import { functionPaths } from "../function/workspace";
import { journalInstanceIds } from "./store/instance-scan";
import { listExperimentNames, listRuns } from "./store/names";

/**
 * Per-experiment figures. Every figure except `warmups` counts the measured rows only (warmup rows
 * excluded). Each row is a completed invocation, failed or not, so `throughputPerS` is completed
 * invocations (failures included) per second from the first start to the last end; `errorRate` is
 * failed / invocations (0 without invocations). `instanceReuse` is the share of this experiment's
 * distinct instanceIds found in `earlierInstanceIds`, null when no set is given or no row names an
 * instance.
 */
export function computeOverview(
  rows: readonly Row[],
  earlierInstanceIds?: ReadonlySet<string>,
): ExperimentOverview {
  let invocations = 0;
  let warmups = 0;
  let failed = 0;
  let coldStarts = 0;
  let first = Infinity;
  let last = -Infinity;
  const instances = new Set<string>();
  for (const row of rows) {
    if (row.warmup === true) {
      warmups += 1;
      continue;
    }
    invocations += 1;
    if (row.failed === true) failed += 1;
    if (row.coldStart === true) coldStarts += 1;
    if (typeof row.instanceId === "string") instances.add(row.instanceId);
    if (typeof row.startedAt === "number" && row.startedAt < first) first = row.startedAt;
    if (typeof row.endedAt === "number" && row.endedAt > last) last = row.endedAt;
  }
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
 * FaaS Runner's runtimeOverlap of each row, aligned with `rows`: for row i, the summed length of
 * [startedAt_j, endedAt_j] ∩ [startedAt_i, endedAt_i] over every other row j, divided by
 * max(endedAt_i − startedAt_i, 1 ms). 1.0 = the equivalent of one other request running the whole
 * time. Null for a row without both times. O(n log n).
 *
 * With C(t) the number of requests running at t and F(x) = ∫_{-∞}^{x} C(t) dt (piecewise linear), the
 * sum over j ≠ i is F(e_i) − F(s_i) − (e_i − s_i): one sort of the 2n endpoints and one sweep.
 */
export function runtimeOverlap(rows: readonly Row[]): (number | null)[] {
  const valid: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const { startedAt: s, endedAt: e } = rows[i];
    if (
      typeof s === "number" &&
      typeof e === "number" &&
      Number.isFinite(s) &&
      Number.isFinite(e) &&
      e >= s
    ) {
      valid.push(i);
    }
  }
  const out = new Array<number | null>(rows.length).fill(null);
  if (valid.length === 0) return out;
  const n = valid.length;
  let origin = Infinity;
  for (const i of valid) origin = Math.min(origin, rows[i].startedAt as number);
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    starts[k] = (rows[valid[k]].startedAt as number) - origin;
    ends[k] = (rows[valid[k]].endedAt as number) - origin;
  }
  const sortedStarts = starts.slice().sort();
  const sortedEnds = ends.slice().sort();
  // Sweep the distinct event times in order, recording F at each.
  const times = new Float64Array(2 * n);
  const area = new Float64Array(2 * n);
  let count = 0;
  let running = 0;
  let integral = 0;
  let previous = 0;
  let a = 0;
  let b = 0;
  while (a < n || b < n) {
    const t = b >= n || (a < n && sortedStarts[a] <= sortedEnds[b]) ? sortedStarts[a] : sortedEnds[b];
    integral += running * (t - previous);
    previous = t;
    while (a < n && sortedStarts[a] === t) {
      running += 1;
      a += 1;
    }
    while (b < n && sortedEnds[b] === t) {
      running -= 1;
      b += 1;
    }
    if (count === 0 || times[count - 1] !== t) {
      times[count] = t;
      area[count] = integral;
      count += 1;
    }
  }
  const at = (t: number): number => area[lowerBound(times, count, t)];
  for (let k = 0; k < n; k++) {
    const length = ends[k] - starts[k];
    const overlap = at(ends[k]) - at(starts[k]) - length;
    out[valid[k]] = Math.max(0, overlap) / Math.max(length, 1);
  }
  return out;
}

/** Index of `t` in the first `count` sorted values (t is always present). */
function lowerBound(values: Float64Array, count: number, t: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Fills runtimeOverlap in place on every row where it is null (rows written before the run ended). */
export function fillRuntimeOverlap(rows: readonly Row[]): void {
  if (!rows.some((row) => row.runtimeOverlap === null || row.runtimeOverlap === undefined)) return;
  const values = runtimeOverlap(rows);
  rows.forEach((row, i) => {
    if (row.runtimeOverlap === null || row.runtimeOverlap === undefined) row.runtimeOverlap = values[i];
  });
}
