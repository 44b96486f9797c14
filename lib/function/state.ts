import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileSystemError } from "../fs-errors";
import type { Deployment, PlatformConfig, PlatformName } from "../platform";

export const STATE_VERSION = 1;

/** functions/<name>/state.json: what is deployed, so any process can call it without the source. */
export interface FunctionState {
  version: typeof STATE_VERSION;
  name: string;
  platform: PlatformName;
  hash: string;
  config: PlatformConfig;
  deployment: Deployment;
  deployedAt: string;
  /** The source deployed, for reference (the callable never needs it). */
  source: string | null;
  dependencies: Record<string, string>;
}

/**
 * A missing, unreadable or corrupt state file means "not deployed": rebuild, never crash. A folder in
 * its place is an error (with the path and the fix) before anything is built: it could never be written.
 */
export function readState(file: string): FunctionState | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EISDIR")
      throw fileSystemError(error, file, "read", "deploy");
    return null;
  }
  return isFunctionState(parsed) ? parsed : null;
}

/** Written atomically (temp file + rename): a crash mid-write leaves the previous state. */
export function writeState(file: string, state: FunctionState): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temp, JSON.stringify(state, null, 2) + "\n");
    renameSync(temp, file);
  } catch (e) {
    removeQuietly(temp);
    throw fileSystemError(e, file, "write", "deploy");
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // its folder is missing or is not one: nothing was left behind
  }
}

function isFunctionState(value: unknown): value is FunctionState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<FunctionState>;
  return (
    s.version === STATE_VERSION &&
    typeof s.name === "string" &&
    typeof s.platform === "string" &&
    typeof s.hash === "string" &&
    isObject(s.config) &&
    isObject(s.deployment) &&
    isObject(s.deployment.ref) &&
    typeof s.deployedAt === "string" &&
    (typeof s.source === "string" || s.source === null) &&
    isObject(s.dependencies)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
