import { throttled } from "./errors";
import { ExecutionEnvironment } from "./environment";
import type { Revision } from "./store";

/**
 * Execution environments per function, as Lambda schedules them: one request at a time each, an idle
 * one of the current revision is reused (warm), otherwise a new one starts (cold), up to the
 * account's concurrency limit (then 429). A replaced revision's environments are never reused.
 */
export class EnvironmentPool {
  private readonly byFunction = new Map<string, ExecutionEnvironment[]>();

  constructor(
    private readonly region: string,
    private readonly concurrencyLimit: number,
  ) {}

  acquire(name: string, arn: string, revision: Revision): ExecutionEnvironment {
    const list = this.byFunction.get(name) ?? [];
    this.byFunction.set(name, list);
    const idle = list.find((e) => !e.busy && e.alive && !e.retired && e.revision.id === revision.id);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (this.busyCount() >= this.concurrencyLimit) throw throttled("ConcurrentInvocationLimitExceeded");
    const fresh = new ExecutionEnvironment(name, arn, revision, this.region);
    fresh.busy = true;
    list.push(fresh);
    return fresh;
  }

  release(env: ExecutionEnvironment): void {
    env.busy = false;
    if (env.retired || !env.alive) this.drop(env);
  }

  /** Retires the environments of one revision (null: of every revision, the function was deleted). */
  retire(name: string, revisionId: string | null): void {
    for (const env of [...(this.byFunction.get(name) ?? [])]) {
      if (revisionId !== null && env.revision.id !== revisionId) continue;
      env.retired = true;
      if (!env.busy) this.drop(env);
    }
  }

  all(): ExecutionEnvironment[] {
    return [...this.byFunction.values()].flat();
  }

  async closeAll(): Promise<void> {
    const all = this.all();
    this.byFunction.clear();
    for (const env of all) env.kill();
    await Promise.all(all.map((env) => env.exited()));
  }

  private busyCount(): number {
    let busy = 0;
    for (const list of this.byFunction.values()) for (const env of list) if (env.busy) busy++;
    return busy;
  }

  private drop(env: ExecutionEnvironment): void {
    env.kill();
    const list = this.byFunction.get(env.functionName);
    if (!list) return;
    const index = list.indexOf(env);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.byFunction.delete(env.functionName);
  }
}
