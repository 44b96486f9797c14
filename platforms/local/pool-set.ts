import type { Clock } from "../../lib/clock";
import { deploymentGone } from "../../lib/errors";
import type { Deployment, InstanceSample, InstanceWatch } from "../../lib/platform";
import { localRef } from "./artifacts";
import type { ArtifactHolds, Hold } from "./holds";
import { ProcessInstanceFactory } from "./instance-factory";
import { addCounts, InstanceSamples } from "./instance-samples";
import { InstancePool } from "./pool";
import type { LocalConfig } from "./schema";

interface Entry {
  pool: InstancePool;
  hold: Hold;
}

/**
 * The instance pools of this process, one per deployment (artifact + config). A deploy, reconfigure or
 * forced cold start makes its deployment the function's current pool (see activate). A call on another
 * deployment of the function — an earlier definition still running on the one it had — gets a pool of
 * its own and leaves the others alone, so two deployments never take turns restarting each other's
 * instances.
 */
export class PoolSet {
  private readonly byFunction = new Map<string, Map<string, Entry>>();
  /** Every pool of a function until its instances have exited (retired ones still drain). */
  private readonly running = new Map<string, Set<InstancePool>>();
  private readonly watchers = new Map<string, InstanceSamples>();

  constructor(
    private readonly clock: Clock,
    private readonly holds: ArtifactHolds,
  ) {}

  /** The pool of `deployment`, started if needed. Throws deploymentGone() when its artifact is gone. */
  poolFor(deployment: Deployment): InstancePool {
    const pools = this.pools(deployment.functionName);
    const key = poolKey(deployment);
    const entry = pools.get(key);
    if (entry && this.holds.intact(entry.hold)) return entry.pool;
    if (entry) {
      // Its file was deleted or changed under it: new instances would crash on it.
      this.retire(deployment.functionName, key);
      this.holds.forget((hold) => hold === entry.hold);
      throw deploymentGone(
        `the artifact "${deployment.functionName}" runs from was deleted or changed`,
        "local",
      );
    }
    const ref = localRef(deployment);
    const hold = this.holds.acquire(ref, deployment.functionName);
    const name = deployment.functionName;
    const changed = () => this.watchers.get(name)?.changed();
    // Validated against localSchema by lib before it reaches a platform.
    const config = deployment.config as LocalConfig;
    const factory = new ProcessInstanceFactory(hold.path, name, config, ref.log);
    const pool = new InstancePool(config, factory, this.clock, changed);
    this.runningPools(name).add(pool);
    void pool.finished.then(() => {
      this.runningPools(name).delete(pool);
      changed();
    });
    this.holds.use(hold);
    pools.set(key, { pool, hold });
    return pool;
  }

  /**
   * `deployment` becomes the function's current one. Pools of the same artifact with another config
   * retire (that config is gone); pools of other artifacts — an earlier definition may still call its
   * own — are demoted: they keep their instances while used and scale to zero when idle. Its own pool
   * starts now only to pre-start minInstances (else at its first call): a deploy alone holds no file.
   */
  activate(deployment: Deployment): InstancePool | null {
    const key = poolKey(deployment);
    const artifact = artifactKey(deployment);
    for (const [other, entry] of [...this.pools(deployment.functionName)]) {
      if (other === key) continue;
      if (other.startsWith(artifact)) this.retire(deployment.functionName, other);
      else entry.pool.demote();
    }
    const pools = this.pools(deployment.functionName);
    const existing = pools.get(key);
    if (existing && !this.holds.intact(existing.hold)) {
      // A deploy replaces a pool whose file was damaged instead of failing on it.
      this.retire(deployment.functionName, key);
      this.holds.forget((hold) => hold === existing.hold);
    }
    if (pools.has(key) || startsOnDeploy(deployment.config as LocalConfig)) return this.poolFor(deployment);
    return null;
  }

  /** The pool of `deployment` if it has one (nothing is started). */
  find(deployment: Deployment): InstancePool | null {
    return this.pools(deployment.functionName).get(poolKey(deployment))?.pool ?? null;
  }

  /** Retires every pool of the function; resolves when their instances have exited. */
  retireAll(functionName: string): Promise<void> {
    const keys = [...this.pools(functionName).keys()];
    return Promise.all(keys.map((key) => this.retire(functionName, key))).then(() => undefined);
  }

  /** Kills every instance (in-flight requests fail); resolves when they have exited. */
  async stopAll(): Promise<void> {
    const entries = [...this.byFunction.values()].flatMap((pools) => [...pools.values()]);
    this.byFunction.clear();
    await Promise.all(entries.map((entry) => this.stop(entry, "kill")));
  }

  /** Alive instances of the function in its active pools. */
  instanceCount(functionName: string): number {
    let count = 0;
    for (const { pool } of this.pools(functionName).values())
      count += pool.instances.filter((i) => i.alive).length;
    return count;
  }

  /**
   * Samples of the function's instances over all its pools (an earlier definition's and draining ones
   * included), whether or not a pool exists yet: a watch may start before the first call.
   */
  watch(
    functionName: string,
    onSample: (sample: InstanceSample) => void,
    intervalMs?: number,
  ): InstanceWatch {
    let samples = this.watchers.get(functionName);
    if (!samples) {
      const pools = this.runningPools(functionName);
      samples = new InstanceSamples(this.clock, () => addCounts([...pools].map((pool) => pool.counts())));
      this.watchers.set(functionName, samples);
    }
    return samples.watch(onSample, intervalMs);
  }

  private runningPools(functionName: string): Set<InstancePool> {
    let pools = this.running.get(functionName);
    if (!pools) this.running.set(functionName, (pools = new Set()));
    return pools;
  }

  private retire(functionName: string, key: string): Promise<void> {
    const pools = this.pools(functionName);
    const entry = pools.get(key);
    if (!entry) return Promise.resolve();
    pools.delete(key);
    return this.stop(entry, "retire");
  }

  /** Retire (requests finish) or kill a pool; its hold is released once its instances have exited. */
  private stop(entry: Entry, how: "retire" | "kill"): Promise<void> {
    if (how === "kill") entry.pool.killAll();
    else entry.pool.retire();
    return entry.pool.finished.then(() => this.holds.release(entry.hold));
  }

  private pools(functionName: string): Map<string, Entry> {
    let pools = this.byFunction.get(functionName);
    if (!pools) this.byFunction.set(functionName, (pools = new Map()));
    return pools;
  }
}

/** A pool starts at deploy when it keeps instances from the outset (minInstances, Knative's initialScale). */
function startsOnDeploy(config: LocalConfig): boolean {
  return config.minInstances > 0 || (config.scaling === "knative" && config.initialScale > 0);
}

/** The artifact part of a pool key: the deployed copy and its digest. */
function artifactKey(deployment: Deployment): string {
  const ref = localRef(deployment);
  return `${ref.artifact}\0${ref.sha256 ?? ""}\0`;
}

/** Keys of the deployments seen: a call reuses its deployment object, so the key is made once. */
const poolKeys = new WeakMap<Deployment, string>();

function poolKey(deployment: Deployment): string {
  let key = poolKeys.get(deployment);
  if (key === undefined) {
    key = `${artifactKey(deployment)}${JSON.stringify(deployment.config)}`;
    poolKeys.set(deployment, key);
  }
  return key;
}
