import type { PoolInstance } from "../instance-factory";

/** What a policy may see and do in its pool. */
export interface PoolControl {
  /** Instances alive (retiring ones included until they exit). */
  readonly instances: readonly PoolInstance[];
  /** Requests waiting for an instance. */
  readonly queued: number;
  /** Starts one instance (a cold start); null when the pool is closed. */
  start(): PoolInstance | null;
  /** Lets the instance finish its requests, then stop. */
  retire(instance: PoolInstance): void;
  /** The policy's desired count or panic flag changed: watchers see it. */
  changed(): void;
}

/**
 * How many instances a pool wants, and when: per request (lambda), on a tick (knative), or both
 * (cloudrun). The router decides which instance serves a request; a policy decides the count.
 */
export interface ScalingPolicy {
  /** How long a request may wait in the queue; null: until its own deadline (Knative's activator). */
  readonly queueTimeoutMs: number | null;
  /** A request found no free slot: start an instance for it now? */
  startsForRequest(): boolean;
  /** A request could not be placed and waits in the queue. */
  onQueued(): void;
  /** The observed concurrency or the instances changed (any event of the pool). */
  observe(): void;
  onBusy(instance: PoolInstance): void;
  onIdle(instance: PoolInstance): void;
  onExit(instance: PoolInstance): void;
  /** Start what the policy keeps from the outset (minInstances, initialScale) or after an exit. */
  fill(): void;
  /** No longer the function's current deployment: scale to zero when idle, minimum aside. */
  demote(): void;
  /** The count the policy wants now; null when it has none (lambda). */
  desired(): number | null;
  panic(): boolean | null;
  /** Why a request was refused after its wait (the 429's message). */
  throttleMessage(): string;
  /** Timers off: the pool is closing. */
  stop(): void;
}

/** Live instances: not retiring (starting or ready). */
export function liveCount(instances: readonly PoolInstance[]): number {
  let n = 0;
  for (const instance of instances) if (!instance.retiring) n++;
  return n;
}
