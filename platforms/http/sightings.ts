import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The file, in the function's platform data directory, listing every instance id seen so far. */
export const SIGHTINGS_FILE = "seen-instances.txt";

/**
 * coldStart for answers without faaslab's envelope: the first answer from an instance id this
 * function has ever seen is the instance's cold start. Sightings are kept per function in its data
 * directory (one id per line, appended), so they carry across experiments, loadFunctions() and
 * kernel restarts: an instance seen yesterday is not called cold today. Without an instance id,
 * nothing is known: null.
 */
export class Sightings {
  private seen: Set<string> | null = null;

  constructor(private readonly dir: string | null) {}

  /** true the first time `instanceId` answers, false afterwards; null when there is no id. */
  observe(instanceId: string | null): boolean | null {
    if (instanceId === null) return null;
    const seen = this.load();
    if (seen.has(instanceId)) return false;
    seen.add(instanceId);
    if (this.dir !== null) {
      // Rare (once per new instance), so a synchronous append keeps the order simple.
      mkdirSync(this.dir, { recursive: true });
      appendFileSync(path.join(this.dir, SIGHTINGS_FILE), `${JSON.stringify(instanceId)}\n`);
    }
    return true;
  }

  private load(): Set<string> {
    if (this.seen) return this.seen;
    this.seen = new Set();
    if (this.dir === null) return this.seen;
    let text = "";
    try {
      text = readFileSync(path.join(this.dir, SIGHTINGS_FILE), "utf8");
    } catch {
      return this.seen; // nothing seen yet
    }
    for (const line of text.split("\n")) {
      try {
        const id: unknown = line ? JSON.parse(line) : null;
        if (typeof id === "string") this.seen.add(id);
      } catch {
        // a torn last line (a process killed mid-append): skip it
      }
    }
    return this.seen;
  }
}
