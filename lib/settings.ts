import * as path from "node:path";

/** Session defaults set by configure(); read by everything that needs the platform or workspace. */
const settings: { platform: string | null; workspace: string | null } = { platform: null, workspace: null };
let version = 0;

/** Bumped by every change: cached per-function decisions depending on settings are redone. */
export function settingsVersion(): number {
  return version;
}

export function updateSettings(change: { platform?: string; workspace?: string }): void {
  if (change.platform !== undefined) settings.platform = change.platform;
  if (change.workspace !== undefined) settings.workspace = path.resolve(change.workspace);
  version += 1;
}

export function sessionPlatform(): string | null {
  return settings.platform;
}

export function workspaceDir(): string {
  return settings.workspace ?? path.resolve(process.env.FAASLAB_WORKSPACE || process.cwd());
}
