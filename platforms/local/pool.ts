import { randomUUID } from "node:crypto";
import type { Clock } from "../../lib/clock";
import type { RawInvocation } from "../../lib/platform";
import { failure, type PendingRequest } from "./instance";
import type { InstanceFactory, PoolEvents, PoolInstance } from "./instance-factory";
import type { InstanceCounts } from "./instance-samples";
import { timeLimit } from "./messages";
import { Router } from "./router";
import { createPolicy, routingRule } from "./scaling/policies";
import type { PoolControl, ScalingPolicy } from "./scaling/policy";
import { scalingSettings, type ScalingSettings } from "./scaling/settings";
import type { LocalConfig } from "./schema";

const RETIRED = "the function was redeployed, removed or shut down";

/**
 * The instances of one deployment (one artifact + config): a router places each request (or queues
 * it), a scaling policy decides how many instances there should be (lambda, cloudrun, knative), and
 * an instance factory starts and stops them. Everything time-based runs on the injected clock.
 */
export class InstancePool implements PoolEvents {
  readonly instances: PoolInstance[] = [];
  readonly settings: ScalingSettings;
  private readonly router: Router;
  /** Decides how many instances there should be (read by benches and tests). */
  readonly policy: ScalingPolicy;
  private markFinished!: () => void;
  /** Resolves once the pool is closed, its instances exited, and all their output is in the log file. */
  readonly finished = new Promise<void>((resolve) => (this.markFinished = resolve));
  private closing: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly config: LocalConfig,
    private readonly factory: InstanceFactory,
    private readonly clock: Clock,
    /** Called on every change of the counts (instances, requests): the function's watchers look. */
    private readonly changed: () => void = () => undefined,
  ) {
    this.settings = scalingSettings(config);
    const router = new Router(routingRule(this.settings), clock);
    this.router = router;
    const control: PoolControl = {
      instances: this.instances,
      get queued() {
        return router.queued;
      },
      start: () => this.startInstance(),
      retire: (instance) => instance.retire(),
      changed: () => this.changed(),
    };
    this.policy = createPolicy(this.settings, control, clock);
    this.policy.fill();
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
          this.event();
        },
      };
      if (this.closed) return request.settle(failure("InstanceRetired", RETIRED, false, 503));
      const instance = this.placeFor();
      if (instance) return this.assign(instance, request);
      const waitMs = this.policy.queueTimeoutMs ?? Math.max(0, request.deadline - this.clock.now());
      this.router.enqueue(request, waitMs, (r) => this.giveUp(r));
      // Watchers see the waiting request before what the policy makes of it (Knative's poke).
      this.event();
      this.policy.onQueued();
    });
  }

  /** Stop taking requests; instances finish what they have, then exit. */
  retire(): void {
    this.closed = true;
    this.policy.stop();
    this.router.clear((request) => request.settle(failure("InstanceRetired", RETIRED, false, 503)));
    for (const instance of [...this.instances]) instance.retire();
    this.endWhenDone();
  }

  /**
   * No longer the function's current deployment (a newer definition deployed), but still used by an
   * earlier definition: its instances keep serving it and scale to zero when idle, minInstances aside.
   */
  demote(): void {
    this.policy.demote();
  }

  /** Stop every instance now (shutdown, process exit): in-flight requests fail. */
  killAll(): void {
    this.retire();
    for (const instance of [...this.instances]) this.factory.kill(instance);
  }

  /** Retire the running instances so the next requests get fresh ones (a forced cold start). */
  recycle(): void {
    for (const instance of [...this.instances]) {
      this.instances.splice(this.instances.indexOf(instance), 1);
      instance.retire();
    }
    this.event();
    this.policy.fill();
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
        if (instance.running > 0) busy += 1;
      }
    }
    const { queued } = this.router;
    return {
      starting,
      ready,
      busy,
      inFlight,
      queued,
      desired: this.policy.desired(),
      panic: this.policy.panic(),
    };
  }

  onReady(): void {
    this.drainQueue();
    this.event();
  }

  onIdle(instance: PoolInstance): void {
    if (this.router.queued) this.drainQueue();
    if (instance.assigned === 0 && !instance.retiring) this.policy.onIdle(instance);
    this.event();
  }

  onExit(instance: PoolInstance): void {
    this.factory.exited(instance);
    this.policy.onExit(instance);
    const index = this.instances.indexOf(instance);
    if (index >= 0) this.instances.splice(index, 1);
    this.event();
    if (this.closed) return this.endWhenDone();
    this.policy.fill();
    this.drainQueue();
  }

  /** An instance with a free slot, or a new one when the policy starts one per request. */
  private placeFor(): PoolInstance | null {
    const instance = this.router.pick(this.instances);
    if (instance) return instance;
    if (!this.policy.startsForRequest()) return null;
    this.startInstance();
    return this.router.pick(this.instances);
  }

  private startInstance(): PoolInstance | null {
    if (this.closed) return null;
    const instance = this.factory.start(this);
    this.instances.push(instance);
    this.event();
    return instance;
  }

  private assign(instance: PoolInstance, request: PendingRequest): void {
    instance.assign(request);
    this.policy.onBusy(instance);
    this.event();
  }

  private drainQueue(): void {
    while (this.router.queued) {
      const instance = this.placeFor();
      if (!instance) return;
      this.assign(instance, this.router.shift()!);
    }
  }

  private giveUp(request: PendingRequest): void {
    if (this.policy.queueTimeoutMs === null) {
      const waited = (request.limit.ms / 1000).toString();
      const message = `Task timed out after ${waited} seconds waiting for an instance (Knative's activator held the request; no instance became ready)`;
      request.settle(failure("TimeoutError", message, true, 504));
    } else request.settle(failure("Throttled", this.policy.throttleMessage(), false, 429));
  }

  /** Any change: the policy observes it, watchers see it. */
  private event(): void {
    this.policy.observe();
    this.changed();
  }

  private endWhenDone(): void {
    if (!this.closed || this.instances.length > 0 || this.closing) return;
    this.closing = this.factory.close();
    void this.closing.then(this.markFinished);
  }
}
