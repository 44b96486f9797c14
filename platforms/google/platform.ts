import { readFileSync } from "node:fs";
import { systemClock, type Clock } from "../../lib/clock";
import type {
  Artifact,
  ControlOptions,
  DeployOptions,
  Deployment,
  InvokeOptions,
  ListedFunction,
  Logger,
  Platform,
  PlatformConfig,
  RawInvocation,
} from "../../lib/platform";
import { billedMs, cpuAllocated } from "./billing";
import { ClientPool, type ClientOptions, type GoogleClients } from "./clients";
import { googleConfig, googleRef, resourceNameOf, type GoogleConfig, type GoogleRef } from "./config";
import { createOrUpdate, deleteFunction, updateService, type Target } from "./deploy";
import { deployError, operationError } from "./errors";
import { AgentPool } from "./http";
import { invokerPolicy, syncPublicAccess } from "./iam";
import { resolveProject } from "./project";
import { invokeFunction } from "./invoke";
import { listFaasLabFunctions, listedFunction } from "./list";
import { describeId, googleFunctionId } from "./names";
import type { OperationContext } from "./operation";
import { THROTTLE_BACKOFF, sleep, type Backoff, type Sleep } from "./retry";
import { zipSource } from "./zip";

/** Tunables of the adapter itself (not of the function): tests shorten the waits. */
export interface GooglePlatformOptions extends ClientOptions {
  sleep?: Sleep;
  throttleBackoff?: Backoff;
  /** Longest wait for a create/update/delete operation, in seconds (default 900: first builds are slow). */
  waitSeconds?: number;
  /** First delay between operation polls, ms (default 1000; grows to 5 s). */
  pollMs?: number;
  clock?: Clock;
}

const quiet: Logger = () => undefined;

/** Cloud Run functions (Cloud Functions 2nd gen) through @google-cloud/functions v2 over REST. */
export class GooglePlatform implements Platform {
  readonly name = "google" as const;
  private readonly clients: ClientPool;
  private readonly agents = new AgentPool();

  constructor(private readonly options: GooglePlatformOptions = {}) {
    this.clients = new ClientPool(options);
  }

  async deploy(
    artifact: Artifact,
    platformConfig: PlatformConfig,
    options: DeployOptions,
  ): Promise<Deployment> {
    const config = googleConfig(platformConfig);
    const clients = await this.clients.get(config.endpoint);
    const project = await resolveProject(config, clients);
    const target = this.target(artifact.functionName, project, config.region);
    try {
      const zip = zipSource(readFileSync(artifact.path), target.functionId, config.runtime);
      const at = config.endpoint ? ` at ${config.endpoint}` : "";
      options.log(`google: deploy ${target.label} to ${project}/${config.region}${at}`);
      const ctx = this.context(clients, project, options);
      const fn = await createOrUpdate(ctx, target, config, zip);
      // A new function is private; a change of `public` alone goes through reconfigure().
      if (config.public)
        await syncPublicAccess(
          invokerPolicy(clients, target, fn, config.endpoint),
          Boolean(config.public),
          options.log,
        );
      const ref = this.ref(target, config, fn);
      options.log(`google: ${target.label} is ready at ${ref.uri}`);
      return this.deployment(artifact.functionName, artifact.hash, platformConfig, ref);
    } catch (e) {
      options.signal?.throwIfAborted();
      throw deployError(e, artifact.functionName, target.functionId, project);
    }
  }

  /** updateFunction with a mask of service_config fields only: no upload, no build. */
  async reconfigure(
    current: Deployment,
    platformConfig: PlatformConfig,
    options: ControlOptions = { log: quiet },
  ) {
    const config = googleConfig(platformConfig);
    const ref = googleRef(current.ref);
    const clients = await this.clients.get(ref.endpoint);
    const target = this.targetOf(current.functionName, ref);
    try {
      options.log(`google: reconfiguring ${target.label} (service config only)`);
      const fn = await updateService(this.context(clients, ref.project, options), target, config);
      if (Boolean(googleConfig(current.config).public) !== Boolean(config.public))
        await syncPublicAccess(
          invokerPolicy(clients, target, fn, config.endpoint),
          Boolean(config.public),
          options.log,
        );
      const next = this.ref(target, config, fn);
      return {
        ...this.deployment(current.functionName, current.hash, platformConfig, next),
        deployedAt: current.deployedAt,
      };
    } catch (e) {
      throw operationError(e, "deploy", "reconfiguring", ref.functionId, ref.project);
    }
  }

