import { rmSync } from "node:fs";
import { asFaasLabError } from "../errors";
import type { ControlOptions, Deployment, PlatformConfig, PlatformName } from "../platform";
import { platformModule, platformWith } from "../registry";
import { buildAndDeploy, deployLog, reconfigureDeployment } from "./deploy-steps";
import { artifactHash, runtimeFingerprint } from "./hash";
import { fileLogger } from "./logger";
import { readState, writeState, type FunctionState } from "./state";
import { supersededError, type Claim, type DeployedEntry } from "./definitions";
import { withNameLock } from "./name-lock";
import { checkDeployment, unusableState, type FailedCheck } from "./verify";
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
const current = new Map<string, DeployedEntry>();

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
 * callers wait for the one deploy (or remove) in progress and then find it done. `claim` is the
 * definition asking: one that a later definition of the same name superseded never deploys.
 */
export async function ensureDeployed(
  prepared: Prepared,
  request: DeployRequest,
  claim: Claim | null = null,
): Promise<Deployment> {
  if (!request.force) {
    const fast = deployedFast(prepared);
    if (fast) return fast;
  }
  if (claim && !claim.mayDeploy()) return keptDeployment(prepared, request, claim);
  const key = stateKey(prepared.workspace, prepared.name);
  return withNameLock(key, () => deployLocked(prepared, request, claim));
}

/** A superseded definition runs on the deployment it already had, or not at all. */
function keptDeployment(prepared: Prepared, request: DeployRequest, claim: Claim): Deployment {
  const kept = claim.kept();
  if (!request.force && kept && kept.hash === prepared.hash && kept.configKey === prepared.configKey) {
    return kept.deployment;
  }
  throw supersededError(prepared.name, prepared.platform);
}

async function deployLocked(
  prepared: Prepared,
  request: DeployRequest,
  claim: Claim | null,
): Promise<Deployment> {
  // A newer definition may have deployed while this one waited for the lock.
  if (claim && !claim.mayDeploy()) return deployedFast(prepared) ?? keptDeployment(prepared, request, claim);
  const paths = functionPaths(prepared.name, prepared.workspace);
  const state = readState(paths.state);
  const key = stateKey(prepared.workspace, prepared.name);
  const sameArtifact = state && state.hash === prepared.hash && state.platform === prepared.platform;
  const configChanged = !state || stableKey(state.config) !== prepared.configKey;
  // A platform that cannot reconfigure gets a new deploy (or attach) for a config change.
  const canReconfigure = platformModule(prepared.platform).capabilities.includes("reconfigure");
  let damaged: FailedCheck | null = null;
  if (!request.force && sameArtifact && (!configChanged || canReconfigure || prepared.kind === "loaded")) {
    const check = await checkDeployment(prepared.name, prepared.platform, state.deployment, paths);
    if (check.status === "ok") {
      let deployment = state.deployment;
      if (configChanged) {
        const log = deployLog(prepared, "reconfigure", request.log);
        log(`reconfigure ${prepared.name} on ${prepared.platform}`);
        deployment = await reconfigureDeployment(prepared, state.deployment, { log, signal: request.signal });
        writeState(paths.state, { ...state, config: prepared.config, deployment });
      }
      return settle(key, prepared, deployment, claim);
    }
    damaged = check;
  }
  if (prepared.kind === "loaded") throw unusableState(prepared.name, prepared.platform, paths, damaged);
  const log = deployLog(prepared, "deploy", request.log);
  if (damaged) log(`the deployment in state.json is not usable: ${damaged.reason}`);
  const verb = prepared.kind === "external" ? "attach" : "deploy";
  log(
    `${verb} ${prepared.name} to ${prepared.platform} (hash ${prepared.hash.slice(0, 12)}${request.force ? ", forced" : ""})`,
  );
  try {
    const options = { log, signal: request.signal };
    const deployment = prepared.build
      ? await buildAndDeploy(prepared, prepared.build, options)
      : await platformWith(prepared.platform, "attach").attach(prepared.name, prepared.config, {
          ...options,
          dataDir: paths.platformData,
          logDir: paths.logs,
        });
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
    log(prepared.kind === "external" ? "attached" : "deployed");
    return settle(key, prepared, deployment, claim);
  } catch (e) {
    const error = asFaasLabError(e, { code: "DEPLOY_FAILED", phase: "deploy", platform: prepared.platform });
    log(`failed: ${error.message}`);
    throw error;
  }
}

/** `deployment` is the function's current one, and the asking definition's own. */
function settle(key: string, prepared: Prepared, deployment: Deployment, claim: Claim | null): Deployment {
  const entry = { hash: prepared.hash, configKey: prepared.configKey, deployment };
  current.set(key, entry);
  claim?.keep(entry);
  return deployment;
}

/**
 * Removes the deployment and state.json (logs and experiments stay), after any deploy in progress
 * and before any asked for later. Resolves false when nothing was deployed. A state.json that names
 * files outside the function's directories is deleted without following it.
 */
export function removeDeployment(
  name: string,
  workspace: string,
  options: Partial<ControlOptions> = {},
): Promise<boolean> {
  // Calls from now on wait for the remove instead of running on what it removes.
  forgetName(workspace, name);
  return withNameLock(stateKey(workspace, name), () => removeLocked(name, workspace, options));
}

async function removeLocked(
  name: string,
  workspace: string,
  options: Partial<ControlOptions>,
): Promise<boolean> {
  const paths = functionPaths(name, workspace);
  forgetName(workspace, name);
  const state = readState(paths.state);
  if (!state) return false;
  const log = fileLogger(paths.logs, "deploy.log", options.log);
  const check = await checkDeployment(name, state.platform, state.deployment, paths);
  if (check.status === "untrusted") {
    log(`remove ${name}: state.json is not followed (${check.reason}); deleting state.json only`);
    rmSync(paths.state, { force: true });
    return true;
  }
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

/** Drops `deployment` from the fast path (it was found gone), unless something else replaced it already. */
export function forgetDeployment(prepared: Prepared, deployment: Deployment): void {
  const key = stateKey(prepared.workspace, prepared.name);
  if (current.get(key)?.deployment === deployment) current.delete(key);
}

/** Nothing is deployed for `name` any more, as far as this process's fast path knows. */
function forgetName(workspace: string, name: string): void {
  current.delete(stateKey(workspace, name));
}

function stateKey(workspace: string, name: string): string {
  return `${workspace}\0${name}`;
}
