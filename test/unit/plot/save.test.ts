import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { plot, plotlyBundle, setFigureDisplay, showFigure } from "../../../lib/plot";
import { captureShown, result, row } from "./helpers";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "faaslab-plot-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

test("save: a standalone page with plotly inlined once, the figure JSON, and a newPlot call", (t) => {
  const nasty = "</script><script>alert(1)</script>";
  const r = result([row({ runtimeMs: 4, instanceId: nasty })], nasty);
  const fig = plot.timeline(r, { show: false });
  const file = plot.save(fig, path.join(tempDir(t), "sub", "timeline.html"), { title: "A & B" });
  assert.ok(path.isAbsolute(file));
  const html = fs.readFileSync(file, "utf8");
  const raw = fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8");
  assert.equal(occurrences(html, plotlyBundle()), 1);
  assert.equal(plotlyBundle(), raw); // 4.1.1 has no "</script" to escape
  // only our two closing tags: the instance id and experiment name can't end a script early
  assert.equal(occurrences(html.toLowerCase(), "</script"), 2);
  assert.match(html, /<title>A &amp; B<\/title>/);
  assert.match(html, /Plotly\.newPlot\("faaslab-figure",fig\.data,fig\.layout,fig\.config\)/);
  const json = /var fig=(\{.*?\});Plotly/s.exec(html)?.[1];
  assert.ok(json);
  assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(fig)));
  assert.ok(json.includes("\\u003c/script>"));
  assert.ok(!/https?:\/\/cdn/i.test(html.replace(plotlyBundle(), "")));
});

test("save: the page title defaults to the figure's", (t) => {
  const fig = plot.histogram(result([row()], "hello"), "runtimeMs", { title: "Runtimes", show: false });
  const html = fs.readFileSync(plot.save(fig, path.join(tempDir(t), "h.html")), "utf8");
  assert.match(html, /<title>Runtimes<\/title>/);
  assert.throws(() => plot.save({} as never, "x.html"), TypeError);
});

test("display hook: every helper shows its figure once and returns that same figure", (t) => {
  const shown = captureShown(t);
  const r = result([row({ memoryMb: 128 }), row({ memoryMb: 256, runtimeMs: 3 })]);
  const figs = [
    plot.histogram(r),
    plot.box([r]),
    plot.cdf(r),
    plot.timeline(r),
    plot.concurrency(r),
    plot.sweep(r),
    plot.bar(r.by("memoryMb", "runtimeMs")),
  ];
  assert.equal(shown.length, figs.length);
  figs.forEach((fig, i) => assert.equal(shown[i], fig));
  plot.histogram(r, "runtimeMs", { show: false });
  assert.equal(shown.length, figs.length);
});

test("display hook: nothing happens without one; null removes it; non-functions are refused", () => {
  setFigureDisplay(null);
  const fig = plot.histogram(result([row()]));
  assert.equal(fig.data.length, 1);
  let calls = 0;
  setFigureDisplay(() => calls++);
  showFigure(fig);
  setFigureDisplay(null);
  showFigure(fig);
  assert.equal(calls, 1);
  assert.throws(() => setFigureDisplay("yes" as never), TypeError);
});
