/**
 * How figures reach the screen without lib/ importing tslab: the notebook layer (kernel/) installs
 * a hook, every plot helper calls showFigure(). Outside a notebook no hook is set and nothing shows.
 */
import type { Figure } from "./figure";

export type FigureDisplay = (fig: Figure) => void;

// Kept on globalThis under a registered symbol so that two copies of faaslab loaded in one kernel
// (e.g. the kernel's and a notebook's node_modules) still share one hook.
const KEY = Symbol.for("faaslab.plot.figureDisplay");
const slot = globalThis as unknown as Record<symbol, FigureDisplay | null | undefined>;

/** Install (or with null, remove) the function that shows a figure. */
export function setFigureDisplay(fn: FigureDisplay | null): void {
  if (fn !== null && typeof fn !== "function") {
    throw new TypeError("setFigureDisplay: expected a function (fig) => void, or null");
  }
  slot[KEY] = fn;
}

/** Shows a figure through the installed hook; does nothing when none is installed. */
export function showFigure(fig: Figure): void {
  const hook = slot[KEY];
  if (hook) hook(fig);
}

/**
 * A figure shown once and then redrawn in place as its data changes (a live instance timeline): the
 * notebook throttles redraws (≤ 10 per second) and always draws the state given to close().
 */
export interface LiveFigure {
  /** The figure changed: `build` is called when it is redrawn (not for every update). */
  update(build: () => Figure): void;
  /** The final state; later updates are ignored. */
  close(build: () => Figure): void;
}

export type LiveFigureDisplay = () => LiveFigure;

const LIVE_KEY = Symbol.for("faaslab.plot.liveFigureDisplay");
const liveSlot = globalThis as unknown as Record<symbol, LiveFigureDisplay | null | undefined>;

/** Install (or with null, remove) how a live figure is opened; kernel/notebook.ts does in a notebook. */
export function setLiveFigureDisplay(fn: LiveFigureDisplay | null): void {
  liveSlot[LIVE_KEY] = fn;
}

/** A live figure in the current cell, or null outside a notebook (a terminal shows nothing). */
export function openLiveFigure(): LiveFigure | null {
  const open = liveSlot[LIVE_KEY];
  if (!open) return null;
  try {
    return open();
  } catch {
    return null; // a display problem never fails the watch
  }
}
