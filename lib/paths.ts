import * as path from "node:path";

/** The installed package's root (this file is dist/lib/paths.js in a build). */
export function packageRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

export function platformDir(name: string): string {
  return path.join(packageRoot(), "platforms", name);
}
