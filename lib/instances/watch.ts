/** watchInstances(fn): a function's instances over time, live, outside experiments. */
import { setMaxListeners } from "node:events";
import { inspect } from "node:util";
import { handleOf, type CloudFunction } from "../function/cloud-function";
import { TIMELINE_INTERVAL_MS } from "../experiment/instance-timeline";
import type { InstanceSample, InstanceWatch } from "../platform";
import { instances as plotInstances } from "../plot/instances-live";
import { platformWith } from "../registry";

export interface WatchInstancesOptions {
  /** Coarsest spacing between samples while things change (default 100 ms). */
  intervalMs?: number;
  /** Aborting it stops the watch (e.g. notebookSignal()). */
  signal?: AbortSignal;
  /** In a notebook, draw plot.instances live while it runs (default true); a terminal shows nothing. */
  show?: boolean;
}

/** A running watch: samples so far, and stop(). plot.instances(watch) draws it. */
export interface InstanceWatcher {
  readonly functionName: string;
  readonly platform: string;
  /** Every sample so far, oldest first (one on subscribe, then one per change). */
  readonly samples: readonly InstanceSample[];
  /** The latest sample (null before the first). */
  readonly latest: InstanceSample | null;
  /** False once stopped. */
  readonly running: boolean;
  /** When stop() ended it (epoch ms), null while running: a plot's last step lasts until then. */
  readonly stoppedAt: number | null;
  /** Calls `fn` with each later sample; returns the function that unsubscribes it. */
  onSample(fn: (sample: InstanceSample) => void): () => void;
  /** Calls `fn` once when the watch stops; returns the function that unsubscribes it. */
  onStop(fn: () => void): () => void;
  /** Ends the watch (idempotent); the live figure keeps its last state. */
  stop(): void;
}

/**
 * Follows `fn`'s instances as its platform reports them (capability "watchInstances"; another
 * platform throws UNSUPPORTED). Deploys the function first if it has to, like a call would.
 */
export async function watchInstances(
  fn: CloudFunction<never, unknown>,
  options: WatchInstancesOptions = {},
): Promise<InstanceWatcher> {
  const handle = handleOf(fn);
  const platform = platformWith(handle.prepare().platform, "watchInstances", "invoke");
  const deployment = await handle.deploy({ signal: options.signal });
  const watcher = new Watcher(handle.name, deployment.platform);
  if (options.signal) {
    setMaxListeners(0, options.signal);
    if (options.signal.aborted) return watcher.stopped();
    options.signal.addEventListener("abort", () => watcher.stop(), { once: true });
  }
  watcher.attach(
    platform.watchInstances(deployment, (sample) => watcher.add(sample), {
      intervalMs: options.intervalMs ?? TIMELINE_INTERVAL_MS,
    }),
  );
  // In a notebook: plot.instances of a running watch is redrawn live; elsewhere nothing is shown.
  if (options.show !== false) plotInstances(watcher);
  return watcher;
}

class Watcher implements InstanceWatcher {
  readonly samples: InstanceSample[] = [];
  running = true;
  stoppedAt: number | null = null;
  private watch: InstanceWatch | null = null;
  private readonly listeners = new Set<(sample: InstanceSample) => void>();
  private readonly stopListeners = new Set<() => void>();

  constructor(
    readonly functionName: string,
    readonly platform: string,
  ) {}

  get latest(): InstanceSample | null {
    return this.samples[this.samples.length - 1] ?? null;
  }

  attach(watch: InstanceWatch): void {
    if (this.running) this.watch = watch;
    else watch.stop();
  }

  add(sample: InstanceSample): void {
    if (!this.running) return;
    this.samples.push({ ...sample });
    for (const fn of this.listeners) fn(sample);
  }

  onSample(fn: (sample: InstanceSample) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStop(fn: () => void): () => void {
    if (!this.running) {
      fn();
      return () => undefined;
    }
    this.stopListeners.add(fn);
    return () => this.stopListeners.delete(fn);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.stoppedAt = Date.now();
    this.watch?.stop();
    this.watch = null;
    this.listeners.clear();
    const stopped = [...this.stopListeners];
    this.stopListeners.clear();
    for (const fn of stopped) fn();
  }

  stopped(): this {
    this.running = false;
    this.stoppedAt = Date.now();
    return this;
  }

  [inspect.custom](): string {
    const last = this.latest;
    const now = last
      ? `${last.ready} ready, ${last.starting} starting, ${last.busy} busy, ${last.queued} queued`
      : "no sample yet";
    const state = this.running ? "running" : "stopped";
    return `InstanceWatcher ${this.functionName} (${this.platform}, ${state}): ${this.samples.length} samples; now ${now}`;
  }
}
