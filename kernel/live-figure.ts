/**
 * Live figures (lib/plot's openLiveFigure, e.g. watchInstances' timeline): one output, redrawn in
 * place with update_display_data at most 10 times per second; the state given to close() is always
 * drawn, so the saved notebook shows the end. plotly.js goes in an output of its own first
 * (PlotRenderer.ensureLibrary), since every redraw replaces the figure's output.
 */
import type { LiveFigure } from "../lib/plot/display-hook";
import type { Figure } from "../lib/plot/figure";
import type { PlotRenderer } from "./plot-renderer";
import { DEFAULT_INTERVAL_MS, Throttle, systemClock, type Clock } from "./throttle";
import { newDisplayId, sendMimeBundle } from "./tslab";

export interface LiveFigureOptions {
  send?: (data: Record<string, unknown>, displayId: string, update: boolean) => boolean;
  clock?: Clock;
  newId?: () => string;
  intervalMs?: number;
}

export function openLiveFigure(renderer: PlotRenderer, options: LiveFigureOptions = {}): LiveFigure {
  const send = options.send ?? sendMimeBundle;
  const id = (options.newId ?? newDisplayId)();
  let created = false;
  const draw = (build: () => Figure): void => {
    if (!created && !renderer.ensureLibrary()) return; // no kernel output possible yet: try next time
    const bundle = renderer.mimeBundle(build(), renderer.mode === "always");
    if (send(bundle, id, created)) created = true;
  };
  const throttle = new Throttle<() => Figure>(
    draw,
    options.intervalMs ?? DEFAULT_INTERVAL_MS,
    options.clock ?? systemClock,
  );
  return {
    update: (build) => throttle.push(build),
    close: (build) => throttle.push(build, true),
  };
}
