import { readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../paths";
import { registeredDefaultsFile } from "../registry";

/**
 * platforms/<name>/defaults.json, read once per process: the platform's knobs (config layer 0) and,
 * under `prices`, its dated price table (data for the cost model, not a knob). The only reader.
 */
export interface PlatformDefaults {
  knobs: Record<string, unknown>;
  /** The raw `prices` object, unchecked (lib/stats/prices.ts checks it); undefined when absent. */
  prices: unknown;
  file: string;
}

const cache = new Map<string, PlatformDefaults>();

export function defaultsFile(platform: string): string {
  return registeredDefaultsFile(platform) ?? path.join(packageRoot(), "platforms", platform, "defaults.json");
}

/** Throws the fs error (ENOENT for a folder without defaults) or a SyntaxError for bad JSON. */
export function readPlatformDefaults(platform: string): PlatformDefaults {
  let defaults = cache.get(platform);
  if (!defaults) {
    const file = defaultsFile(platform);
    const { prices, ...knobs } = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    defaults = { knobs, prices, file };
    cache.set(platform, defaults);
  }
  return defaults;
}
