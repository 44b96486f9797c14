import { randomUUID } from "node:crypto";
import type { Clock, ClockTimer } from "../../lib/clock";
import type { RawInvocation } from "../../lib/platform";
import { failure, LocalInstance, type PendingRequest } from "./instance";
import { InstanceLog } from "./instance-log";
import type { InstanceCounts } from "./instance-samples";
import { timeLimit } from "./messages";
import type { LocalConfig } from "./schema";

const WATCHDOG_INTERVAL_MS = 200;

/**
 * The instances of one deployment (one artifact + config), with Lambda / Cloud Run semantics:
 * reuse a free instance, else start one (a cold start) up to maxInstances, else queue for at most
 * queueTimeout, then throttle. Idle instances stop after idleTimeout, down to minInstances.
 */
export class InstancePool {
  readonly instances: LocalInstance[] = [];
  private readonly queue: { request: PendingRequest; timer: ClockTimer }[] = [];
  private readonly idleTimers = new Map<LocalInstance, ClockTimer>();
  private readonly watchdog: NodeJS.Timeout;
  private readonly log: InstanceLog;
  /** The output of instances that exited, until read to its end. */
  private readonly unreadOutput = new Set<Promise<void>>();
  private logEnded: Promise<void> | null = null;
  private markFinished!: () => void;
  /** Resolves once the pool is closed, its instances exited, and all their output is in the log file. */
  readonly finished = new Promise<void>((resolve) => (this.markFinished = resolve));
  private closed = false;
  /** Instances kept even when idle: minInstances, until another deployment of the function takes over. */
  private minimum: number;

  constructor(
    private readonly artifactPath: string,
    private readonly functionName: string,
    readonly config: LocalConfig,
    logPath: string | null,
    private readonly clock: Clock,
    /** Called on every change of the counts (instances, requests): the function's watchers look. */
    private readonly changed: () => void = () => undefined,
  ) {
    this.minimum = config.minInstances;
    this.log = new InstanceLog(logPath);
    this.watchdog = setInterval(() => this.enforceMemory(), WATCHDOG_INTERVAL_MS);
    this.watchdog.unref();
    this.fillToMinimum();
  }

  invoke(payload: unknown, timeoutMs?: number): Promise<RawInvocation> {
    return new Promise((settle) => {
      const limit = timeLimit(this.config.timeout, timeoutMs);
      const request: PendingRequest = {
        id: randomUUID(),
        payload,
        limit,
        deadline: this.clock.now() + limit.ms,
        settle: (raw) => {
          settle(raw);
          this.changed();
        },
      };
      if (this.closed)
        return settle(
          failure("InstanceRetired", "the function was redeployed, removed or shut down", false, 503),
        );
      const instance = this.instanceWithCapacity() ?? this.startInstance();
      if (instance) return this.assign(instance, request);
      const timer = this.clock.setTimeout(() => this.throttle(request), this.config.queueTimeout * 1000);
      this.queue.push({ request, timer });
      this.changed();
    });
  }

