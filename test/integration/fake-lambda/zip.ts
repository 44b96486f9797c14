import { zipSync } from "fflate";

/** A deployment package with the given files at its root (e.g. { "index.js": "exports.handler = …" }). */
export function zipOf(files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = new TextEncoder().encode(text);
  return zipSync(entries);
}
