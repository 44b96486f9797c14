import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { resolveConfig } from "../../../lib/config/layers";
import type { Artifact, DeployOptions, PlatformConfig } from "../../../lib/platform";
import { GooglePlatform, type GooglePlatformOptions } from "../../../platforms/google";
import { PROJECT, REGION } from "./stand-in";

/** The google config a user gets from defaults.json plus overrides (validated as in real use). */
export function googleConfig(endpoint: string | null, overrides: PlatformConfig = {}): PlatformConfig {
  return resolveConfig("google", {}, { project: PROJECT, region: REGION, endpoint, ...overrides }, undefined);
}

/** A platform whose waits are instant (recorded), polling fast. */
export function testPlatform(options: GooglePlatformOptions = {}): {
  platform: GooglePlatform;
  sleeps: number[];
} {
  const sleeps: number[] = [];
  const platform = new GooglePlatform({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    pollMs: 10,
    ...options,
  });
  return { platform, sleeps };
}

/** A bundle file in a temp directory (removed by the returned cleanup). */
export function artifactFile(
  functionName: string,
  text = "exports.faaslab = () => {};\n",
): { artifact: Artifact; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "google-artifact-"));
  const file = path.join(dir, "bundle.js");
  writeFileSync(file, text);
  return {
    artifact: { functionName, hash: "h1", path: file, bytes: text.length },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function deployOptions(lines: string[] = []): DeployOptions {
  return { log: (line) => lines.push(line), dataDir: tmpdir(), logDir: tmpdir() };
}