  /** Stop taking requests; instances finish what they have, then exit. */
  retire(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const { request, timer } of this.queue.splice(0)) {
      this.clock.clearTimeout(timer);
      request.settle(
        failure("InstanceRetired", "the function was redeployed, removed or shut down", false, 503),
      );
    }
    for (const instance of [...this.instances]) instance.retire();
    for (const timer of this.idleTimers.values()) this.clock.clearTimeout(timer);
    this.idleTimers.clear();
    this.endLogWhenDone();
  }

  /**
   * No longer the function's current deployment (a newer definition deployed), but still used by an
   * earlier definition: its instances keep serving it and scale to zero when idle, minInstances aside.
   */
  demote(): void {
    this.minimum = 0;
    for (const instance of this.instances)
      if (instance.assigned === 0 && !instance.retiring) this.onIdle(instance);
  }

  /** Stop every instance now (shutdown, process exit): in-flight requests fail. */
  killAll(): void {
    this.retire();
    for (const instance of [...this.instances]) instance.kill("retired");
  }

  private endLogWhenDone(): void {
    if (!this.closed || this.instances.length > 0 || this.logEnded) return;
    this.logEnded = Promise.all(this.unreadOutput).then(() => this.log.end());
    void this.logEnded.then(this.markFinished);
  }

  /** Retire the running instances so the next requests get fresh ones (a forced cold start). */
  recycle(): void {
    for (const instance of [...this.instances]) {
      this.instances.splice(this.instances.indexOf(instance), 1);
      instance.retire();
    }
    this.fillToMinimum();
  }

  private instanceWithCapacity(): LocalInstance | null {
    let starting: LocalInstance | null = null;
    for (const instance of this.instances) {
      if (instance.retiring || instance.assigned >= this.config.concurrency) continue;
      if (instance.ready) return instance;
      starting ??= instance;
    }
    return starting;
  }

  private startInstance(): LocalInstance | null {
    if (this.closed || this.instances.length >= this.config.maxInstances) return null;
    const instance = new LocalInstance(this.artifactPath, this.functionName, this.config, this, this.log);
    this.instances.push(instance);
    this.changed();
    return instance;
  }

  private assign(instance: LocalInstance, request: PendingRequest): void {
    this.cancelIdle(instance);
    instance.assign(request);
    this.changed();
  }

  private throttle(request: PendingRequest): void {
    const index = this.queue.findIndex((q) => q.request === request);
    if (index < 0) return;
    this.queue.splice(index, 1);
    const message =
      `all ${this.config.maxInstances} instances were busy for ${this.config.queueTimeout} s ` +
      `(maxInstances ${this.config.maxInstances}, concurrency ${this.config.concurrency})`;
    request.settle(failure("Throttled", message, false, 429));
  }

  private drainQueue(): void {
    while (this.queue.length) {
      const instance = this.instanceWithCapacity() ?? this.startInstance();
      if (!instance) return;
      const { request, timer } = this.queue.shift()!;
      this.clock.clearTimeout(timer);
      this.assign(instance, request);
    }
  }

  onReady(): void {
    this.drainQueue();
    this.changed();
  }

  onIdle(instance: LocalInstance): void {
    if (this.queue.length) return this.drainQueue();
    this.cancelIdle(instance);
    // An idle instance must not keep the caller's process alive.
    const timer = this.clock.setTimeout(
      () => this.scaleDown(instance),
      this.config.idleTimeout * 1000,
      false,
    );
    this.idleTimers.set(instance, timer);
  }

  onExit(instance: LocalInstance): void {
    this.cancelIdle(instance);
    const output = instance.outputEnded;
    this.unreadOutput.add(output);
    void output.then(() => this.unreadOutput.delete(output));
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    this.changed();
    if (this.closed) return this.endLogWhenDone();
    this.fillToMinimum();
    this.drainQueue();
  }

  private scaleDown(instance: LocalInstance): void {
    this.idleTimers.delete(instance);
    if (instance.assigned > 0 || this.liveCount() <= this.minimum) return;
    instance.retire();
  }

  private liveCount(): number {
    return this.instances.filter((i) => !i.retiring).length;
  }

  private cancelIdle(instance: LocalInstance): void {
    const timer = this.idleTimers.get(instance);
    if (timer) this.clock.clearTimeout(timer);
    this.idleTimers.delete(instance);
  }

  private fillToMinimum(): void {
    while (!this.closed && this.liveCount() < this.minimum) {
      const instance = this.startInstance();
      if (!instance) return;
      this.onIdle(instance);
    }
  }

  /** What a watcher sees: instances by state, requests in them and waiting for one. */
  counts(): InstanceCounts {
    let starting = 0;
    let ready = 0;
    let busy = 0;
    let inFlight = 0;
    for (const instance of this.instances) {
      if (!instance.alive) continue;
      inFlight += instance.assigned;
      if (!instance.ready) starting += 1;
      else {
        ready += 1;
        if (instance.inFlight.size > 0) busy += 1;
      }
    }
    return { starting, ready, busy, inFlight, queued: this.queue.length, desired: null, panic: null };
  }

  /** RSS watchdog: V8's heap limit does not cover buffers and native memory. */
  private enforceMemory(): void {
    for (const instance of this.instances) {
      if (!instance.alive) continue;
      const rss = instance.rssMb();
      if (rss !== null && rss > this.config.memory) instance.kill("oom", rss);
    }
  }
}
