import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
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

/** A missing, unreadable or corrupt state file means "not deployed": rebuild, never crash. */
export function readState(file: string): FunctionState | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  return isFunctionState(parsed) ? parsed : null;
}

/** Written atomically (temp file + rename): a crash mid-write leaves the previous state. */
export function writeState(file: string, state: FunctionState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2) + "\n");
  renameSync(temp, file);
}

function isFunctionState(value: unknown): value is FunctionState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<FunctionState>;
  return (
    s.version === STATE_VERSION &&
    typeof s.name === "string" &&
    typeof s.platform === "string" &&
    typeof s.hash === "string" &&
    typeof s.config === "object" &&
    s.config !== null &&
    typeof s.deployment === "object" &&
    s.deployment !== null &&
    typeof s.deployment.ref === "object"
  );
}
