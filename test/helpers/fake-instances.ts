// Instances without processes, on a ManualClock: the real pool (router + policy) drives them, and a
// test or bench decides how long a start and a request take. Pure and in-process.
import type { Clock, ClockTimer } from "../../lib/clock";
import type { RawInvocation } from "../../lib/platform";
import type { PendingRequest } from "../../platforms/local/instance";
import type { InstanceFactory, PoolEvents, PoolInstance } from "../../platforms/local/instance-factory";

/** A request payload for fake instances: how long it runs once it reaches a ready instance (< 0: no time). */
export interface FakeWork {
  ms: number;
}

const answered = (instance: number): RawInvocation => ({
  envelope: null,
  failure: null,
  result: { instance },
  statusCode: 200,
  responseBytes: 0,
  attempts: 1,
  billedMs: null,
  initMs: null,
  maxMemoryUsedMb: null,
});

let nextNumber = 1;

export class FakeInstance implements PoolInstance {
  readonly number = nextNumber++;
  ready = false;
  alive = true;
  retiring = false;
  private readonly runningRequests = new Map<PendingRequest, ClockTimer>();
  private readonly waiting: PendingRequest[] = [];
  private readonly startTimer: ClockTimer | null;

  constructor(
    private readonly clock: Clock,
    private readonly events: PoolEvents,
    startupMs: number,
  ) {
    this.startTimer = startupMs > 0 ? clock.setTimeout(() => this.becomeReady(), startupMs) : null;
    if (startupMs <= 0) queueMicrotask(() => this.becomeReady());
  }

  get assigned(): number {
    return this.runningRequests.size + this.waiting.length;
  }

  get running(): number {
    return this.runningRequests.size;
  }

  assign(request: PendingRequest): void {
    if (this.ready) this.run(request);
    else this.waiting.push(request);
  }

  retire(): void {
    this.retiring = true;
    if (this.assigned === 0) this.exit();
  }

  kill(): void {
    for (const [request, timer] of this.runningRequests) {
      this.clock.clearTimeout(timer);
      request.settle({
        ...answered(this.number),
        failure: { errorType: "Killed", errorMessage: "", timedOut: false },
      });
    }
    this.runningRequests.clear();
    this.waiting.length = 0;
    this.exit();
  }

  private becomeReady(): void {
    if (!this.alive) return;
    this.ready = true;
    for (const request of this.waiting.splice(0)) this.run(request);
    this.events.onReady(this);
  }

  private run(request: PendingRequest): void {
    const ms = (request.payload as FakeWork | undefined)?.ms ?? 0;
    if (ms < 0) {
      // Done at once, without the clock (benches: the pool's own cost per request).
      this.runningRequests.set(request, { id: null });
      return queueMicrotask(() => this.finish(request));
    }
    const timer = this.clock.setTimeout(() => this.finish(request), ms);
    this.runningRequests.set(request, timer);
  }

  private finish(request: PendingRequest): void {
    this.runningRequests.delete(request);
    request.settle(answered(this.number));
    if (this.assigned > 0) return;
    if (this.retiring) this.exit();
    else this.events.onIdle(this);
  }

  private exit(): void {
    if (!this.alive) return;
    this.alive = false;
    if (this.startTimer) this.clock.clearTimeout(this.startTimer);
    this.events.onExit(this);
  }
}

/** Starts FakeInstances that are ready `startupMs` after they start. */
export class FakeInstanceFactory implements InstanceFactory {
  started = 0;

  constructor(
    private readonly clock: Clock,
    private readonly startupMs: number,
  ) {}

  start(events: PoolEvents): PoolInstance {
    this.started++;
    return new FakeInstance(this.clock, events, this.startupMs);
  }

  kill(instance: PoolInstance): void {
    (instance as FakeInstance).kill();
  }

  exited(): void {}

  async close(): Promise<void> {}
}
