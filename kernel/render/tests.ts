/** HTML for stats.tTest(), stats.mannWhitney() and stats.compare() results. */
import type { Comparison } from "../../lib/stats/compare";
import type { MannWhitneyResult } from "../../lib/stats/mann-whitney";
import type { TTestResult } from "../../lib/stats/ttest";
import { formatP } from "../../lib/stats/verdict";
import { MISSING, escapeHtml, formatNumber, formatPercent, table, warningList } from "./html";
import { isSummary } from "./summary";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function isTTestResult(value: unknown): value is TTestResult {
  return (
    isObject(value) &&
    (value.test === "welch" || value.test === "student" || value.test === "paired") &&
    typeof value.t === "number" &&
    typeof value.p === "number" &&
    typeof value.df === "number"
  );
}

export function isMannWhitneyResult(value: unknown): value is MannWhitneyResult {
  return (
    isObject(value) &&
    typeof value.U === "number" &&
    typeof value.p === "number" &&
    typeof value.cliffsDelta === "number" &&
    (value.method === "exact" || value.method === "asymptotic")
  );
}

export function isComparison(value: unknown): value is Comparison {
  return (
    isObject(value) &&
    typeof value.verdict === "string" &&
    isTTestResult(value.welch) &&
    isMannWhitneyResult(value.mannWhitney) &&
    Array.isArray(value.summaries) &&
    value.summaries.every(isSummary)
  );
}

const TEST_NAMES = { welch: "Welch's t-test", student: "Student's t-test", paired: "paired t-test" };

/** p as a table shows it: "0.0031", "< 0.001". */
function pText(p: number, alpha = 0.05): string {
  return formatP(p, alpha).replace(/^= /, "");
}

function intervalText(ci: [number, number]): string {
  return `${formatNumber(ci[0])} – ${formatNumber(ci[1])}`;
}

function withMagnitude(value: number, magnitude: string | null): string {
  return magnitude ? `${formatNumber(value)} (${magnitude})` : formatNumber(value);
}

function box(title: string, body: string): string {
  return `<div class="faaslab" style="margin:4px 0"><div style="font-weight:600;margin:2px 0">${escapeHtml(title)}</div>${body}</div>`;
}

export function renderTTest(r: TTestResult): string {
  const level = Math.round(r.confidence * 100);
  const rows = [
    ["t", r.t],
    ["df", r.df],
    ["p", pText(r.p)],
    ["mean(a) − mean(b)", r.meanDiff],
    [`${level}% CI`, intervalText(r.ci)],
    ["Cohen's d", r.cohensD],
    ["n", `${r.n[0]} vs ${r.n[1]}`],
  ];
  return box(`${TEST_NAMES[r.test]} (${r.alternative})`, table(["", "value"], rows, { rowHeaders: true }));
}

export function renderMannWhitney(r: MannWhitneyResult): string {
  const rows = [
    ["U", r.U],
    ["p", pText(r.p)],
    ["method", r.method + (r.ties ? " (ties)" : "")],
    ["Cliff's δ", r.cliffsDelta],
    ["n", `${r.n[0]} vs ${r.n[1]}`],
  ];
  return box(`Mann-Whitney U test (${r.alternative})`, table(["", "value"], rows, { rowHeaders: true }));
}

/** The verdict line first, then the two samples side by side, then both tests and the effect sizes. */
export function renderComparison(c: Comparison): string {
  const colour = c.significant ? "#1a7f37" : c.testsAgree ? "#444" : "#b35900";
  const verdict = `<div style="font-weight:600;color:${colour};margin:4px 0">${escapeHtml(c.verdict)}</div>`;
  const level = Math.round(c.summaries[0].confidence * 100);
  const samples = table(
    [c.metric, "n", "mean", "sd", "p50", "p95", "p99", `${level}% CI of mean`],
    c.summaries.map((s, i) => [
      c.names[i],
      s.n,
      s.mean,
      s.sd,
      s.p50,
      s.p95,
      s.p99,
      s.ciMean === null ? MISSING : intervalText(s.ciMean),
    ]),
    { rowHeaders: true },
  );
  const tests = table(
    ["", "statistic", "p", `p < ${c.alpha}`],
    [
      ["Welch's t", c.welch.t, pText(c.welch.p, c.alpha), mark(c.welch.p < c.alpha)],
      ["Mann-Whitney U", c.mannWhitney.U, pText(c.mannWhitney.p, c.alpha), mark(c.mannWhitney.p < c.alpha)],
    ],
    { rowHeaders: true },
  );
  const effects = table(
    ["effect", "value"],
    [
      ["Cohen's d", withMagnitude(c.cohensD, c.cohensDMagnitude)],
      ["Cliff's δ", withMagnitude(c.cliffsDelta, c.cliffsDeltaMagnitude)],
      [`median change ${c.names[0]} → ${c.names[1]}`, formatPercent(c.medianChange, true)],
    ],
    { rowHeaders: true },
  );
  const row = `<div style="display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start"><div>${tests}</div><div>${effects}</div></div>`;
  return `<div class="faaslab faaslab-comparison" style="margin:4px 0">${verdict}${samples}${row}${warningList(c.warnings)}</div>`;
}

function mark(yes: boolean): string {
  return yes ? "yes" : "no";
}
