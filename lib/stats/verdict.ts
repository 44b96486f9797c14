/**
 * The one-line, plain-language verdict of compare(). Every number in a clause reads "first vs
 * second": the medians, the relative change (first − second)/second and Cliff's δ(first, second).
 */
import type { Magnitude } from "./effect-size";

export interface VerdictInput {
  metric: string;
  names: [string, string];
  medians: [number, number];
  welchP: number;
  mannWhitneyP: number;
  /** Cliff's δ(a, b). */
  cliffsDelta: number;
  cliffsMagnitude: Magnitude | null;
  alpha: number;
  /** Which sample is lower when the difference is significant: 0 = a, 1 = b. */
  lower: 0 | 1;
}

const MINUS = "\u2212";

export function verdict(v: VerdictInput): string {
  const welch = v.welchP < v.alpha;
  const mw = v.mannWhitneyP < v.alpha;
  const pvalues = `Welch p ${formatP(v.welchP, v.alpha)}, Mann-Whitney p ${formatP(v.mannWhitneyP, v.alpha)}`;
  if (welch && mw) {
    const first = v.lower;
    const second = first === 0 ? 1 : 0;
    const delta = first === 0 ? v.cliffsDelta : -v.cliffsDelta;
    return (
      `${v.names[first]} ${lowerPhrase(v.metric)}: ${medians(v, first, second)}, ${pvalues}, ` +
      `${cliffs(delta, v.cliffsMagnitude)}`
    );
  }
  if (!welch && !mw) {
    return (
      `no significant difference in ${v.metric} between ${v.names[0]} and ${v.names[1]}: ` +
      `${medians(v, 0, 1)}, ${pvalues}, ${cliffs(v.cliffsDelta, v.cliffsMagnitude)}`
    );
  }
  const but = `Welch p ${formatP(v.welchP, v.alpha)} but Mann-Whitney p ${formatP(v.mannWhitneyP, v.alpha)}`;
  return (
    `inconclusive for ${v.metric} (${but}): ${v.names[0]} vs ${v.names[1]}: ${medians(v, 0, 1)}, ` +
    `${cliffs(v.cliffsDelta, v.cliffsMagnitude)}`
  );
}

function medians(v: VerdictInput, first: 0 | 1, second: 0 | 1): string {
  const [x, y] = [v.medians[first], v.medians[second]];
  const change = y === 0 ? "" : ` (${formatPercent((x - y) / Math.abs(y))})`;
  return `median ${v.metric} ${formatNumber(x)} vs ${formatNumber(y)}${unitOf(v.metric)}${change}`;
}

function cliffs(delta: number, magnitude: Magnitude | null): string {
  return `Cliff's δ = ${signed(delta.toFixed(2))}${magnitude ? ` (${magnitude})` : ""}`;
}

/** "is faster" for *Ms metrics, "is cheaper" for *Usd, "has lower <metric>" otherwise. */
export function lowerPhrase(metric: string): string {
  if (metric.endsWith("Ms")) return "is faster";
  if (metric.endsWith("Usd")) return "is cheaper";
  return `has lower ${metric}`;
}

/** The unit a column name ends with (columns carry their unit in the name: README.md, "Rows"). */
export function unitOf(metric: string): string {
  if (metric.endsWith("Ms")) return " ms";
  if (metric.endsWith("Usd")) return " USD";
  if (metric.endsWith("Mb")) return " MB";
  if (metric.endsWith("Bytes")) return " bytes";
  return "";
}

/** "= 0.0031", "< 0.001"; a rounded p never lands on the other side of alpha. */
export function formatP(p: number, alpha: number): string {
  if (Number.isNaN(p)) return "= n/a";
  if (p < 0.001) return "< 0.001";
  let shown = Number(p.toPrecision(2));
  if (shown < alpha !== p < alpha) shown = Number(p.toPrecision(4));
  return `= ${shown}`;
}

/** 3 significant digits; integers from 1000 up; exponent notation below 0.001. */
export function formatNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const text =
    abs >= 1000
      ? String(Math.round(x))
      : abs >= 0.001
        ? String(Number(x.toPrecision(3)))
        : x.toExponential(2);
  return signed(text);
}

function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const text = Math.abs(pct) < 10 ? pct.toFixed(1) : pct.toFixed(0);
  return `${Number(text) > 0 ? "+" : ""}${signed(text)}%`;
}

/** A typographic minus instead of the hyphen (and none on a value that rounds to zero). */
function signed(text: string): string {
  if (!text.startsWith("-")) return text;
  return Number(text) === 0 ? text.slice(1) : MINUS + text.slice(1);
}
