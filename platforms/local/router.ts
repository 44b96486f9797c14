import type { Clock, ClockTimer } from "../../lib/clock";
import type { PendingRequest } from "./instance";
import type { PoolInstance } from "./instance-factory";

/**
 * Which instance gets a request. "first-fit": the first ready instance with a free slot (Lambda's
 * reuse, the local platform's original rule); "least-loaded": the ready instance with the fewest
 * requests (Knative's activator and Cloud Run's balancer spread load). `toStarting`: when no ready
 * instance has a slot, a starting one may take the request and run it once it is ready (Lambda,
 * Cloud Run); Knative's activator instead holds it until an instance is ready.
 */
export interface RoutingRule {
  strategy: "first-fit" | "least-loaded";
  toStarting: boolean;
  /** Requests one instance serves at once; Infinity: unlimited. */
  concurrency: number;
}

interface Waiting {
  request: PendingRequest;
  timer: ClockTimer | null;
}

/** Picks instances for requests and keeps the ones that have to wait, in arrival order. */
export class Router {
  private readonly queue: Waiting[] = [];

  constructor(
    private readonly rule: RoutingRule,
    private readonly clock: Clock,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  /** The instance that should take one more request now, or null when none has a free slot. */
  pick(instances: readonly PoolInstance[]): PoolInstance | null {
    return this.rule.strategy === "first-fit" ? this.firstFit(instances) : this.leastLoaded(instances);
  }

  /** Queues a request; after `timeoutMs` (if not null) it leaves the queue and `onTimeout` has it. */
  enqueue(request: PendingRequest, timeoutMs: number | null, onTimeout: (r: PendingRequest) => void): void {
    const waiting: Waiting = { request, timer: null };
    if (timeoutMs !== null)
      waiting.timer = this.clock.setTimeout(() => {
        const index = this.queue.indexOf(waiting);
        if (index < 0) return;
        this.queue.splice(index, 1);
        onTimeout(request);
      }, timeoutMs);
    this.queue.push(waiting);
  }

  /** The oldest waiting request, out of the queue (its timer cleared). */
  shift(): PendingRequest | undefined {
    const waiting = this.queue.shift();
    if (waiting?.timer) this.clock.clearTimeout(waiting.timer);
    return waiting?.request;
  }

  /** Empties the queue (the pool is closing): each request goes to `fail`. */
  clear(fail: (r: PendingRequest) => void): void {
    while (this.queue.length) fail(this.shift()!);
  }

  private firstFit(instances: readonly PoolInstance[]): PoolInstance | null {
    const { concurrency, toStarting } = this.rule;
    let starting: PoolInstance | null = null;
    for (const instance of instances) {
      if (instance.retiring || instance.assigned >= concurrency) continue;
      if (instance.ready) return instance;
      if (toStarting) starting ??= instance;
    }
    return starting;
  }

  private leastLoaded(instances: readonly PoolInstance[]): PoolInstance | null {
    const { concurrency, toStarting } = this.rule;
    let ready: PoolInstance | null = null;
    let starting: PoolInstance | null = null;
    for (const instance of instances) {
      if (instance.retiring || instance.assigned >= concurrency) continue;
      if (instance.ready) {
        if (instance.assigned === 0) return instance;
        if (!ready || instance.assigned < ready.assigned) ready = instance;
      } else if (toStarting && (!starting || instance.assigned < starting.assigned)) starting = instance;
    }
    return ready ?? starting;
  }
}
