import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Clock } from "../../lib/clock";
import { definePlatform } from "../../lib/define-platform";
import type {
  Artifact,
  DeployOptions,
  Deployment,
  InvokeOptions,
  Platform,
  PlatformConfig,
  PlatformContext,
  RawInvocation,
} from "../../lib/platform";
import { containmentNote } from "./containment";
import { stopGuard } from "./guard";
import { failure, liveInstances } from "./instance";
import { InstancePool } from "./pool";
import { localSchema, type LocalConfig } from "./schema";

interface LocalRef {
  /** The deployed copy of the artifact (the local platform's "remote" storage). */
  artifact: string;
  /** Where instances' stdout/stderr go. */
  log: string;
}

/** The embedded platform: each instance is a child Node process running the bundled artifact. */
export class LocalPlatform implements Platform {
  readonly name = "local" as const;
  /** One active pool per function name in this process; a new deployment or config replaces it. */
  private readonly pools = new Map<string, { key: string; pool: InstancePool }>();

  constructor(private readonly clock: Clock) {}

  async deploy(artifact: Artifact, config: PlatformConfig, options: DeployOptions): Promise<Deployment> {
    const deployedDir = options.dataDir;
    mkdirSync(deployedDir, { recursive: true });
    const name = `local-${artifact.hash.slice(0, 16)}.js`;
    copyFileSync(artifact.path, path.join(deployedDir, name));
    // Older artifacts are only needed by instances already running, which have them loaded.
    for (const file of readdirSync(deployedDir))
      if (file !== name) rmSync(path.join(deployedDir, file), { force: true });
    const ref: LocalRef = {
      artifact: path.join(deployedDir, name),
      log: path.join(options.logDir, "instances.log"),
    };
    const deployment: Deployment = {
      platform: "local",
      functionName: artifact.functionName,
      hash: artifact.hash,
      config,
      ref: { ...ref },
      deployedAt: new Date(this.clock.now()).toISOString(),
    };
    this.poolFor(deployment);
    options.log(`local: deployed ${ref.artifact}`);
    const note = containmentNote();
    if (note && !noted) options.log(note);
    noted = true;
    return deployment;
  }

  async reconfigure(deployment: Deployment, config: PlatformConfig): Promise<Deployment> {
    const next = { ...deployment, config };
    this.poolFor(next);
    return next;
  }

  async invoke(deployment: Deployment, payload: unknown, opts?: InvokeOptions): Promise<RawInvocation> {
    const pending = this.poolFor(deployment).invoke(payload, opts?.timeoutMs);
    const signal = opts?.signal;
    if (!signal) return pending;
    if (signal.aborted) return failure("Aborted", "the invocation was aborted before it started", false, 499);
    return new Promise((resolve) => {
      const onAbort = () =>
        resolve(failure("Aborted", "the caller stopped waiting for the result", false, 499));
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then((raw) => {
        signal.removeEventListener("abort", onAbort);
        resolve(raw);
      });
    });
  }

  async remove(deployment: Deployment): Promise<void> {
    const entry = this.pools.get(deployment.functionName);
    entry?.pool.retire();
    this.pools.delete(deployment.functionName);
    rmSync((deployment.ref as unknown as LocalRef).artifact, { force: true });
  }

  async forceColdStart(deployment: Deployment): Promise<void> {
    this.poolFor(deployment).recycle();
  }

  async shutdown(): Promise<void> {
    const pools = [...this.pools.values()].map((entry) => entry.pool);
    this.pools.clear();
    await Promise.all(pools.map((pool) => stopPool(pool)));
    await stopGuard();
  }

  /** Instances currently alive, per function (for tests and progress displays). */
  instanceCount(functionName: string): number {
    return this.pools.get(functionName)?.pool.instances.filter((i) => i.alive).length ?? 0;
  }

  private poolFor(deployment: Deployment): InstancePool {
    const ref = deployment.ref as unknown as LocalRef;
    const key = `${ref.artifact}\0${JSON.stringify(deployment.config)}`;
    const entry = this.pools.get(deployment.functionName);
    if (entry?.key === key) return entry.pool;
    entry?.pool.retire();
    const pool = new InstancePool(
      ref.artifact,
      deployment.functionName,
      // Validated against localSchema by lib before it reaches a platform.
      deployment.config as LocalConfig,
      ref.log,
      this.clock,
    );
    this.pools.set(deployment.functionName, { key, pool });
    return pool;
  }
}

/** The containment note is said once per process, in the first deploy's log. */
let noted = false;

/** Kills instances (and all they started); resolves once they exited and their output is in the log. */
function stopPool(pool: InstancePool): Promise<void> {
  pool.killAll();
  return pool.finished;
}

// A script or kernel that exits must not leave instances behind, nor anything they started. 'exit'
// handlers must be synchronous: SIGKILL goes to each instance's process group and cgroup right away.
// (Instances also exit on their own when the IPC channel closes, and the guard stops what is left.)
process.on("exit", () => {
  for (const instance of liveInstances) instance.killNow();
});

export const platformModule = definePlatform({
  name: "local",
  schema: localSchema,
  capabilities: ["deploy", "reconfigure", "forceColdStart", "remove"],
  shimEntry: path.join(__dirname, "shim", "worker.js"),
  // Instances run on the Node that runs the notebook.
  buildTarget: () => `node${process.versions.node.split(".")[0]}`,
  resourceName: (functionName) => functionName,
  create: (context: PlatformContext) => new LocalPlatform(context.clock),
});
