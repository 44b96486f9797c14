import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../paths";
import type { PlatformConfig } from "../platform";

/** Everything that changes the artifact. Config that does not (memory, timeout) is not here. */
export interface HashInputs {
  source: string;
  dependencies: Record<string, string>;
  runtime: string;
  platform: string;
  buildConfig: PlatformConfig;
}

export function artifactHash(inputs: HashInputs): string {
  const text = JSON.stringify([
    inputs.platform,
    inputs.runtime,
    inputs.source,
    sortedEntries(inputs.dependencies),
    sortedEntries(inputs.buildConfig),
  ]);
  return createHash("sha256").update(text).digest("hex");
}

function sortedEntries(record: Record<string, unknown>): [string, unknown][] {
  return Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => [key, canonical(value)]);
}

/** Nested objects (a build option that is a map) are hashed with their keys sorted too. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(sortedEntries(value as Record<string, unknown>));
  }
  return value;
}

const fingerprints = new Map<string, string>();

/**
 * Version of the code bundled around the user function: the package version plus the content of the
 * runtime and the platform shim, so upgrading faaslab (or editing the shim) rebuilds functions.
 */
export function runtimeFingerprint(shimEntry: string | null): string {
  const key = shimEntry ?? "";
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    const hash = createHash("sha256");
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
      version: string;
    };
    hash.update(pkg.version);
    const runtimeDir = path.join(__dirname, "..", "runtime");
    const shimDirs = shimEntry ? [path.dirname(shimEntry), path.dirname(path.dirname(shimEntry))] : [];
    for (const dir of [runtimeDir, ...shimDirs]) {
      for (const file of readdirSync(dir).sort()) {
        if (/\.(js|ts)$/.test(file) && !file.endsWith(".d.ts"))
          hash.update(readFileSync(path.join(dir, file)));
      }
    }
    fingerprint = `${pkg.version}+${hash.digest("hex").slice(0, 16)}`;
    fingerprints.set(key, fingerprint);
  }
  return fingerprint;
}
