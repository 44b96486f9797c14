import { DeleteFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
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
import { ClientPool, type ClientOptions } from "./clients";
import {
  NONCE_VARIABLE,
  awsConfig,
  awsRef,
  configurationInput,
  requireRole,
  urlMode,
  type AwsRef,
} from "./config";
import { createOrUpdate, updateConfiguration, type DeployContext } from "./deploy";
import { deployError, isNotFound, operationError, packageTooLarge } from "./errors";
import { syncFunctionUrl } from "./function-url";
import { invokeFunction } from "./invoke";
import { listError, listFaasLabFunctions, listedFunction } from "./list";
import { CONFLICT_BACKOFF, ROLE_BACKOFF, THROTTLE_BACKOFF, sleep, type Backoff, type Sleep } from "./retry";
import { DIRECT_UPLOAD_LIMIT_BYTES, zipArtifact } from "./zip";

/** Tunables of the adapter itself (not of the function): tests shorten the waits. */
export interface AwsPlatformOptions extends ClientOptions {
  sleep?: Sleep;
  throttleBackoff?: Backoff;
  roleBackoff?: Backoff;
  conflictBackoff?: Backoff;
  /** Longest wait for a function to become Active / finish an update, in seconds (default 300). */
  waitSeconds?: number;
  /** Largest zip sent directly (default: Lambda's 50 MB). */
  maxZipBytes?: number;
  /** Timestamps (deployedAt); from the platform context. */
  clock?: Clock;
}

const quiet: Logger = () => undefined;

/** AWS Lambda through @aws-sdk/client-lambda. One instance per process owns the clients. */
export class AwsPlatform implements Platform {
  readonly name = "aws" as const;
  private readonly clients: ClientPool;

  constructor(private readonly options: AwsPlatformOptions = {}) {
    this.clients = new ClientPool(options);
  }

  async deploy(artifact: Artifact, platformConfig: PlatformConfig, options: DeployOptions) {
    const { log, signal } = options;
    const config = awsConfig(platformConfig);
    requireRole(config);
    const lambdaName = artifact.functionName;
    const zip = zipArtifact(readFileSync(artifact.path));
    const limit = this.options.maxZipBytes ?? DIRECT_UPLOAD_LIMIT_BYTES;
    if (zip.byteLength > limit)
      throw packageTooLarge(zip.byteLength, `${limit} bytes at most in a direct upload`);
    try {
      const { control, region } = await this.clients.get(config.region, config.endpoint);
      log(`aws: deploy ${lambdaName} to ${region}${config.endpoint ? ` at ${config.endpoint}` : ""}`);
      const ctx = this.context(control, log, signal);
      const { functionArn, created } = await createOrUpdate(ctx, lambdaName, config, zip);
      const mode = urlMode(config.functionUrl);
      const functionUrl = await syncFunctionUrl(ctx, lambdaName, mode, created ? "off" : "unknown");
      const ref: AwsRef = { lambdaName, functionArn, region, endpoint: config.endpoint, functionUrl };
      log(`aws: ${lambdaName} is ready${functionArn ? ` (${functionArn})` : ""}`);
      return this.deployment(artifact.functionName, artifact.hash, platformConfig, ref);
    } catch (e) {
      signal?.throwIfAborted();
      throw deployError(e, lambdaName, zip.byteLength);
    }
  }

  /** UpdateFunctionConfiguration only (no code upload), then wait until Lambda has applied it. */
  async reconfigure(
    current: Deployment,
    platformConfig: PlatformConfig,
    options: ControlOptions = { log: quiet },
  ): Promise<Deployment> {
    const config = awsConfig(platformConfig);
    const ref = awsRef(current.ref);
    try {
      const ctx = await this.contextFor(ref, options);
      const functionArn = await updateConfiguration(ctx, configurationInput(ref.lambdaName, config));
      const previous = urlMode(awsConfig(current.config).functionUrl);
      const mode = urlMode(config.functionUrl);
      const functionUrl =
        mode === previous ? ref.functionUrl : await syncFunctionUrl(ctx, ref.lambdaName, mode, previous);
      const next: AwsRef = { ...ref, functionArn: functionArn ?? ref.functionArn, functionUrl };
      return {
        ...this.deployment(current.functionName, current.hash, platformConfig, next),
        deployedAt: current.deployedAt,
      };
    } catch (e) {
      throw operationError(e, "deploy", "reconfiguring", ref.lambdaName);
    }
  }

  async invoke(current: Deployment, payload: unknown, opts?: InvokeOptions): Promise<RawInvocation> {
    const ref = awsRef(current.ref);
    const { invoke } = await this.clients.get(ref.region, ref.endpoint);
    const backoff = this.options.throttleBackoff ?? THROTTLE_BACKOFF;
    const raw = await invokeFunction(
      { client: invoke, sleep: this.options.sleep ?? sleep, backoff },
      ref.lambdaName,
      payload,
      opts,
    );
    return { ...raw, cpuAllocated: lambdaCpuShare(current.config.memory) };
  }

  /** DeleteFunction (its URL goes with it); a function that is already gone is fine. */
  async remove(current: Deployment, options: ControlOptions = { log: quiet }): Promise<void> {
    const ref = awsRef(current.ref);
    try {
      const { control } = await this.clients.get(ref.region, ref.endpoint);
      options.log(`aws: delete ${ref.lambdaName} in ${ref.region}`);
      await control.send(new DeleteFunctionCommand({ FunctionName: ref.lambdaName }), {
        abortSignal: options.signal,
      });
    } catch (e) {
      if (isNotFound(e)) return;
      throw operationError(e, "remove", "deleting", ref.lambdaName);
    }
  }

  /** ListFunctions (every page) where the config points, keeping the functions faaslab deployed. */
  async list(
    platformConfig: PlatformConfig,
    options: ControlOptions = { log: quiet },
  ): Promise<ListedFunction[]> {
    const config = awsConfig(platformConfig);
    const at = config.endpoint ? ` at ${config.endpoint}` : "";
    let where = `${config.region ?? "the default region"}${at}`;
    try {
      const { control, region } = await this.clients.get(config.region, config.endpoint);
      where = `${region}${at}`;
      options.log(`aws: list the functions faaslab deployed in ${where}`);
      const found = await listFaasLabFunctions(control, options.signal);
      const location = { region, endpoint: config.endpoint };
      return found.map((fn) => listedFunction(fn, location, platformConfig));
    } catch (e) {
      options.signal?.throwIfAborted();
      throw listError(e, where);
    }
  }

  /** SeBS's technique: a new environment nonce makes Lambda start new execution environments. */
  async forceColdStart(current: Deployment, options: ControlOptions = { log: quiet }): Promise<void> {
    const ref = awsRef(current.ref);
    const config = awsConfig(current.config);
    const nonce = `${this.clock.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      const ctx = await this.contextFor(ref, options);
      options.log(`aws: new environment nonce for ${ref.lambdaName}: the next calls start new environments`);
      await updateConfiguration(ctx, {
        FunctionName: ref.lambdaName,
        Environment: { Variables: { ...config.environment, [NONCE_VARIABLE]: nonce } },
      });
    } catch (e) {
      throw operationError(e, "deploy", "forcing a cold start of", ref.lambdaName);
    }
  }

  async shutdown(): Promise<void> {
    this.clients.destroy();
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  private async contextFor(ref: AwsRef, options: ControlOptions): Promise<DeployContext> {
    const { control } = await this.clients.get(ref.region, ref.endpoint);
    return this.context(control, options.log, options.signal);
  }

  private deployment(functionName: string, hash: string, config: PlatformConfig, ref: AwsRef): Deployment {
    return {
      platform: "aws",
      functionName,
      hash,
      config,
      ref: { ...ref },
      deployedAt: new Date(this.clock.now()).toISOString(),
    };
  }

  private context(client: LambdaClient, log: Logger, signal?: AbortSignal): DeployContext {
    return {
      client,
      log,
      signal,
      sleep: this.options.sleep ?? sleep,
      roleBackoff: this.options.roleBackoff ?? ROLE_BACKOFF,
      conflictBackoff: this.options.conflictBackoff ?? CONFLICT_BACKOFF,
      waitSeconds: this.options.waitSeconds ?? 300,
    };
  }
}

/** Lambda gives CPU in proportion to memory: 1,769 MB buys one vCPU (AWS docs), up to 6 at 10,240 MB. */
export function lambdaCpuShare(memoryMb: unknown): number | null {
  if (typeof memoryMb !== "number" || !(memoryMb > 0)) return null;
  return Math.round(Math.min(memoryMb / 1769, 6) * 1000) / 1000;
}
