/**
 * FaaS Runner's runtimeOverlap on plain numbers: for request i, the summed length of
 * [s_j, e_j] ∩ [s_i, e_i] over every other request j, divided by max(e_i − s_i, 1 ms). NaN where a
 * request has no valid times (not both finite, or e < s). O(n log n).
 *
 * With C(t) the number of requests running at t and F(x) = ∫_{-∞}^{x} C(t) dt (piecewise linear), the
 * sum over j ≠ i is F(e_i) − F(s_i) − (e_i − s_i): one sort of the starts and of the ends, one sweep
 * recording F at each of them, then a binary search per request.
 *
 * Overwrites `starts[0 … n)` with the result (the caller's arrays are the only per-request memory:
 * 16 bytes, plus 32 bytes of sorted copies and F values while it runs).
 */
export function overlapInPlace(starts: Float64Array, ends: Float64Array, n = starts.length): void {
  let valid = 0;
  let origin = Infinity;
  for (let i = 0; i < n; i++) {
    if (isValid(starts[i], ends[i])) {
      valid += 1;
      if (starts[i] < origin) origin = starts[i];
    }
  }
  const sortedStarts = new Float64Array(valid);
  const sortedEnds = new Float64Array(valid);
  for (let i = 0, k = 0; i < n; i++) {
    if (!isValid(starts[i], ends[i])) continue;
    sortedStarts[k] = starts[i] - origin;
    sortedEnds[k] = ends[i] - origin;
    k += 1;
  }
  sortedStarts.sort();
  sortedEnds.sort();
  // F at every start and every end, sweeping the event times in order.
  const atStarts = new Float64Array(valid);
  const atEnds = new Float64Array(valid);
  let running = 0;
  let integral = 0;
  let previous = 0;
  let a = 0;
  let b = 0;
  while (a < valid || b < valid) {
    const t = b >= valid || (a < valid && sortedStarts[a] <= sortedEnds[b]) ? sortedStarts[a] : sortedEnds[b];
    integral += running * (t - previous);
    previous = t;
    while (a < valid && sortedStarts[a] === t) {
      atStarts[a] = integral;
      running += 1;
      a += 1;
    }
    while (b < valid && sortedEnds[b] === t) {
      atEnds[b] = integral;
      running -= 1;
      b += 1;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!isValid(starts[i], ends[i])) {
      starts[i] = NaN;
      continue;
    }
    const s = starts[i] - origin;
    const e = ends[i] - origin;
    const length = e - s;
    const overlap = atEnds[lowerBound(sortedEnds, e)] - atStarts[lowerBound(sortedStarts, s)] - length;
    starts[i] = Math.max(0, overlap) / Math.max(length, 1);
  }
}

function isValid(start: number, end: number): boolean {
  return Number.isFinite(start) && Number.isFinite(end) && end >= start;
}

/** Index of the first value ≥ t in sorted `values` (t is always present). */
function lowerBound(values: Float64Array, t: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A growable pair of start/end columns (NaN where a row has no number), collected row by row. */
export class TimeColumns {
  starts = new Float64Array(1024);
  ends = new Float64Array(1024);
  length = 0;

  add(start: unknown, end: unknown): void {
    if (this.length === this.starts.length) {
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.length] = typeof start === "number" ? start : NaN;
    this.ends[this.length] = typeof end === "number" ? end : NaN;
    this.length += 1;
  }

  /** runtimeOverlap of every row added, NaN where unknown (the columns are consumed). */
  overlap(): Float64Array {
    const starts = this.starts.subarray(0, this.length);
    overlapInPlace(starts, this.ends, this.length);
    this.starts = new Float64Array(0);
    this.ends = new Float64Array(0);
    this.length = 0;
    return starts.slice();
  }
}

function grow(values: Float64Array): Float64Array {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  return bigger;
}
