/**
 * The notebook glue, loaded by lib/index.ts when it runs inside tslab: figures, rich values, live
 * progress and deploy logs, interrupts. install() is idempotent and does nothing outside tslab.
 */
import { display as displayOrPrint, setLogDisplay, setValueDisplay } from "../lib/display";
import { setFigureDisplay, setLiveFigureDisplay } from "../lib/plot/display-hook";
import type { Figure } from "../lib/plot/figure";
import { interceptCellValues } from "./cell-value";
import { listenForInterrupts, notebookSignal as interruptSignal } from "./interrupt";
import { setDefaultSignal } from "../lib/interrupt-hook";
import { openLiveLog } from "./live-log";
import { openLiveFigure } from "./live-figure";
import { PlotRenderer, isFigure } from "./plot-renderer";
import { subscribeProgress } from "./progress";
import { renderValue } from "./render";
import { cellToken, inTslab, sendMimeBundle } from "./tslab";

export { notebookSignal, onInterrupt } from "./interrupt";

const plots = new PlotRenderer({ send: (data) => sendMimeBundle(data) });
/** The cell (tslab's per-request writer) each figure was last shown in. */
const shownIn = new WeakMap<object, unknown>();

function showFigure(fig: Figure): boolean {
  const sent = plots.show(fig);
  if (sent) shownIn.set(fig, cellToken());
  return sent;
}

const showFigureInCell = (fig: Figure): void => void showFigure(fig);
const openLogInCell = (title: string): ((line: string) => void) => openLiveLog(title);

/** The rich form of any value faaslab knows; false when it has none or nothing could be sent. */
export function showValue(value: unknown): boolean {
  if (isFigure(value)) return showFigure(value);
  const rendered = renderValue(value);
  if (rendered === null) return false;
  return sendMimeBundle({ "text/html": rendered.html, "text/plain": rendered.text });
}

/**
 * A cell's value: a figure the cell's plot helper already drew is not drawn twice (and its text is
 * not printed); anything else is shown like display() would.
 */
function showCellValue(value: unknown): boolean {
  if (isFigure(value) && shownIn.has(value)) {
    const token = cellToken();
    if (token !== null && shownIn.get(value) === token) return true;
  }
  return showValue(value);
}

/**
 * Registers the figure display, the value display, live logs and progress, interrupts and cell values.
 * Idempotent (each part is), so it can run on every display() call. False outside tslab.
 */
export function install(): boolean {
  if (!inTslab()) return false;
  setFigureDisplay(showFigureInCell);
  setLiveFigureDisplay(() => openLiveFigure(plots));
  setValueDisplay(showValue);
  setLogDisplay(openLogInCell);
  subscribeProgress();
  listenForInterrupts();
  setDefaultSignal(interruptSignal);
  interceptCellValues(showCellValue);
  return true;
}

/** Shows a value in the notebook: HTML for results, summaries, tests, frames and errors; plots drawn. */
export function display(value: unknown): void {
  install();
  displayOrPrint(value);
}

/** Inline plotly.js again with the next figure (after clearing the output that held it). */
export function resendPlotlyBundle(): void {
  plots.resendBundle();
}
