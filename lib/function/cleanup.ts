import * as path from "node:path";
import { ConfigError, FaasLabError, asFaasLabError } from "../errors";
import { defaultSignal } from "../interrupt-hook";
import type { Logger, PlatformConfig } from "../platform";
import { isPlatformName, platformWith, unknownPlatformProblem, type PlatformChoice } from "../registry";
import { sessionPlatform, workspaceDir } from "../settings";
import {
  listConfigs,
  listPlatform,
  mergeDeployed,
  platformsInUse,
  workspaceConfigOf,
  workspaceFunctions,
  type DeployedFunction,
  type DeployedFunctions,
  type ListProblem,
} from "./deployed";
import { removeDeployment } from "./deployer";

export type { DeployedFunction, DeployedFunctions, ListProblem } from "./deployed";

export interface ListDeployedOptions {
  /** Only this platform. Default: every platform the workspace uses (see listDeployed). */
  platform?: PlatformChoice;
  /** Only functions whose name starts with this. */
  prefix?: string;
  /** Default: the session's workspace (configure({ workspace }), FAASLAB_WORKSPACE, the cwd). */
  workspace?: string;
  /** Where `platform` lists (e.g. aws region, endpoint), over defaults and faaslab.config.json. */
  config?: PlatformConfig;
  signal?: AbortSignal;
  log?: Logger;
}

export interface RemoveAllOptions extends Omit<ListDeployedOptions, "platform"> {
  /** Required: cleaning up every platform at once is one flag too far. */
  platform: PlatformChoice;
}

export interface RemoveAllResult {
  removed: DeployedFunction[];
  /** Each with why; one failure never stops the others. */
  failed: { function: DeployedFunction; error: FaasLabError }[];
  /** Platforms that could not be listed: functions of theirs may have been missed. */
  problems: ListProblem[];
}

const quiet: Logger = () => undefined;

/**
 * What is deployed: the functions recorded in the workspace (functions/<name>/state.json, any
 * platform) merged with what each platform that can list reports — `platform`, else every platform
 * the workspace uses (its state files, faaslab.config.json, the session default). A platform lists
 * where `config` points, else where the workspace's default config and each of its functions'
 * configs point. A platform that cannot be asked (SDK missing, no credentials, …) is reported in
 * `problems`; the workspace's entries are still returned.
 */
export async function listDeployed(options: ListDeployedOptions = {}): Promise<DeployedFunctions> {
  check(options, false);
  const workspace = path.resolve(options.workspace ?? workspaceDir());
  const log = options.log ?? quiet;
  const signal = options.signal ?? defaultSignal();
  const problems: ListProblem[] = [];
  const workspaceConfig = workspaceConfigOf(workspace, problems);
  const recorded = workspaceFunctions(workspace).filter(
    (f) => options.platform === undefined || f.state.platform === options.platform,
  );
  const platforms = options.platform
    ? [options.platform]
    : platformsInUse(recorded, workspaceConfig, sessionPlatform());
  const results = await Promise.all(
    platforms.map((platform) =>
      listPlatform(platform, () => listConfigs(platform, workspaceConfig, recorded, options.config), {
        log,
        signal,
      }),
    ),
  );
  for (const result of results) problems.push(...result.problems);
  for (const problem of problems) log(`warning: ${problem.message}`);
  const prefix = options.prefix ?? "";
  const functions = mergeDeployed(
    recorded,
    results.flatMap((r) => r.listed),
  ).filter((f) => f.functionName.startsWith(prefix));
  return { functions, problems };
}

/**
 * Removes every function of `platform` (whose name starts with `prefix`) that listDeployed() finds:
 * through the platform, and its state.json where the workspace has one (logs and experiments stay).
 */
export async function removeAll(options: RemoveAllOptions): Promise<RemoveAllResult> {
  check(options, true);
  platformWith(options.platform, "remove", "remove");
  const signal = options.signal ?? defaultSignal();
  const { functions, problems } = await listDeployed({ ...options, signal });
  return { ...(await removeDeployed(functions, { ...options, signal })), problems };
}

/** Removes exactly these (e.g. what a user confirmed), one after the other. */
export async function removeDeployed(
  functions: DeployedFunction[],
  options: { workspace?: string; signal?: AbortSignal; log?: Logger },
): Promise<Omit<RemoveAllResult, "problems">> {
  const workspace = path.resolve(options.workspace ?? workspaceDir());
  const log = options.log ?? quiet;
  const signal = options.signal;
  const result: Omit<RemoveAllResult, "problems"> = { removed: [], failed: [] };
  for (const fn of functions) {
    if (signal?.aborted) {
      const error = new FaasLabError(`stopped before removing "${fn.functionName}"`, {
        code: "ABORTED",
        phase: "remove",
        platform: fn.platform,
        cause: signal.reason,
      });
      result.failed.push({ function: fn, error });
      continue;
    }
    try {
      const viaWorkspace =
        fn.stateFile !== null &&
        (await removeDeployment(fn.functionName, workspace, { log: options.log, signal }));
      if (!viaWorkspace) {
        log(`remove ${fn.functionName} from ${fn.platform}${fn.location ? ` (${fn.location})` : ""}`);
        await platformWith(fn.platform, "remove", "remove").remove(fn.deployment, { log, signal });
      }
      result.removed.push(fn);
    } catch (e) {
      const error = asFaasLabError(e, { code: "REMOVE_FAILED", phase: "remove", platform: fn.platform });
      log(`failed to remove ${fn.functionName}: ${error.message}`);
      result.failed.push({ function: fn, error });
    }
  }
  return result;
}

function check(options: ListDeployedOptions, platformRequired: boolean): void {
  const problems: string[] = [];
  if (options.platform === undefined) {
    if (platformRequired) problems.push(`"platform" is required: the platform to remove functions from`);
    if (options.config !== undefined) problems.push(`"config" needs a "platform" it is the config of`);
  } else if (!isPlatformName(options.platform)) {
    problems.push(unknownPlatformProblem(options.platform));
  }
  if (options.prefix !== undefined && typeof options.prefix !== "string") {
    problems.push(`"prefix" must be a string`);
  }
  if (
    options.workspace !== undefined &&
    (typeof options.workspace !== "string" || options.workspace === "")
  ) {
    problems.push(`"workspace" must be a directory path`);
  }
  if (problems.length) throw new ConfigError(problems);
}