  async invoke(current: Deployment, payload: unknown, opts?: InvokeOptions): Promise<RawInvocation> {
    const ref = googleRef(current.ref);
    const config = googleConfig(current.config);
    const clients = await this.clients.get(ref.endpoint);
    const raw = await invokeFunction(
      {
        agents: this.agents,
        tokens: config.public ? null : clients.tokens,
        sleep: this.options.sleep ?? sleep,
        backoff: this.options.throttleBackoff ?? THROTTLE_BACKOFF,
      },
      { uri: ref.uri, label: describeId(current.functionName, ref.functionId), project: ref.project },
      payload,
      opts,
    );
    return { ...raw, billedMs: billedMs(raw.envelope), cpuAllocated: cpuAllocated(config) };
  }

  async remove(current: Deployment, options: ControlOptions = { log: quiet }): Promise<void> {
    const ref = googleRef(current.ref);
    const clients = await this.clients.get(ref.endpoint);
    const target = this.targetOf(current.functionName, ref);
    try {
      options.log(`google: delete ${target.label} in ${ref.project}/${ref.region}`);
      await deleteFunction(this.context(clients, ref.project, options), target);
    } catch (e) {
      throw operationError(e, "remove", "deleting", ref.functionId, ref.project);
    }
  }

  /** A new environment nonce: a new revision, whose instances all start cold. */
  async forceColdStart(current: Deployment, options: ControlOptions = { log: quiet }): Promise<void> {
    const ref = googleRef(current.ref);
    const config = googleConfig(current.config);
    const clients = await this.clients.get(ref.endpoint);
    const target = this.targetOf(current.functionName, ref);
    const nonce = `${this.clock.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      options.log(`google: new environment nonce for ${target.label}: a new revision, cold instances`);
      await updateService(this.context(clients, ref.project, options), target, config, nonce);
    } catch (e) {
      throw operationError(e, "deploy", "forcing a cold start of", ref.functionId, ref.project);
    }
  }

  async list(
    platformConfig: PlatformConfig,
    options: ControlOptions = { log: quiet },
  ): Promise<ListedFunction[]> {
    const config = googleConfig(platformConfig);
    const clients = await this.clients.get(config.endpoint);
    const project = await resolveProject(config, clients);
    try {
      options.log(`google: list the functions faaslab deployed in ${project}/${config.region}`);
      const found = await listFaasLabFunctions(clients.functions, project, config.region);
      const where = { project, region: config.region, endpoint: config.endpoint };
      return found.map((fn) => listedFunction(fn, where, platformConfig));
    } catch (e) {
      throw operationError(e, "list", "listing the functions of", `${project}/${config.region}`, project);
    }
  }

  async shutdown(): Promise<void> {
    this.agents.destroy();
    await this.clients.destroy();
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  private target(functionName: string, project: string, region: string): Target {
    const functionId = googleFunctionId(functionName);
    const resourceName = resourceNameOf(project, region, functionId);
    return {
      functionName,
      functionId,
      resourceName,
      project,
      region,
      label: describeId(functionName, functionId),
    };
  }

  private targetOf(functionName: string, ref: GoogleRef): Target {
    return {
      ...this.target(functionName, ref.project, ref.region),
      functionId: ref.functionId,
      resourceName: ref.resourceName,
    };
  }

  private ref(
    target: Target,
    config: GoogleConfig,
    fn: { serviceConfig?: { uri?: string | null; revision?: string | null } | null },
  ): GoogleRef {
    return {
      functionId: target.functionId,
      project: target.project,
      region: target.region,
      resourceName: target.resourceName,
      endpoint: config.endpoint,
      uri: fn.serviceConfig?.uri ?? "",
      revision: fn.serviceConfig?.revision ?? null,
    };
  }

  private deployment(functionName: string, hash: string, config: PlatformConfig, ref: GoogleRef): Deployment {
    return {
      platform: "google",
      functionName,
      hash,
      config,
      ref: { ...ref },
      deployedAt: new Date(this.clock.now()).toISOString(),
    };
  }

  private context(clients: GoogleClients, project: string, options: ControlOptions): OperationContext {
    return {
      client: clients.functions,
      log: options.log,
      signal: options.signal,
      sleep: this.options.sleep ?? sleep,
      waitMs: (this.options.waitSeconds ?? 900) * 1000,
      pollMs: this.options.pollMs ?? 1000,
      project,
    };
  }
}
