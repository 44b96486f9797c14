/** plot.instances: a static figure, or for a running watch in a notebook a figure redrawn live. */
import { openLiveFigure } from "./display-hook";
import type { Figure } from "./figure";
import { instancesFigure, isWatch, type InstancesPlotOptions, type InstancesSource } from "./instances";

/**
 * Replicas (starting, ready, busy) and queued requests over time, from an experiment result, a
 * watchInstances() watch or samples. A watch that is still running is drawn live in a notebook: its
 * figure is redrawn as samples arrive (at most 10 times a second) and a last time when it stops.
 * Returns the figure of the data so far.
 */
export function instances(source: InstancesSource, options: InstancesPlotOptions = {}): Figure {
  const still = { ...options, show: false };
  if (options.show === false || !isWatch(source) || !source.running || !source.onSample || !source.onStop) {
    return instancesFigure(source, options);
  }
  const live = openLiveFigure();
  if (live === null) return instancesFigure(source, options); // a terminal: nothing is shown
  const build = () => instancesFigure(source, still);
  live.update(build);
  const unsubscribe = source.onSample(() => live.update(build));
  source.onStop(() => {
    unsubscribe();
    live.close(build);
  });
  return build();
}
