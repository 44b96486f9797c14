import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../../lib/paths";

/** A number as scripts/scipy-reference.py stores it: NaN is null, ±∞ are strings. */
export type Encoded = number | null | "Infinity" | "-Infinity";

export interface IndependentCase {
  name: string;
  a: number[];
  b: number[];
  tTest: {
    equalVariance: boolean;
    alternative: "two-sided" | "less" | "greater";
    confidence: number;
    t: Encoded;
    p: Encoded;
    df: Encoded;
    meanDiff: Encoded;
    ci: [Encoded, Encoded];
    cohensD: Encoded;
  }[];
  mannWhitney: {
    method: "auto" | "exact" | "asymptotic";
    resolvedMethod: "exact" | "asymptotic";
    alternative: "two-sided" | "less" | "greater";
    U: Encoded;
    p: Encoded;
    cliffsDelta: number;
  }[];
}

export interface PairedCase {
  name: string;
  a: number[];
  b: number[];
  tTest: Omit<IndependentCase["tTest"][number], "equalVariance">[];
}

export interface SummaryCase {
  name: string;
  xs: number[];
  n: number;
  mean: number;
  sd: number | null;
  min: number;
  max: number;
  percentiles: { p: number; value: number }[];
  trimmedMeans: { trim: number; value: number }[];
  ciMean: { confidence: number; interval: [number, number] }[];
  ciMedian: {
    confidence: number;
    result: { ranks: [number, number]; coverage: number; interval: [number, number] } | null;
  }[];
}

export interface Reference {
  versions: { python: string; numpy: string; scipy: string };
  independent: IndependentCase[];
  paired: PairedCase[];
  summaries: SummaryCase[];
  distributions: {
    studentTCdf: { x: number; df: number; value: number }[];
    studentTQuantile: { q: number; df: number; value: number }[];
    normalSf: { z: number; value: number }[];
    binomialHalfCdf: { k: number; n: number; value: number }[];
  };
}

/** test/fixtures/scipy/reference.json, written by scripts/scipy-reference.py (SciPy not needed here). */
export const reference: Reference = JSON.parse(
  readFileSync(path.join(packageRoot(), "test", "fixtures", "scipy", "reference.json"), "utf8"),
) as Reference;

export function decode(v: Encoded): number {
  if (v === null) return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return v;
}

/** |actual − expected| ≤ rel·|expected| (or `scale` instead of |expected|); infinities must match exactly. */
export function assertClose(
  actual: number,
  expected: Encoded,
  rel: number,
  label: string,
  scale?: number,
): void {
  const e = decode(expected);
  if (!Number.isFinite(e) || !Number.isFinite(actual)) {
    assert.ok(
      Object.is(actual, e) || (Number.isNaN(actual) && Number.isNaN(e)),
      `${label}: got ${actual}, SciPy ${e}`,
    );
    return;
  }
  const tolerance = rel * (scale ?? Math.abs(e));
  assert.ok(
    Math.abs(actual - e) <= tolerance,
    `${label}: got ${actual}, SciPy ${e} (difference ${Math.abs(actual - e)} > ${tolerance})`,
  );
}

export function findCase<T extends { name: string }>(cases: T[], name: string): T {
  const found = cases.find((c) => c.name === name);
  assert.ok(found, `reference.json has a case named ${name}`);
  return found;
}
