import { ConfigError, FunctionError, isDeploymentGone } from "../errors";
import type { InvocationRecord } from "../experiment/record";
import type { ControlOptions, Deployment, InvokeOptions, PlatformConfig, PlatformName } from "../platform";
import { DEFAULT_PLATFORM, isPlatformName, unknownPlatformProblem } from "../registry";
import { readWorkspaceConfig, resolveConfig, mergeLayers } from "../config/layers";
import { sessionPlatform, settingsVersion, workspaceDir } from "../settings";
import { claimName, markDeployed, mayDeploy, type Claim, type DeployedEntry } from "./definitions";
import {
  ensureDeployed,
  forgetDeployment,
  hashFor,
  removeDeployment,
  stableKey,
  type DeployRequest,
  type Prepared,
} from "./deployer";
import { assertConfigNotHeld } from "./config-hold";
import { invokeDeployment } from "./invoke";

/** Where a handle's function comes from. */
export type HandleSpec =
  /** Defined in this process with cloudFunction(): built by faaslab from its source. */
  | {
      kind: "source";
      source: string;
      platform?: PlatformName;
      config?: PlatformConfig;
      dependencies: Record<string, string>;
    }
  /** Loaded from state.json (loadFunctions/useFunction): deployed earlier, no source here. */
  | { kind: "loaded"; platform: PlatformName; config: PlatformConfig; hash: string; workspace: string }
  /** Not built by faaslab (a URL, a service deployed by other means): the platform attaches to it. */
  | { kind: "external"; platform: PlatformName; config: PlatformConfig };

/** The state behind one callable: where its function comes from and its config layers. */
export class FunctionHandle {
  reconfigured: PlatformConfig = {};
  private configVersion = 0;
  private prepared: { key: string; value: Prepared } | null = null;
  /** Its place among the definitions of its name (see definitions.ts); null when loaded from state.json. */
  private readonly generation: number | null;
  /** The deployment it last ran on: an earlier definition keeps it when a newer one takes the name. */
  private kept: DeployedEntry | null = null;

  constructor(
    readonly name: string,
    private readonly spec: HandleSpec,
  ) {
    this.generation = spec.kind === "loaded" ? null : claimName(name, () => this.identity());
  }

  /** What this definition deploys: the same string for definitions that deploy the same thing. */
  private identity(): string | null {
    try {
      const { workspace, platform, hash, configKey } = this.prepare();
      return [workspace, platform, hash, configKey].join("\0");
    } catch {
      return null; // an invalid config deploys nothing
    }
  }

  /**
   * Adds a reconfigure layer, validated with the others before it is kept: a rejected change changes
   * nothing (the function keeps working with its previous config).
   */
  reconfigure(config: PlatformConfig): void {
    const next = mergeLayers(this.reconfigured, config);
    this.compute(next);
    this.reconfigured = next;
    this.configVersion += 1;
    this.prepare();
  }

  /** Config, platform and hash; recomputed only when config or session settings change. */
  prepare(): Prepared {
    const key = `${this.configVersion}:${settingsVersion()}`;
    if (this.prepared?.key === key) return this.prepared.value;
    const value = this.compute(this.reconfigured);
    this.prepared = { key, value };
    return value;
  }

  private compute(reconfigured: PlatformConfig): Prepared {
    const spec = this.spec;
    if (spec.kind === "loaded") {
      const config = resolveConfig(spec.platform, {}, spec.config, reconfigured);
      return this.prepared_(spec.platform, config, spec.hash, spec.workspace, null);
    }
    const workspace = workspaceDir();
    const workspaceConfig = readWorkspaceConfig(workspace);
    const platform = spec.platform ?? sessionPlatform() ?? workspaceConfig.platform ?? DEFAULT_PLATFORM;
    if (!isPlatformName(platform)) throw new ConfigError([unknownPlatformProblem(platform)]);
    const config = resolveConfig(platform, workspaceConfig, spec.config, reconfigured);
    const build = spec.kind === "source" ? { source: spec.source, dependencies: spec.dependencies } : null;
    const hash = hashFor(platform, build?.source ?? null, build?.dependencies ?? {}, config);
    return this.prepared_(platform, config, hash, workspace, build);
  }

  private prepared_(
    platform: string,
    config: PlatformConfig,
    hash: string,
    workspace: string,
    build: Prepared["build"],
  ): Prepared {
    const configKey = stableKey(config);
    return { name: this.name, platform, config, configKey, hash, workspace, build, kind: this.spec.kind };
  }

  /** prepare(), refused while an experiment runs on this function with another config. */
  private prepareToDeploy(): Prepared {
    const prepared = this.prepare();
    assertConfigNotHeld(prepared);
    return prepared;
  }

  async invoke(payload: unknown, options?: InvokeOptions): Promise<InvocationRecord> {
    const request = { force: false, signal: options?.signal };
    const deployment = await this.ensure(request);
    try {
      return await invokeDeployment(deployment, payload, options);
    } catch (e) {
      if (!isDeploymentGone(e)) throw e;
      // The function did not run: its deployment was removed, or deleted or damaged on disk. Deploy it
      // again (only the latest definition of the name may; others say so) and call once more.
      forgetDeployment(this.prepare(), deployment);
      if (this.kept?.deployment === deployment) this.kept = null;
      return invokeDeployment(await this.ensure(request), payload, options);
    }
  }

  async call(payload: unknown): Promise<unknown> {
    const record = await this.invoke(payload);
    if (!record.failed) return record.result;
    throw new FunctionError(
      this.name,
      record.platform,
      {
        errorType: record.errorType ?? "Error",
        errorMessage: record.errorMessage ?? "",
        stack: record.errorStack,
      },
      record,
    );
  }

  deploy(options: { force?: boolean } & Partial<ControlOptions> = {}): Promise<Deployment> {
    return this.ensure({ ...options, force: options.force ?? false });
  }

  private async ensure(request: DeployRequest): Promise<Deployment> {
    const prepared = this.prepareToDeploy();
    const deployment = await ensureDeployed(prepared, request, this.claim());
    if (this.kept?.deployment !== deployment) {
      this.kept = { hash: prepared.hash, configKey: prepared.configKey, deployment };
    }
    return deployment;
  }

  /** Asked only when the fast path misses: an unchanged call pays for none of it. */
  private claim(): Claim | null {
    const generation = this.generation;
    if (generation === null) return null;
    return {
      mayDeploy: () => {
        const identity = this.identity();
        return identity !== null && mayDeploy(this.name, generation, identity);
      },
      kept: () => this.kept,
      keep: (entry) => {
        this.kept = entry;
        markDeployed(this.name, generation);
      },
    };
  }

  async remove(options: Partial<ControlOptions> = {}): Promise<void> {
    await removeDeployment(this.name, this.prepare().workspace, options);
  }
}
