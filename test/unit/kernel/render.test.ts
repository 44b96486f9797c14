import assert from "node:assert/strict";
import { test } from "node:test";
import { ExperimentResult } from "../../../lib/experiment/result";
import type { ExperimentMeta } from "../../../lib/experiment/meta";
import { compare } from "../../../lib/stats/compare";
import { mannWhitney } from "../../../lib/stats/mann-whitney";
import { summary } from "../../../lib/stats/summary";
import { tTest } from "../../../lib/stats/ttest";
import { escapeHtml, formatNumber, table } from "../../../kernel/render/html";
import { renderDataFrame, type FrameLike } from "../../../kernel/render/dataframe";
import { renderValue } from "../../../kernel/render";
import { row, metaInput } from "../experiment/fixtures";

function meta(values: Partial<ExperimentMeta> = {}): ExperimentMeta {
  return {
    ...metaInput("hello_<exp>"),
    run: 1,
    status: "complete",
    endedAt: null,
    reason: null,
    overview: null,
    ...values,
  };
}

/** The text of every <td>/<th> of the first table row whose first cell is `label`. */
function rowCells(html: string, label: string): string[] {
  for (const tr of html.match(/<tr>.*?<\/tr>/g) ?? []) {
    const cells = [...tr.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1]);
    if (cells[0] === label) return cells;
  }
  throw new Error(`no row "${label}" in ${html}`);
}

test("escapeHtml escapes the five HTML specials", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

test("numbers: integers exact, about 4 significant digits otherwise, nulls as —", () => {
  assert.equal(formatNumber(42), "42");
  assert.equal(formatNumber(123456), "123456");
  assert.equal(formatNumber(1234.56), "1235");
  assert.equal(formatNumber(123.456), "123.5");
  assert.equal(formatNumber(12.3456), "12.35");
  assert.equal(formatNumber(0.012345), "0.0123");
  assert.equal(formatNumber(0.00001234), "1.23e-5");
  assert.equal(formatNumber(null), "—");
  assert.equal(formatNumber(undefined), "—");
  assert.equal(formatNumber(NaN), "NaN");
});

test("tables escape every value and header, right-align numbers, show nulls as —", () => {
  const html = table(
    ["name <x>", "ms"],
    [
      ["<script>alert(1)</script>", 12.3456],
      ["b&c", null],
    ],
  );
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /name &lt;x&gt;/);
  assert.match(html, /b&amp;c/);
  assert.match(html, /<td>12\.35<\/td>/, "numbers keep Jupyter's right alignment");
  assert.match(html, /<td style="text-align:left">b&amp;c<\/td>/, "text is left-aligned");
  assert.match(html, />—<\/td>/);
});

test("a Summary renders as a one-row table; an empty one shows — instead of 0 or null", () => {
  const html = renderValue(summary([10, 20, 30, 40]))!.html;
  const cells = rowCells(html, "value");
  assert.equal(cells[1], "4"); // n
  assert.equal(cells[2], "25"); // mean
  const empty = rowCells(renderValue(summary([]))!.html, "value");
  assert.equal(empty[1], "0");
  assert.ok(
    empty.slice(2).every((c) => c === "—"),
    empty.join("|"),
  );
});

test("an ExperimentResult shows name, status, overview and a summary table per metric", () => {
  const rows = [
    row({ seq: 0, roundTripMs: 10, runtimeMs: 8, latencyMs: 2, coldStart: true }),
    row({ seq: 1, roundTripMs: 12.5, runtimeMs: 9, latencyMs: 3.5 }),
    row({ seq: 2, roundTripMs: null, runtimeMs: null, latencyMs: null, failed: true }),
  ];
  const r = new ExperimentResult(rows, [meta()]);
  const out = renderValue(r)!;
  assert.match(out.html, /Experiment hello_&lt;exp&gt;/);
  assert.match(out.html, /complete/);
  for (const metric of ["roundTripMs", "runtimeMs", "latencyMs"])
    assert.equal(rowCells(out.html, metric)[1], "2");
  assert.equal(rowCells(out.html, "roundTripMs")[2], "11.25");
  assert.equal(rowCells(out.html, "invocations")[1], "3");
  assert.equal(rowCells(out.html, "failed")[1], "1 (33%)");
  assert.equal(out.text, 'ExperimentResult "hello_<exp>" (fn, 3 rows, complete)');

  const aborted = new ExperimentResult(rows, [
    meta({ status: "aborted", reason: "aborted by its AbortSignal" }),
  ]);
  assert.match(renderValue(aborted)!.html, /aborted: aborted by its AbortSignal/);
});

