import { readdirSync } from "node:fs";
import { buildConfigOf, readWorkspaceConfig, resolveConfig, type WorkspaceConfig } from "../config/layers";
import { asFaasLabError, type FaasLabError } from "../errors";
import type { Deployment, ListedFunction, Logger, PlatformConfig, PlatformName } from "../platform";
import { isPlatformName, platformModule, platformWith } from "../registry";
import { stableKey } from "./deployer";
import { readState, type FunctionState } from "./state";
import { functionPaths, functionsRoot } from "./workspace";

/** One deployed function, as listDeployed() found it. */
export interface DeployedFunction {
  functionName: string;
  platform: PlatformName;
  /** The platform's name for it (e.g. the Lambda function name). */
  resourceName: string;
  /** Region, endpoint or directory as the platform reported it; null when it was not listed. */
  location: string | null;
  deployedAt: string | null;
  /**
   * "workspace": a state.json only (the platform cannot list, could not be asked, or no longer has
   * it); "platform": only the platform's list (e.g. the workspace that deployed it is gone); "both".
   */
  foundIn: "workspace" | "platform" | "both";
  /** The function's state.json; null when only the platform reported it. */
  stateFile: string | null;
  /** What remove() needs. */
  deployment: Deployment;
}

/** A platform (or the workspace config) that could not be asked: its functions may be missing. */
export interface ListProblem {
  /** null: a problem of the workspace itself (e.g. an unreadable faaslab.config.json). */
  platform: PlatformName | null;
  message: string;
  error: FaasLabError;
}

export interface DeployedFunctions {
  functions: DeployedFunction[];
  problems: ListProblem[];
}

/** A function recorded in the workspace (functions/<name>/state.json). */
export interface WorkspaceFunction {
  name: string;
  stateFile: string;
  state: FunctionState;
}

export function workspaceFunctions(workspace: string): WorkspaceFunction[] {
  let names: string[];
  try {
    names = readdirSync(functionsRoot(workspace), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const stateFile = functionPaths(name, workspace).state;
    let state: FunctionState | null;
    try {
      state = readState(stateFile);
    } catch {
      state = null; // a folder in state.json's place: nothing is recorded there (deploying it says so)
    }
    return state ? [{ name, stateFile, state }] : [];
  });
}

/**
 * The platforms a workspace uses: those of its state files, the platform and the platform sections
 * of faaslab.config.json, and the session's default.
 */
export function platformsInUse(
  functions: WorkspaceFunction[],
  config: WorkspaceConfig,
  sessionDefault: string | null,
): string[] {
  const named = [
    ...functions.map((f) => f.state.platform),
    config.platform,
    ...Object.keys(config).filter((key) => key !== "platform" && isPlatformName(key)),
    sessionDefault,
  ];
  return [...new Set(named.filter((name): name is string => typeof name === "string"))];
}

/**
 * Where to list a platform: the given config, else the workspace's default (defaults.json <
 * faaslab.config.json) and every config its functions were deployed with, one per distinct set of
 * build keys (a platform's build keys include where a function lives, e.g. aws region and endpoint).
 */
export function listConfigs(
  platform: string,
  workspaceConfig: WorkspaceConfig,
  functions: WorkspaceFunction[],
  given: PlatformConfig | undefined,
): PlatformConfig[] {
  if (given) return [resolveConfig(platform, workspaceConfig, given, undefined)];
  const configs = [
    resolveConfig(platform, workspaceConfig, undefined, undefined),
    ...functions.filter((f) => f.state.platform === platform).map((f) => f.state.config),
  ];
  const byPlace = new Map(configs.map((c) => [stableKey(buildConfigOf(platform, c)), c]));
  return [...byPlace.values()];
}

/** Asks a platform that can list, at each config; a failure becomes a problem, never an exception. */
export async function listPlatform(
  platform: string,
  configs: () => PlatformConfig[],
  options: { log: Logger; signal?: AbortSignal },
): Promise<{ listed: ListedFunction[]; problems: ListProblem[] }> {
  const problems: ListProblem[] = [];
  const fail = (e: unknown) => {
    const error = asFaasLabError(e, { code: "LIST_FAILED", phase: "list", platform });
    problems.push({ platform, message: error.message, error });
  };
  let places: PlatformConfig[];
  try {
    if (!platformModule(platform).capabilities.includes("list")) return { listed: [], problems };
    places = configs();
  } catch (e) {
    fail(e);
    return { listed: [], problems };
  }
  const results = await Promise.all(
    places.map(async (config) => {
      try {
        return await platformWith(platform, "list", "list").list(config, options);
      } catch (e) {
        options.signal?.throwIfAborted();
        fail(e);
        return [];
      }
    }),
  );
  const unique = new Map(results.flat().map((l) => [`${l.resourceName}\0${l.location ?? ""}`, l]));
  return { listed: [...unique.values()], problems };
}

/** Workspace entries and listed ones, merged where they are the same function. */
export function mergeDeployed(workspace: WorkspaceFunction[], listed: ListedFunction[]): DeployedFunction[] {
  const entries: DeployedFunction[] = workspace.map((f) => ({
    functionName: f.name,
    platform: f.state.platform,
    resourceName: resourceNameOf(f.state.platform, f.name),
    location: null,
    deployedAt: f.state.deployedAt,
    foundIn: "workspace",
    stateFile: f.stateFile,
    deployment: f.state.deployment,
  }));
  for (const l of listed) {
    const match = entries.find(
      (e) =>
        e.foundIn === "workspace" &&
        e.platform === l.platform &&
        e.resourceName === l.resourceName &&
        sameRefs(e.deployment.ref, l.deployment.ref),
    );
    if (match) {
      match.foundIn = "both";
      match.location = l.location;
      continue;
    }
    entries.push({
      functionName: l.functionName,
      platform: l.platform,
      resourceName: l.resourceName,
      location: l.location,
      deployedAt: l.deployedAt,
      foundIn: "platform",
      stateFile: null,
      deployment: l.deployment,
    });
  }
  return entries.sort((a, b) => compare(order(a), order(b)));
}

/** The same remote function: every id both refs know (non-null scalars under the same key) agrees. */
function sameRefs(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const known = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  return Object.entries(a).every(([key, value]) => !known(value) || !known(b[key]) || value === b[key]);
}

function resourceNameOf(platform: string, name: string): string {
  try {
    return platformModule(platform).resourceName(name);
  } catch {
    return name; // the platform is unavailable here: its name for the function is unknown
  }
}

function order(entry: DeployedFunction): string[] {
  return [entry.platform, entry.functionName, entry.location ?? ""];
}

function compare(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** The workspace config, or a problem saying why it cannot be read. */
export function workspaceConfigOf(workspace: string, problems: ListProblem[]): WorkspaceConfig {
  try {
    return readWorkspaceConfig(workspace);
  } catch (e) {
    const error = asFaasLabError(e, { code: "INVALID_CONFIG", phase: "config" });
    problems.push({ platform: null, message: error.message, error });
    return {};
  }
}
