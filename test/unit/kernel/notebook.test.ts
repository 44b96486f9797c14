import assert from "node:assert/strict";
import { test } from "node:test";
import { displayValue, openLogDisplay, setLogDisplay, setValueDisplay } from "../../../lib/display";
import { ExperimentResult } from "../../../lib/experiment/result";
import { experimentEvents, ProgressTracker } from "../../../lib/experiment/progress";
import { setFigureDisplay, showFigure } from "../../../lib/plot/display-hook";
import type { Figure } from "../../../lib/plot/figure";
import { summary } from "../../../lib/stats/summary";
import { display, install } from "../../../kernel/notebook";
import { stopListeningForInterrupts } from "../../../kernel/interrupt";
import { unsubscribeProgress } from "../../../kernel/progress";
import { resetTslabCache } from "../../../kernel/tslab";
import { metaInput, row } from "../experiment/fixtures";
import { installFakeTslab, type FakeTslab } from "./fake-tslab";

function setup(t: { after(fn: () => void): void }): FakeTslab {
  resetTslabCache();
  const fake = installFakeTslab();
  t.after(() => {
    setFigureDisplay(null);
    setValueDisplay(null);
    setLogDisplay(null);
    unsubscribeProgress();
    stopListeningForInterrupts();
    fake.remove();
    resetTslabCache();
  });
  return fake;
}

function result(): ExperimentResult {
  const meta = {
    ...metaInput("exp"),
    run: 1,
    status: "complete" as const,
    endedAt: null,
    reason: null,
    overview: null,
  };
  return new ExperimentResult([row({ seq: 0 }), row({ seq: 1 })], [meta]);
}

/** Stores a cell's last expression the way tslab's compiled cells do. */
function cellValue(value: unknown): unknown {
  const exports = (globalThis as unknown as { __tslab__: { exports: Record<string, unknown> } }).__tslab__
    .exports;
  exports.tsLastExpr = value;
  const stored = exports.tsLastExpr;
  delete exports.tsLastExpr;
  return stored;
}

test("install() wires values, figures, progress and cell values, once", (t) => {
  const fake = setup(t);
  assert.equal(install(), true);
  assert.equal(install(), true, "idempotent");

  // display() and the registry lib's inspect.custom methods use
  display(result());
  assert.match(String(fake.written.at(-1)!.data["text/html"]), /Experiment exp/);
  assert.equal(displayValue(summary([1, 2, 3])), true);
  assert.equal(displayValue({ plain: true }), false);

  // a plot helper's showFigure
  const fig: Figure = { data: [{ type: "bar", x: [1], y: [2] }], layout: { title: { text: "t" } } };
  showFigure(fig);
  const plot = fake.written.at(-1)!.data;
  assert.deepEqual(Object.keys(plot).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
  assert.ok(String(plot["text/html"]).length > 1_000_000, "the first figure carries plotly.js");

  // one progress output per experiment, even though install() ran twice
  const before = fake.written.length;
  const tracker = new ProgressTracker("exp", "fn", 2);
  tracker.completed(false);
  tracker.finish();
  const progress = fake.written.slice(before);
  assert.equal(progress.length, 2);
  assert.equal(progress[0].update, false);
  assert.equal(progress[1].update, true);
  assert.equal(progress[0].transient.display_id, progress[1].transient.display_id);
  assert.equal(experimentEvents.listenerCount("progress"), 1);

  // a deploy's log streams into the cell
  openLogDisplay("deploy hello")!("bundling hello with esbuild");
  const log = fake.written.at(-1)!;
  assert.match(String(log.data["text/plain"]), /^deploy hello\n {2}bundling hello with esbuild$/);
  assert.equal(typeof log.transient.display_id, "string");
});

test("a cell's value with a rich form is shown instead of printed; others are printed as usual", (t) => {
  const fake = setup(t);
  install();
  let count = fake.written.length;
  assert.equal(cellValue(summary([1, 2])), undefined, "shown, so tslab has nothing to print");
  assert.equal(fake.written.length, ++count);
  assert.equal(cellValue(42), 42);
  assert.equal(cellValue("text"), "text");
  assert.equal(fake.written.length, count);
  const exports = (globalThis as unknown as { __tslab__: { exports: Record<string, unknown> } }).__tslab__
    .exports;
  exports.someVariable = result();
  assert.ok(exports.someVariable instanceof ExperimentResult, "ordinary cell variables are untouched");
  assert.equal(fake.exports.someVariable, exports.someVariable, "and land in tslab's own exports");
});

test("a figure drawn by the cell is not drawn again as its value; in a later cell it is", (t) => {
  const fake = setup(t);
  install();
  const fig: Figure = { data: [], layout: {} };
  showFigure(fig);
  const count = fake.written.length;
  assert.equal(cellValue(fig), undefined);
  assert.equal(fake.written.length, count, "not sent twice, and no text printed");
  fake.nextCell();
  assert.equal(cellValue(fig), undefined);
  assert.equal(fake.written.length, count + 1);
});
