import { FaasLabError, asFaasLabError } from "../errors";
import type { Deployment, PlatformConfig, PlatformName } from "../platform";
import { platformFor, platformModule } from "../registry";
import { buildArtifact } from "./build";
import { installDependencies } from "./deps";
import { artifactHash, runtimeFingerprint } from "./hash";
import { fileLogger } from "./logger";
import { checkSource } from "./source";
import { openLogDisplay } from "../display";
import { readState, writeState, type FunctionState } from "./state";
import { functionPaths } from "./workspace";

/** Everything that decides what gets deployed, computed once per (handle, config version). */
export interface Prepared {
  name: string;
  platform: PlatformName;
  config: PlatformConfig;
  configKey: string;
  hash: string;
  workspace: string;
  /** null for a function loaded from state.json (no source: it can be reconfigured, not rebuilt). */
  build: { source: string; dependencies: Record<string, string> } | null;
}

/** What is deployed right now, per function name, in this process: the fast path needs no disk. */
const current = new Map<string, { hash: string; configKey: string; deployment: Deployment }>();
const locks = new Map<string, Promise<unknown>>();

export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export function hashFor(
  platform: PlatformName,
  source: string,
  dependencies: Record<string, string>,
  config: PlatformConfig,
): string {
  const module = platformModule(platform);
  const buildConfig = Object.fromEntries(module.buildKeys.map((k) => [k, config[k]]));
  return artifactHash({
    source,
    dependencies,
    runtime: runtimeFingerprint(module.shimEntry),
    platform,
    buildConfig,
  });
}

/** The unchanged-call path: a map lookup and two string compares. */
export function deployedFast(prepared: Prepared): Deployment | null {
  const entry = current.get(stateKey(prepared));
  return entry && entry.hash === prepared.hash && entry.configKey === prepared.configKey
    ? entry.deployment
    : null;
}

/**
 * Deploys if the artifact or config changed (or `force`). Single-flight per function: concurrent
 * callers wait for the one deploy in progress and then find it done.
 */
export async function ensureDeployed(
  prepared: Prepared,
  force: boolean,
  signal?: AbortSignal,
): Promise<Deployment> {
  if (!force) {
    const fast = deployedFast(prepared);
    if (fast) return fast;
  }
  const key = stateKey(prepared);
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => deployLocked(prepared, force, signal));
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

async function deployLocked(prepared: Prepared, force: boolean, signal?: AbortSignal): Promise<Deployment> {
  const paths = functionPaths(prepared.name, prepared.workspace);
  const state = readState(paths.state);
  const platform = platformFor(prepared.platform);
  const key = stateKey(prepared);
  if (!force && state && state.hash === prepared.hash && state.platform === prepared.platform) {
    let deployment = state.deployment;
    if (stableKey(state.config) !== prepared.configKey) {
      deployment = await platform.reconfigure(state.deployment, prepared.config).catch((e: unknown) => {
        throw asFaasLabError(e, { code: "RECONFIGURE_FAILED", phase: "deploy", platform: prepared.platform });
      });
      writeState(paths.state, { ...state, config: prepared.config, deployment });
    }
    current.set(key, { hash: prepared.hash, configKey: prepared.configKey, deployment });
    return deployment;
  }
  if (!prepared.build) {
    throw new FaasLabError(`"${prepared.name}" has no source here and its deployment changed or is gone`, {
      code: "NOT_DEPLOYED",
      phase: "deploy",
      platform: prepared.platform,
      hint: "run the cell that defines it with cloudFunction() to build and deploy it again",
    });
  }
  // Written to logs/deploy.log, and streamed into the running cell inside a notebook.
  const log = fileLogger(
    paths.logs,
    "deploy.log",
    openLogDisplay(`deploy ${prepared.name} → ${prepared.platform}`),
  );
  log(
    `deploy ${prepared.name} to ${prepared.platform} (hash ${prepared.hash.slice(0, 12)}${force ? ", forced" : ""})`,
  );
  try {
    const module = platformModule(prepared.platform);
    const checked = checkSource(prepared.name, prepared.build.source);
    const nodePaths = await installDependencies(
      prepared.name,
      paths.deps,
      prepared.build.dependencies,
      log,
      signal,
    );
    const artifact = await buildArtifact({
      functionName: prepared.name,
      hash: prepared.hash,
      checked,
      shimEntry: module.shimEntry,
      paths,
      nodePaths,
      workspace: prepared.workspace,
      log,
    });
    signal?.throwIfAborted();
    const deployment = await platform.deploy(artifact, prepared.config, log, signal);
    const next: FunctionState = {
      version: 1,
      name: prepared.name,
      platform: prepared.platform,
      hash: prepared.hash,
      config: prepared.config,
      deployment,
      deployedAt: deployment.deployedAt,
      source: prepared.build.source,
      dependencies: prepared.build.dependencies,
    };
    writeState(paths.state, next);
    current.set(key, { hash: prepared.hash, configKey: prepared.configKey, deployment });
    log(`deployed`);
    return deployment;
  } catch (e) {
    const error = asFaasLabError(e, { code: "DEPLOY_FAILED", phase: "deploy", platform: prepared.platform });
    log(`failed: ${error.message}`);
    throw error;
  }
}

/** Removes the deployment and state.json (logs and experiments stay). */
export async function removeDeployment(name: string, workspace: string): Promise<boolean> {
  const paths = functionPaths(name, workspace);
  const key = `${workspace}\0${name}`;
  const state = readState(paths.state);
  current.delete(key);
  if (!state) return false;
  await platformFor(state.platform).remove(state.deployment);
  const { rmSync } = await import("node:fs");
  rmSync(paths.state, { force: true });
  fileLogger(paths.logs, "deploy.log")(`removed from ${state.platform}`);
  return true;
}

export function forgetDeployment(name: string, workspace: string): void {
  current.delete(`${workspace}\0${name}`);
}

function stateKey(prepared: Prepared): string {
  return `${prepared.workspace}\0${prepared.name}`;
}
