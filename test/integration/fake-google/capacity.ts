import { Instance, type Revision } from "./instance";

export interface Slot {
  instance: Instance;
  /** The instance's first request (it was started for this one, or pre-started and unused). */
  cold: boolean;
}

/**
 * The instances of one function and Cloud Run's admission: a request takes a free slot of the current
 * revision (`maxInstanceRequestConcurrency` per instance), else a new instance while fewer than
 * `maxInstanceCount` run, else waits up to `pendingMs` for a slot and is then refused (429).
 */
export class InstancePool {
  readonly instances: Instance[] = [];
  current: Revision | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly pendingMs: number,
    private readonly startTimeoutMs: number,
  ) {}

  /** Starts an instance of `revision` (not yet routable unless it is the current revision). */
  start(revision: Revision): Instance {
    const instance = new Instance(revision, this.startTimeoutMs);
    this.instances.push(instance);
    instance.child.once("exit", () => {
      this.forget(instance);
      this.wake();
    });
    return instance;
  }

  /** Makes `revision` current and retires the others' instances (each killed once idle). */
  promote(revision: Revision): void {
    this.current = revision;
    for (const instance of this.instances) {
      if (instance.revision === revision) continue;
      instance.retired = true;
      if (instance.inflight === 0) instance.kill();
    }
  }

  async acquire(): Promise<Slot | null> {
    const deadline = Date.now() + this.pendingMs;
    for (;;) {
      const revision = this.current;
      if (!revision) return null;
      const live = this.instances.filter((i) => i.alive && !i.retired && i.revision === revision);
      const free = live.find((i) => i.inflight < revision.concurrency);
      const instance = free ?? (live.length < revision.maxInstances ? this.start(revision) : null);
      if (instance) {
        instance.inflight++;
        return { instance, cold: instance.served++ === 0 };
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
  }

  release(instance: Instance): void {
    instance.inflight--;
    if (instance.retired && instance.inflight === 0) instance.kill();
    this.wake();
  }

  alive(): Instance[] {
    return this.instances.filter((i) => i.alive);
  }

  async closeAll(): Promise<void> {
    const all = [...this.instances];
    for (const instance of all) instance.kill();
    await Promise.all(all.map((i) => i.exited()));
    this.wake();
  }

  private forget(instance: Instance): void {
    const at = this.instances.indexOf(instance);
    if (at >= 0) this.instances.splice(at, 1);
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
