import assert from "node:assert/strict";
import { test } from "node:test";
import { openLiveFigure } from "../../../kernel/live-figure";
import { PlotRenderer } from "../../../kernel/plot-renderer";
import type { Figure } from "../../../lib/plot/figure";
import { ManualClock } from "../../helpers/fake-clock";

const BUNDLE = "window.Plotly={newPlot:function(){}};";

interface Sent {
  data: Record<string, unknown>;
  id: string | null;
  update: boolean;
}

function setup() {
  const sent: Sent[] = [];
  const plots = new PlotRenderer({
    bundle: () => BUNDLE,
    send: (data) => (sent.push({ data, id: null, update: false }), true),
  });
  const clock = new ManualClock(0);
  const live = openLiveFigure(plots, {
    clock,
    newId: () => "live-1",
    send: (data, id, update) => (sent.push({ data, id, update }), true),
  });
  return { sent, plots, clock, live };
}

const fig = (n: number): Figure => ({
  data: [{ type: "scatter", y: [n] }],
  layout: { title: { text: `n=${n}` } },
});
const shownN = (s: Sent) =>
  (s.data["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] }).data[0].y[0];

test("a live figure: plotly.js in an output of its own first, then one output updated in place", () => {
  const { sent, live, clock, plots } = setup();
  live.update(() => fig(1));
  assert.equal(sent.length, 2);
  assert.equal(sent[0].id, null, "the library output is not the one redrawn");
  assert.match(String(sent[0].data["text/html"]), /window\.Plotly=/);
  assert.deepEqual([sent[1].id, sent[1].update], ["live-1", false], "the figure's output is created");
  assert.doesNotMatch(String(sent[1].data["text/html"]), /window\.Plotly=\{/, "redraws carry no library");
  clock.advance(150);
  live.update(() => fig(2));
  assert.deepEqual([sent[2].id, sent[2].update, shownN(sent[2])], ["live-1", true, 2]);
  // A later ordinary figure does not carry the library again either.
  plots.show(fig(9));
  assert.doesNotMatch(String(sent[3].data["text/html"]), /window\.Plotly=\{/);
});

test("a live figure redraws at most 10 times a second, builds only what it draws, and always draws close()", () => {
  const { sent, live, clock } = setup();
  let builds = 0;
  const counted = (n: number) => () => (builds++, fig(n));
  for (let i = 1; i <= 50; i++) {
    live.update(counted(i));
    clock.advance(10); // 50 updates in 0.5 s
  }
  const redraws = sent.filter((s) => s.id === "live-1");
  assert.ok(redraws.length <= 6, `${redraws.length} redraws in 0.5 s`);
  assert.equal(builds, redraws.length, "a figure is built only when it is drawn");
  live.close(counted(99));
  const last = sent[sent.length - 1];
  assert.deepEqual([last.id, last.update, shownN(last)], ["live-1", true, 99], "the final state at once");
  live.update(counted(100));
  clock.advance(1000);
  assert.equal(shownN(sent[sent.length - 1]), 99, "nothing after close()");
});
