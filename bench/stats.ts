/** Tiny helpers for benchmark figures; percentiles come from lib/stats (numpy's linear interpolation). */
import { percentileOfSorted } from "../lib/stats/percentile";

export function median(values: number[]): number {
  return values.length
    ? percentileOfSorted(
        [...values].sort((a, b) => a - b),
        50,
      )
    : NaN;
}

export function describe(values: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? percentileOfSorted(sorted, p) : NaN);
  return { p50: at(50), p99: at(99), n: sorted.length };
}

export function us(ms: number): string {
  const micros = ms * 1000;
  return `${micros.toFixed(micros < 10 ? 2 : 0)} µs`;
}
