import { ConfigError } from "./errors";
import { isPlatformName, shutdownPlatforms, unknownPlatformProblem, type PlatformChoice } from "./registry";
import { sessionPlatform, updateSettings, workspaceDir } from "./settings";
import { stopBuilder } from "./function/build";
import { closeAllServers } from "./serve/open-servers";

export { settingsVersion, sessionPlatform, workspaceDir } from "./settings";

export interface SessionOptions {
  /** Default platform for functions that do not name one (initially the registry's default). */
  platform?: PlatformChoice;
  /** Directory holding functions/ and faaslab.config.json (default: FAASLAB_WORKSPACE or the cwd). */
  workspace?: string;
}

/** Session defaults; later calls override earlier ones. Returns the effective settings. */
export function configure(options: SessionOptions): { platform: string | null; workspace: string } {
  const problems: string[] = [];
  if (options.platform !== undefined && !isPlatformName(options.platform)) {
    problems.push(unknownPlatformProblem(options.platform));
  }
  if (
    options.workspace !== undefined &&
    (typeof options.workspace !== "string" || options.workspace === "")
  ) {
    problems.push(`"workspace" must be a directory path`);
  }
  if (problems.length) throw new ConfigError(problems);
  updateSettings(options);
  return { platform: sessionPlatform(), workspace: workspaceDir() };
}

/** Stops every served endpoint, local instance, the bundler service and platform resources; functions stay deployed. */
export async function shutdown(): Promise<void> {
  await closeAllServers(); // first: their requests in flight still need the platforms
  await Promise.all([shutdownPlatforms(), stopBuilder()]);
}
