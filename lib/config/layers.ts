import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../errors";
import type { PlatformConfig, PlatformName } from "../platform";
import { platformModule } from "../registry";
import { readPlatformDefaults } from "./defaults";
import { validateConfig } from "./schema";

export const WORKSPACE_CONFIG_FILE = "faaslab.config.json";

/** The workspace file: `{ "platform": "local", "local": { "memory": 1024 }, "aws": { … } }`. */
export interface WorkspaceConfig {
  platform?: string;
  [section: string]: unknown;
}

/** Keys whose values are objects merged key by key across layers (the rest are replaced). */
const DEEP_KEYS = new Set(["environment"]);

export function platformDefaults(platform: PlatformName): PlatformConfig {
  // A copy: configs built from it are handed to users and platforms, who may change them.
  return structuredClone(readPlatformDefaults(platform).knobs);
}

export function readWorkspaceConfig(workspace: string): WorkspaceConfig {
  const file = path.join(workspace, WORKSPACE_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as WorkspaceConfig;
  } catch (e) {
    throw new ConfigError(
      [`${file} is not a JSON object (${(e as Error).message})`],
      undefined,
      "fix or delete it",
    );
  }
}

export function mergeLayers(...layers: (PlatformConfig | undefined)[]): PlatformConfig {
  const merged: PlatformConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue; // `{ memory: undefined }` means "not set here"
      const previous = merged[key];
      merged[key] =
        DEEP_KEYS.has(key) && isPlainObject(previous) && isPlainObject(value)
          ? { ...previous, ...value }
          : value;
    }
  }
  return merged;
}

/**
 * defaults.json < workspace faaslab.config.json < cloudFunction options < reconfigure, validated as a
 * whole: every problem is listed, nothing is clamped.
 */
export function resolveConfig(
  platform: PlatformName,
  workspace: WorkspaceConfig,
  options: PlatformConfig | undefined,
  reconfigured: PlatformConfig | undefined,
): PlatformConfig {
  const schema = platformModule(platform).schema;
  const section = workspace[platform];
  const workspaceLayer = isPlainObject(section) ? section : undefined;
  const config = mergeLayers(platformDefaults(platform), workspaceLayer, options, reconfigured);
  const problems = validateConfig(schema, config);
  if (section !== undefined && !workspaceLayer) {
    const got = JSON.stringify(section);
    problems.unshift(
      `"${platform}" in ${WORKSPACE_CONFIG_FILE} must be an object of ${platform} settings, got ${got}`,
    );
  }
  if (problems.length) {
    throw new ConfigError(
      problems,
      platform,
      `see platforms/${platform}/README.md for every knob and its range`,
    );
  }
  return config;
}

/** The part of a config that changes the artifact (the rest is applied with reconfigure). */
export function buildConfigOf(platform: PlatformName, config: PlatformConfig): PlatformConfig {
  return Object.fromEntries(platformModule(platform).buildKeys.map((key) => [key, config[key]]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
