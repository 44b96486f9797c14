import { mkdirSync } from "node:fs";
import * as path from "node:path";
import type { Clock } from "../../lib/clock";
import { definePlatform } from "../../lib/define-platform";
import type {
  Artifact,
  DeployOptions,
  Deployment,
  DeploymentCheck,
  FunctionDirs,
  InstanceSample,
  InstanceWatch,
  InvokeOptions,
  Platform,
  PlatformConfig,
  PlatformContext,
  RawInvocation,
  WatchInstancesOptions,
} from "../../lib/platform";
import { checkRef, localRef, LOG_FILE, publish, removeCopies, type LocalRef } from "./artifacts";
import { processHolds } from "./holds";
import { containmentNote } from "./containment";
import { allocatedCpu, cpuMechanism } from "./cpu-limit";
import { capNote, cpuShare } from "./cpu-share";
import { stopGuard } from "./guard";
import { failure, liveInstances } from "./instance";
import { PoolSet } from "./pool-set";
import { localSchema, type LocalConfig } from "./schema";

/**
 * The embedded platform: each instance is a child Node process running the bundled artifact. A deploy
 * copies the artifact into the function's data directory (its "remote" storage); instances start from
 * this process's own link to that copy (holds.ts), so no deploy, remove or other process deletes a
 * file an instance still needs.
 */
export class LocalPlatform implements Platform {
  readonly name = "local" as const;
  private readonly pools: PoolSet;

  constructor(private readonly clock: Clock) {
    this.pools = new PoolSet(clock, processHolds);
  }

  async deploy(artifact: Artifact, config: PlatformConfig, options: DeployOptions): Promise<Deployment> {
    const deployedDir = options.dataDir;
    mkdirSync(deployedDir, { recursive: true });
    const { file, sha256 } = publish(artifact.path, deployedDir, artifact.hash);
    // A hold made from an earlier copy by this name is not this deploy's: the next pool links anew.
    processHolds.forget((hold) => hold.copy === file);
    removeCopies(deployedDir, file);
    const ref: LocalRef = { artifact: file, log: path.join(options.logDir, LOG_FILE), sha256 };
    const deployment: Deployment = {
      platform: "local",
      functionName: artifact.functionName,
      hash: artifact.hash,
      config,
      ref: { ...ref },
      deployedAt: new Date(this.clock.now()).toISOString(),
    };
    this.pools.activate(deployment);
    options.log(`local: deployed ${ref.artifact}`);
    logCpu(config as LocalConfig, options.log);
    const note = containmentNote();
    if (note && !noted) options.log(note);
    noted = true;
    return deployment;
  }

  async reconfigure(deployment: Deployment, config: PlatformConfig): Promise<Deployment> {
    const next = { ...deployment, config };
    this.pools.activate(next);
    return next;
  }

  async verify(deployment: Deployment, dirs: FunctionDirs): Promise<DeploymentCheck> {
    return checkRef(deployment, dirs);
  }

  async invoke(deployment: Deployment, payload: unknown, opts?: InvokeOptions): Promise<RawInvocation> {
    // Every row says what CPU its instance had (config `cpu`, capped by this machine's cores).
    const cpuAllocated = allocatedCpu(deployment.config as LocalConfig);
    const pending = this.pools
      .poolFor(deployment)
      .invoke(payload, opts?.timeoutMs)
      .then((raw) => ({ ...raw, cpuAllocated }));
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

  /**
   * Requests in flight finish (queued ones fail with InstanceRetired), the deployed copies are deleted
   * now and this process's holds once its instances have exited. Resolves without waiting for them.
   */
  async remove(deployment: Deployment): Promise<void> {
    const dir = path.dirname(localRef(deployment).artifact);
    processHolds.forget((hold) => path.dirname(hold.copy) === dir);
    void this.pools.retireAll(deployment.functionName);
    removeCopies(dir, null);
  }

  async forceColdStart(deployment: Deployment): Promise<void> {
    // Its own instances only (an earlier definition's forced cold start leaves the current pool be);
    // without a pool there is no instance to retire and the next call is cold anyway.
    this.pools.find(deployment)?.recycle();
  }

  /** The function's instances over time, across all its pools (see PoolSet.watch). */
  watchInstances(
    deployment: Deployment,
    onSample: (sample: InstanceSample) => void,
    options?: WatchInstancesOptions,
  ): InstanceWatch {
    return this.pools.watch(deployment.functionName, onSample, options?.intervalMs);
  }

  async shutdown(): Promise<void> {
    await this.pools.stopAll();
    processHolds.deleteAll();
    await stopGuard();
  }

  /** Instances currently alive, per function (for tests and progress displays). */
  instanceCount(functionName: string): number {
    return this.pools.instanceCount(functionName);
  }
}

/** Each deploy's log says what CPU its instances get and what enforces it. */
function logCpu(config: LocalConfig, log: (line: string) => void): void {
  const share = cpuShare(config);
  log(
    `local: ${allocatedCpu(config)} vCPU per instance (cpu: ${JSON.stringify(config.cpu)}; ${cpuMechanism(share).description})`,
  );
  const note = capNote(config);
  if (note) log(note);
}

/** The containment note is said once per process, in the first deploy's log. */
let noted = false;

// A script or kernel that exits must not leave instances behind, nor anything they started. 'exit'
// handlers must be synchronous: SIGKILL goes to each instance's process group and cgroup right away.
// (Instances also exit on their own when the IPC channel closes, and the guard stops what is left.)
process.on("exit", () => {
  for (const instance of liveInstances) instance.killNow();
});

export const platformModule = definePlatform({
  name: "local",
  schema: localSchema,
  capabilities: ["deploy", "reconfigure", "forceColdStart", "remove", "watchInstances"],
  shimEntry: path.join(__dirname, "shim", "worker.js"),
  // Instances run on the Node that runs the notebook.
  buildTarget: () => `node${process.versions.node.split(".")[0]}`,
  resourceName: (functionName) => functionName,
  // Configurable (default 6 MiB, as Lambda): map() keeps chunks under it; invoke itself does not refuse more.
  maxPayloadBytes: (config) => (config as { maxPayloadBytes?: number }).maxPayloadBytes ?? null,
  create: (context: PlatformContext) => new LocalPlatform(context.clock),
});
