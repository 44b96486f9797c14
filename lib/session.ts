import * as path from "node:path";
import { ConfigError } from "./errors";
import type { PlatformName } from "./platform";
import { isPlatformName, shutdownPlatforms } from "./registry";
import { stopBuilder } from "./function/build";

export interface SessionOptions {
  /** Default platform for functions that do not name one (initially "local"). */
  platform?: PlatformName;
  /** Directory holding functions/ and faaslab.config.json (default: FAASLAB_WORKSPACE or the cwd). */
  workspace?: string;
}

const settings: { platform: PlatformName | null; workspace: string | null } = {
  platform: null,
  workspace: null,
};
let version = 0;

/** Bumped by every configure(): cached per-function decisions depending on settings are redone. */
export function settingsVersion(): number {
  return version;
}

/** Session defaults; later calls override earlier ones. Returns the effective settings. */
export function configure(options: SessionOptions): { platform: PlatformName | null; workspace: string } {
  const problems: string[] = [];
  if (options.platform !== undefined && !isPlatformName(options.platform)) {
    problems.push(
      `"platform" must be one of local, aws, google, http; got ${JSON.stringify(options.platform)}`,
    );
  }
  if (
    options.workspace !== undefined &&
    (typeof options.workspace !== "string" || options.workspace === "")
  ) {
    problems.push(`"workspace" must be a directory path`);
  }
  if (problems.length) throw new ConfigError(problems);
  if (options.platform !== undefined) settings.platform = options.platform;
  if (options.workspace !== undefined) settings.workspace = path.resolve(options.workspace);
  version += 1;
  return { platform: settings.platform, workspace: workspaceDir() };
}

export function sessionPlatform(): PlatformName | null {
  return settings.platform;
}

export function workspaceDir(): string {
  return settings.workspace ?? path.resolve(process.env.FAASLAB_WORKSPACE || process.cwd());
}

/** Stops every local instance, the bundler service and platform resources; functions stay deployed. */
export async function shutdown(): Promise<void> {
  await Promise.all([shutdownPlatforms(), stopBuilder()]);
}
