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
