import * as path from "node:path";

/** The installed package's root (this file is dist/lib/paths.js in a build). */
export function packageRoot(): string {
  return path.resolve(__dirname, "..", "..");
}