test("grouped summaries (result.by) show one row per key and metric; a null key as —", () => {
  const rows = [
    row({ memoryMb: 128, runtimeMs: 20 }),
    row({ memoryMb: 256, runtimeMs: 10 }),
    row({ memoryMb: null, runtimeMs: 5 }),
  ];
  const r = new ExperimentResult(rows, [meta()]);
  const single = renderValue(r.by("memoryMb", "runtimeMs"))!.html;
  assert.equal(rowCells(single, "128")[2], "20");
  assert.equal(rowCells(single, "—")[2], "5");
  const all = renderValue(r.by("memoryMb"))!.html;
  assert.match(all, /<th[^>]*>metric<\/th>/);
  assert.equal((all.match(/<tr>/g) ?? []).length, 1 + 3 * 3);
});

test("a comparison starts with its verdict line and shows both tests and effect sizes", () => {
  const a = Array.from({ length: 30 }, (_, i) => 100 + i);
  const b = Array.from({ length: 30 }, (_, i) => 150 + i);
  const c = compare(a, b, { names: ["<fast>", "slow"] });
  const html = renderValue(c)!.html;
  assert.ok(
    html.indexOf(escapeHtml(c.verdict)) > 0 && html.indexOf(escapeHtml(c.verdict)) < html.indexOf("<table"),
  );
  assert.match(html, /&lt;fast&gt; is faster/);
  assert.equal(rowCells(html, "Welch&#39;s t")[2], "&lt; 0.001");
  assert.equal(rowCells(html, "median change &lt;fast&gt; → slow")[1], "+44%");
  assert.match(html, /Cliff&#39;s δ/);
  assert.equal(renderValue(c)!.text, c.verdict);
});

test("t-test and Mann-Whitney results render their statistics", () => {
  const t = renderValue(tTest([1, 2, 3, 4], [2, 3, 4, 5.5]))!.html;
  assert.match(t, /Welch&#39;s t-test \(two-sided\)/);
  assert.match(t, /95% CI/);
  const mw = renderValue(mannWhitney([1, 2, 3], [4, 5, 6]))!.html;
  assert.match(mw, /Mann-Whitney U test/);
  assert.equal(rowCells(mw, "U")[1], "0");
});

test("DataFrames show the shape and the first 20 rows through the toJSON function, escaped", () => {
  const records = Array.from({ length: 25 }, (_, i) => ({
    id: i,
    name: i === 0 ? "<i>x</i>" : `n${i}`,
    ms: i === 1 ? null : i / 3,
  }));
  let asked: FrameLike | null = null;
  const frame: FrameLike = {
    shape: [25, 3],
    columns: ["id", "name", "ms"],
    index: records.map((_, i) => i),
    head(n: number): FrameLike {
      return { ...frame, shape: [n, 3], index: frame.index.slice(0, n), head: frame.head };
    },
  };
  const toJSON = (f: unknown) => {
    asked = f as FrameLike;
    return records.slice(0, (f as FrameLike).shape[0]);
  };
  const html = renderDataFrame(frame, toJSON);
  assert.equal(asked!.shape[0], 20, "only the first 20 rows are converted");
  assert.match(html, /25 rows × 3 columns/);
  assert.match(html, /first 20 of 25 rows/);
  assert.match(html, /&lt;i&gt;x&lt;\/i&gt;/);
  assert.equal(rowCells(html, "1")[3], "—");
  assert.equal(rowCells(html, "2")[3], "0.667");
  assert.equal((html.match(/<tr>/g) ?? []).length, 21);
});

test("real danfojs frames render: r.df, a describe() and a groupby().agg() frame, and a column", () => {
  const rows = [1, 2, 3].map((seq) =>
    row({ seq, roundTripMs: 10 * seq, instanceId: seq === 1 ? "<i>" : "i-2" }),
  );
  const df = new ExperimentResult(rows, [meta()]).df;
  const shown = renderValue(df);
  assert.ok(shown, "r.df renders");
  assert.match(shown.html, /3 rows × \d+ columns/);
  assert.match(shown.html, /&lt;i&gt;/);
  assert.equal(rowCells(shown.html, "2")[df.columns.indexOf("roundTripMs") + 1], "30");

  const slim = df.loc({ columns: ["roundTripMs", "runtimeMs"] });
  const described = renderValue(slim.describe());
  assert.ok(described, "a derived (danfojs-base) frame renders although its toJSON method throws");
  assert.equal(rowCells(described.html, "mean")[1], "20");
  const grouped = renderValue(df.groupby(["instanceId"]).agg({ roundTripMs: "mean" }));
  assert.ok(grouped);
  assert.match(grouped.html, /roundTripMs_mean/);
  assert.match(grouped.html, /25/);
  const column = renderValue(df.column("seq"));
  assert.ok(column);
  assert.match(column.html, /Series · 3 rows/);
});

test("values without a rich form are left to console.log", () => {
  for (const v of [1, "x", { a: 1 }, [1, 2], [], new Error("plain"), null])
    assert.equal(renderValue(v), null);
});
