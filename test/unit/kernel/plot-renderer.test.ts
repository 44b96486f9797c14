import assert from "node:assert/strict";
import { test } from "node:test";
import { PlotRenderer, isFigure, plotlySpec } from "../../../kernel/plot-renderer";
import type { Figure } from "../../../lib/plot/figure";

const BUNDLE = 'window.Plotly={newPlot:function(){}};/* "</script>" inside the library */';

function figure(title = "runtime"): Figure {
  return {
    data: [{ type: "histogram", x: [1, 2, 3], name: "</script><script>alert(1)</script>" }],
    layout: { title: { text: title }, height: 300 },
  };
}

function renderer(): { sent: Record<string, unknown>[]; reads: () => number; plots: PlotRenderer } {
  const sent: Record<string, unknown>[] = [];
  let reads = 0;
  let ids = 0;
  const plots = new PlotRenderer({
    bundle: () => (reads++, BUNDLE),
    send: (data) => (sent.push(data), true),
    newId: () => `plot-${++ids}`,
  });
  return { sent, reads: () => reads, plots };
}

test("one display_data per figure with the plotly MIME type, HTML and text", () => {
  const { sent, plots } = renderer();
  const fig = figure();
  assert.equal(plots.show(fig), true);
  assert.equal(sent.length, 1);
  assert.deepEqual(Object.keys(sent[0]).sort(), [
    "application/vnd.plotly.v1+json",
    "text/html",
    "text/plain",
  ]);
  const spec = sent[0]["application/vnd.plotly.v1+json"] as {
    data: unknown[];
    layout: object;
    config: object;
  };
  assert.equal(typeof spec, "object", "the spec object itself, not a JSON string");
  assert.deepEqual(spec, { data: fig.data, layout: fig.layout, config: {} });
  assert.deepEqual(
    plotlySpec({ data: [], layout: undefined as never }).layout,
    {},
    "layout is always present",
  );
  assert.equal(typeof sent[0]["text/plain"], "string");
});

test("the plotly bundle is inlined exactly once across two figures", () => {
  const { sent, reads, plots } = renderer();
  plots.show(figure("a"));
  plots.show(figure("b"));
  const [first, second] = sent.map((s) => String(s["text/html"]));
  assert.equal(first.split("window.Plotly={newPlot").length - 1, 1);
  assert.equal(second.includes("window.Plotly={newPlot"), false);
  assert.equal(reads(), 1);
  // Both wait for window.Plotly and draw into their own div.
  assert.match(first, /<div id="plot-1"/);
  assert.match(second, /<div id="plot-2"[^>]*height:300px/);
  assert.match(second, /if\(!window\.Plotly\)/);
  assert.match(second, /newPlot\(el,fig\.data,fig\.layout,fig\.config\)/);
});

test("</script in the bundle and < in the figure JSON are escaped", () => {
  const { sent, plots } = renderer();
  plots.show(figure());
  const html = String(sent[0]["text/html"]);
  assert.match(html, /"<\\\/script>" inside the library/);
  assert.equal(
    html.match(/<\/script>/g)?.length,
    2,
    "only the two script tags the renderer wrote are closed",
  );
  assert.match(html, /\\u003c\/script>\\u003cscript>alert\(1\)/);
  assert.doesNotMatch(html, /<script>alert/);
});

test("a figure that could not be sent does not use up the bundle; 'always' inlines every time", () => {
  let ok = false;
  const sent: string[] = [];
  const plots = new PlotRenderer({
    bundle: () => BUNDLE,
    send: (d) => (sent.push(String(d["text/html"])), ok),
  });
  plots.show(figure());
  ok = true;
  plots.show(figure());
  plots.show(figure());
  assert.deepEqual(
    sent.map((h) => h.includes("window.Plotly={")),
    [true, true, false],
  );
  plots.mode = "always";
  plots.show(figure());
  assert.equal(sent[3].includes("window.Plotly={"), true);
  plots.mode = "once";
  plots.resendBundle();
  plots.show(figure());
  assert.equal(sent[4].includes("window.Plotly={"), true);
});

test("isFigure recognises { data: [], layout: {} } only", () => {
  assert.equal(isFigure(figure()), true);
  assert.equal(isFigure({ data: [] }), false);
  assert.equal(isFigure({ data: {}, layout: {} }), false);
  assert.equal(isFigure(null), false);
});
