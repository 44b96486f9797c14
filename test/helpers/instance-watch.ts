// Waits on the samples of Platform.watchInstances: a test says "until 3 instances are ready" instead of
// sleeping and hoping. Every wait is bounded by the hang guard, which only turns a hang into a failure.
import type { Deployment, InstanceSample, Platform } from "../../lib/platform";
import { HANG_GUARD_MS } from "./guard";

export class SampleLog {
  readonly samples: InstanceSample[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly watch: { stop(): void };

  constructor(platform: Platform, deployment: Deployment, intervalMs?: number) {
    if (!platform.watchInstances) throw new Error(`${platform.name} cannot watch instances`);
    this.watch = platform.watchInstances(
      deployment,
      (sample) => {
        this.samples.push(sample);
        for (const waiter of [...this.waiters]) waiter();
      },
      { intervalMs },
    );
  }

  get last(): InstanceSample {
    return this.samples[this.samples.length - 1];
  }

  /** Resolves with the first sample (from now on, or the last one already seen) that satisfies `check`. */
  until(
    check: (s: InstanceSample) => boolean,
    what: string,
    guardMs = HANG_GUARD_MS,
  ): Promise<InstanceSample> {
    if (this.samples.length && check(this.last)) return Promise.resolve(this.last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`waited ${guardMs} ms for ${what}; last sample ${JSON.stringify(this.last)}`));
      }, guardMs);
      const waiter = () => {
        if (!check(this.last)) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(this.last);
      };
      this.waiters.add(waiter);
    });
  }

  stop(): void {
    this.watch.stop();
  }
}

/** Live instances (starting or ready) in a sample. */
export const live = (s: InstanceSample): number => s.starting + s.ready;
