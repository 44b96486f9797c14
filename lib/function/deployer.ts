import { rmSync } from "node:fs";
import { FaasLabError, asFaasLabError } from "../errors";
import type { ControlOptions, Deployment, Logger, PlatformConfig, PlatformName } from "../platform";
import { platformModule, platformWith } from "../registry";
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
  /** Built from source here; loaded from state.json (reconfigurable, not rebuildable); or external. */
  kind: "source" | "loaded" | "external";
  /** The source to build; null when there is none here (loaded or external). */
  build: { source: string; dependencies: Record<string, string> } | null;
}

export interface DeployRequest extends Partial<ControlOptions> {
  force: boolean;
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

/** sha256 of everything that changes what is deployed; `source` null for a function faaslab does not build. */
export function hashFor(
  platform: PlatformName,
  source: string | null,
  dependencies: Record<string, string>,
  config: PlatformConfig,
): string {
  const module = platformModule(platform);
  const buildConfig = Object.fromEntries(module.buildKeys.map((k) => [k, config[k]]));
  return artifactHash({
    source: source ?? "",
    dependencies,
    runtime: source === null ? "external" : runtimeFingerprint(module.shimEntry),
    platform,
    // The esbuild target is not hashed: it follows from build keys (aws: runtime), or (local: the
    // kernel's Node) an older target's bundle still runs.
    buildConfig,
  });
}

/** The unchanged-call path: a map lookup and two string compares. */
export function deployedFast(prepared: Prepared): Deployment | null {
  const entry = current.get(stateKey(prepared.workspace, prepared.name));
  return entry && entry.hash === prepared.hash && entry.configKey === prepared.configKey
    ? entry.deployment
    : null;
}

/**
 * Deploys if the artifact or config changed (or `force`). Single-flight per function: concurrent
 * callers wait for the one deploy in progress and then find it done.
 */
export async function ensureDeployed(prepared: Prepared, request: DeployRequest): Promise<Deployment> {
  if (!request.force) {
    const fast = deployedFast(prepared);
    if (fast) return fast;
  }
  const key = stateKey(prepared.workspace, prepared.name);
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => deployLocked(prepared, request));
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

async function deployLocked(prepared: Prepared, request: DeployRequest): Promise<Deployment> {
  const paths = functionPaths(prepared.name, prepared.workspace);
  const state = readState(paths.state);
  const key = stateKey(prepared.workspace, prepared.name);
  const sameArtifact = state && state.hash === prepared.hash && state.platform === prepared.platform;
  const configChanged = !state || stableKey(state.config) !== prepared.configKey;
  // A platform that cannot reconfigure gets a new deploy (or attach) for a config change.
  const canReconfigure = platformModule(prepared.platform).capabilities.includes("reconfigure");
  if (!request.force && sameArtifact && (!configChanged || canReconfigure || prepared.kind === "loaded")) {
    let deployment = state.deployment;
    if (configChanged) {
      const log = deployLog(prepared, "reconfigure", request.log);
      log(`reconfigure ${prepared.name} on ${prepared.platform}`);
      deployment = await reconfigureDeployment(prepared, state.deployment, { log, signal: request.signal });
      writeState(paths.state, { ...state, config: prepared.config, deployment });
    }
    current.set(key, { hash: prepared.hash, configKey: prepared.configKey, deployment });
    return deployment;
  }
  if (prepared.kind === "loaded") {
    throw new FaasLabError(`"${prepared.name}" has no source here and its deployment changed or is gone`, {
      code: "NOT_DEPLOYED",
      phase: "deploy",
      platform: prepared.platform,
      hint: "run the cell that defines it with cloudFunction() to build and deploy it again",
    });
  }
  const log = deployLog(prepared, "deploy", request.log);
  const verb = prepared.kind === "external" ? "attach" : "deploy";
  log(
    `${verb} ${prepared.name} to ${prepared.platform} (hash ${prepared.hash.slice(0, 12)}${request.force ? ", forced" : ""})`,
  );
  try {
    const options = { log, signal: request.signal };
    const deployment = prepared.build
      ? await buildAndDeploy(prepared, prepared.build, options)
      : await platformWith(prepared.platform, "attach").attach(prepared.name, prepared.config, options);
    const next: FunctionState = {
      version: 1,
      name: prepared.name,
      platform: prepared.platform,
      hash: prepared.hash,
      config: prepared.config,
      deployment,
      deployedAt: deployment.deployedAt,
      source: prepared.build?.source ?? null,
      dependencies: prepared.build?.dependencies ?? {},
    };
    writeState(paths.state, next);
    current.set(key, { hash: prepared.hash, configKey: prepared.configKey, deployment });
    log(prepared.kind === "external" ? "attached" : "deployed");
    return deployment;
  } catch (e) {
    const error = asFaasLabError(e, { code: "DEPLOY_FAILED", phase: "deploy", platform: prepared.platform });
    log(`failed: ${error.message}`);
    throw error;
  }
}

async function buildAndDeploy(
  prepared: Prepared,
  build: NonNullable<Prepared["build"]>,
  options: ControlOptions,
): Promise<Deployment> {
  const { log, signal } = options;
  const paths = functionPaths(prepared.name, prepared.workspace);
  const module = platformModule(prepared.platform);
  const platform = platformWith(prepared.platform, "deploy");
  if (module.shimEntry === null) throw new Error(`platform "${module.name}" declares deploy but has no shim`);
  const checked = checkSource(prepared.name, build.source);
  const nodePaths = await installDependencies(prepared.name, paths.deps, build.dependencies, log, signal);
  const artifact = await buildArtifact({
    functionName: prepared.name,
    hash: prepared.hash,
    checked,
    shimEntry: module.shimEntry,
    target: module.buildTarget(prepared.config),
    paths,
    nodePaths,
    workspace: prepared.workspace,
    log,
  });
  signal?.throwIfAborted();
  return platform.deploy(artifact, prepared.config, {
    log,
    signal,
    dataDir: paths.platformData,
    logDir: paths.logs,
  });
}

async function reconfigureDeployment(
  prepared: Prepared,
  deployment: Deployment,
  options: ControlOptions,
): Promise<Deployment> {
  try {
    return await platformWith(prepared.platform, "reconfigure").reconfigure(
      deployment,
      prepared.config,
      options,
    );
  } catch (e) {
    throw asFaasLabError(e, { code: "RECONFIGURE_FAILED", phase: "deploy", platform: prepared.platform });
  }
}

/**
 * Removes the deployment and state.json (logs and experiments stay). Resolves false when nothing
 * was deployed.
 */
export async function removeDeployment(
  name: string,
  workspace: string,
  options: Partial<ControlOptions> = {},
): Promise<boolean> {
  const paths = functionPaths(name, workspace);
  const state = readState(paths.state);
  current.delete(stateKey(workspace, name));
  if (!state) return false;
  const log = fileLogger(paths.logs, "deploy.log", options.log);
  log(`remove ${name} from ${state.platform}`);
  try {
    await platformWith(state.platform, "remove", "remove").remove(state.deployment, {
      log,
      signal: options.signal,
    });
  } catch (e) {
    const error = asFaasLabError(e, { code: "REMOVE_FAILED", phase: "remove", platform: state.platform });
    log(`failed: ${error.message}`);
    throw error;
  }
  rmSync(paths.state, { force: true });
  log(`removed from ${state.platform}`);
  return true;
}

export function forgetDeployment(name: string, workspace: string): void {
  current.delete(stateKey(workspace, name));
}

/** Written to logs/deploy.log, streamed into the running cell inside a notebook, and to the caller's log. */
function deployLog(prepared: Prepared, what: string, extra?: Logger): Logger {
  const paths = functionPaths(prepared.name, prepared.workspace);
  const display = openLogDisplay(`${what} ${prepared.name} → ${prepared.platform}`);
  const echo: Logger | undefined =
    display && extra ? (line) => (display(line), extra(line)) : (display ?? extra);
  return fileLogger(paths.logs, "deploy.log", echo);
}

function stateKey(workspace: string, name: string): string {
  return `${workspace}\0${name}`;
}
